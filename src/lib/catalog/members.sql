-- SPDX-License-Identifier: PostgreSQL
-- Lists every installed extension of the current database and the objects that
-- belong to it (pg_depend rows with deptype 'e'). tools/gen-extension-catalog
-- runs it to make extension_members.tsv; the live catalog (live_catalog.cpp)
-- sends the same text to a server. Needs PostgreSQL 11 or later (prokind).
--
-- One row per extension (kind 'extension', name = the extension) and one per
-- member, with six text columns:
--   extension  extension name, unquoted
--   version    installed version (pg_extension.extversion)
--   kind       object kind as COMMENT ON spells it, lowercase: 'type', 'domain',
--              'function', 'procedure', 'aggregate', 'operator', 'operator class',
--              'operator family', 'cast', 'table', 'sequence', 'view',
--              'materialized view', 'foreign table', 'collation', 'conversion',
--              'text search dictionary|template|parser|configuration',
--              'event trigger', 'foreign data wrapper', 'server', 'user mapping',
--              'access method', 'language', 'transform', 'schema',
--              'statistics object', 'publication'; any other catalog falls back
--              to pg_identify_object's type
--   schema     '@extschema@' when the member is in the extension's own schema
--              (so it moves with the extension), the schema name when it is in
--              another one (orafce's 'oracle', pgpool_regclass's function in
--              'pg_catalog'), '' for objects that are not in a schema
--   name       the name as stored in the catalog, unquoted and without schema;
--              casts, transforms and user mappings have no name of their own and
--              get the words that follow the kind in COMMENT ON / DROP:
--              'citext AS text', 'FOR hstore LANGUAGE plperl', 'FOR u SERVER s'
--   identity   what tells overloads apart: input argument types of functions,
--              procedures and aggregates ('text, text'); left and right operand
--              types of operators ('NONE' for a prefix operator's left side);
--              the access method of operator classes and families ('gin');
--              source and target type of casts ('citext, text'); '' otherwise
--
-- Type names are format_type's spelling with the schema removed, whatever the
-- search_path: format_type qualifies a type that is not visible, and the
-- type_name CTE strips exactly that qualification again. The catalog therefore
-- does not depend on the schema an extension was created in.
WITH type_name AS (
  SELECT t.oid,
         CASE WHEN pg_catalog.starts_with(f.printed, pg_catalog.quote_ident(n.nspname) || '.')
              THEN pg_catalog.substr(f.printed, pg_catalog.length(pg_catalog.quote_ident(n.nspname)) + 2)
              ELSE f.printed END AS name
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    CROSS JOIN LATERAL (SELECT pg_catalog.format_type(t.oid, NULL) AS printed) f
),
member AS (
  SELECT e.oid AS ext_oid, e.extname, e.extversion, e.extnamespace, d.classid, d.objid
    FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
   WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
     AND d.deptype = 'e'
),
-- kind, namespace (0 for objects outside schemas), name and identity of each member
described AS (
  SELECT m.extname, m.extversion, m.extnamespace, o.kind, o.namespace, o.name, o.identity
    FROM member m
    CROSS JOIN LATERAL (
      SELECT CASE WHEN t.typtype = 'd' THEN 'domain' ELSE 'type' END,
             t.typnamespace, t.typname::text, ''
        FROM pg_catalog.pg_type t
       WHERE m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = m.objid
      UNION ALL
      SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                            ELSE 'function' END,
             p.pronamespace, p.proname::text,
             coalesce((SELECT pg_catalog.string_agg(a.name, ', ' ORDER BY arg.position)
                         FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[])
                                WITH ORDINALITY AS arg(type_oid, position)
                         JOIN type_name a ON a.oid = arg.type_oid), '')
        FROM pg_catalog.pg_proc p
       WHERE m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = m.objid
      UNION ALL
      SELECT 'operator', o.oprnamespace, o.oprname::text,
             coalesce(l.name, 'NONE') || ', ' || coalesce(r.name, 'NONE')
        FROM pg_catalog.pg_operator o
        LEFT JOIN type_name l ON l.oid = o.oprleft
        LEFT JOIN type_name r ON r.oid = o.oprright
       WHERE m.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND o.oid = m.objid
      UNION ALL
      SELECT 'operator class', c.opcnamespace, c.opcname::text, am.amname::text
        FROM pg_catalog.pg_opclass c
        JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
       WHERE m.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND c.oid = m.objid
      UNION ALL
      SELECT 'operator family', f.opfnamespace, f.opfname::text, am.amname::text
        FROM pg_catalog.pg_opfamily f
        JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod
       WHERE m.classid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND f.oid = m.objid
      UNION ALL
      SELECT 'cast', 0::pg_catalog.oid, s.name || ' AS ' || t.name, s.name || ', ' || t.name
        FROM pg_catalog.pg_cast c
        JOIN type_name s ON s.oid = c.castsource
        JOIN type_name t ON t.oid = c.casttarget
       WHERE m.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND c.oid = m.objid
      UNION ALL
      SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view'
                            WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table'
                            WHEN 'c' THEN 'type' WHEN 'i' THEN 'index' WHEN 'I' THEN 'index'
                            ELSE 'table' END,
             c.relnamespace, c.relname::text, ''
        FROM pg_catalog.pg_class c
       WHERE m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = m.objid
      UNION ALL
      SELECT 'collation', c.collnamespace, c.collname::text, ''
        FROM pg_catalog.pg_collation c
       WHERE m.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND c.oid = m.objid
      UNION ALL
      SELECT 'conversion', c.connamespace, c.conname::text, ''
        FROM pg_catalog.pg_conversion c
       WHERE m.classid = 'pg_catalog.pg_conversion'::pg_catalog.regclass AND c.oid = m.objid
      UNION ALL
      SELECT 'text search dictionary', d.dictnamespace, d.dictname::text, ''
        FROM pg_catalog.pg_ts_dict d
       WHERE m.classid = 'pg_catalog.pg_ts_dict'::pg_catalog.regclass AND d.oid = m.objid
      UNION ALL
      SELECT 'text search template', t.tmplnamespace, t.tmplname::text, ''
        FROM pg_catalog.pg_ts_template t
       WHERE m.classid = 'pg_catalog.pg_ts_template'::pg_catalog.regclass AND t.oid = m.objid
      UNION ALL
      SELECT 'text search parser', p.prsnamespace, p.prsname::text, ''
        FROM pg_catalog.pg_ts_parser p
       WHERE m.classid = 'pg_catalog.pg_ts_parser'::pg_catalog.regclass AND p.oid = m.objid
      UNION ALL
      SELECT 'text search configuration', c.cfgnamespace, c.cfgname::text, ''
        FROM pg_catalog.pg_ts_config c
       WHERE m.classid = 'pg_catalog.pg_ts_config'::pg_catalog.regclass AND c.oid = m.objid
      UNION ALL
      SELECT 'event trigger', 0::pg_catalog.oid, t.evtname::text, ''
        FROM pg_catalog.pg_event_trigger t
       WHERE m.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND t.oid = m.objid
      UNION ALL
      SELECT 'foreign data wrapper', 0::pg_catalog.oid, w.fdwname::text, ''
        FROM pg_catalog.pg_foreign_data_wrapper w
       WHERE m.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND w.oid = m.objid
      UNION ALL
      SELECT 'server', 0::pg_catalog.oid, s.srvname::text, ''
        FROM pg_catalog.pg_foreign_server s
       WHERE m.classid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass AND s.oid = m.objid
      UNION ALL
      SELECT 'user mapping', 0::pg_catalog.oid,
             'FOR ' || coalesce((SELECT r.rolname::text FROM pg_catalog.pg_roles r
                                  WHERE r.oid = u.umuser), 'PUBLIC')
               || ' SERVER ' || s.srvname, ''
        FROM pg_catalog.pg_user_mapping u
        JOIN pg_catalog.pg_foreign_server s ON s.oid = u.umserver
       WHERE m.classid = 'pg_catalog.pg_user_mapping'::pg_catalog.regclass AND u.oid = m.objid
      UNION ALL
      SELECT 'access method', 0::pg_catalog.oid, a.amname::text, ''
        FROM pg_catalog.pg_am a
       WHERE m.classid = 'pg_catalog.pg_am'::pg_catalog.regclass AND a.oid = m.objid
      UNION ALL
      SELECT 'language', 0::pg_catalog.oid, l.lanname::text, ''
        FROM pg_catalog.pg_language l
       WHERE m.classid = 'pg_catalog.pg_language'::pg_catalog.regclass AND l.oid = m.objid
      UNION ALL
      SELECT 'transform', 0::pg_catalog.oid,
             'FOR ' || t.name || ' LANGUAGE ' || l.lanname, t.name || ', ' || l.lanname
        FROM pg_catalog.pg_transform x
        JOIN type_name t ON t.oid = x.trftype
        JOIN pg_catalog.pg_language l ON l.oid = x.trflang
       WHERE m.classid = 'pg_catalog.pg_transform'::pg_catalog.regclass AND x.oid = m.objid
      UNION ALL
      SELECT 'schema', 0::pg_catalog.oid, n.nspname::text, ''
        FROM pg_catalog.pg_namespace n
       WHERE m.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND n.oid = m.objid
      UNION ALL
      SELECT 'statistics object', s.stxnamespace, s.stxname::text, ''
        FROM pg_catalog.pg_statistic_ext s
       WHERE m.classid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass AND s.oid = m.objid
      UNION ALL
      SELECT 'publication', 0::pg_catalog.oid, p.pubname::text, ''
        FROM pg_catalog.pg_publication p
       WHERE m.classid = 'pg_catalog.pg_publication'::pg_catalog.regclass AND p.oid = m.objid
      UNION ALL
      -- any other catalog: keep the row rather than lose it; the identity is
      -- pg_identify_object's (schema-qualified) one
      SELECT i.type, 0::pg_catalog.oid, i.identity, ''
        FROM pg_catalog.pg_identify_object(m.classid, m.objid, 0) i
       WHERE m.classid NOT IN (
               'pg_catalog.pg_type'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
               'pg_catalog.pg_operator'::pg_catalog.regclass, 'pg_catalog.pg_opclass'::pg_catalog.regclass,
               'pg_catalog.pg_opfamily'::pg_catalog.regclass, 'pg_catalog.pg_cast'::pg_catalog.regclass,
               'pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_collation'::pg_catalog.regclass,
               'pg_catalog.pg_conversion'::pg_catalog.regclass, 'pg_catalog.pg_ts_dict'::pg_catalog.regclass,
               'pg_catalog.pg_ts_template'::pg_catalog.regclass, 'pg_catalog.pg_ts_parser'::pg_catalog.regclass,
               'pg_catalog.pg_ts_config'::pg_catalog.regclass, 'pg_catalog.pg_event_trigger'::pg_catalog.regclass,
               'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass,
               'pg_catalog.pg_foreign_server'::pg_catalog.regclass,
               'pg_catalog.pg_user_mapping'::pg_catalog.regclass, 'pg_catalog.pg_am'::pg_catalog.regclass,
               'pg_catalog.pg_language'::pg_catalog.regclass, 'pg_catalog.pg_transform'::pg_catalog.regclass,
               'pg_catalog.pg_namespace'::pg_catalog.regclass,
               'pg_catalog.pg_statistic_ext'::pg_catalog.regclass,
               'pg_catalog.pg_publication'::pg_catalog.regclass)
    ) AS o(kind, namespace, name, identity)
)
SELECT r.extension, r.version, r.kind, r.schema, r.name, r.identity
  FROM (SELECT e.extname::text AS extension, e.extversion AS version, 'extension' AS kind,
               '' AS schema, e.extname::text AS name, '' AS identity
          FROM pg_catalog.pg_extension e
        UNION ALL
        SELECT d.extname::text, d.extversion, d.kind,
               CASE WHEN d.namespace = 0 THEN ''
                    WHEN d.namespace = d.extnamespace THEN '@extschema@'
                    ELSE (SELECT n.nspname::text FROM pg_catalog.pg_namespace n
                           WHERE n.oid = d.namespace)
               END,
               d.name, d.identity
          FROM described d) AS r
 ORDER BY r.extension COLLATE "C", r.kind COLLATE "C", r.name COLLATE "C",
          r.identity COLLATE "C", r.schema COLLATE "C";
