// SPDX-License-Identifier: PostgreSQL
// Tests of retarget() (src/lib/retarget/): each kind of reference pg_dump
// writes, built in code with a small in-memory catalog.
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "pgarc/listing.hpp"
#include "retarget/retarget_fixture.hpp"
#include "summary.hpp"

#include <algorithm>

using namespace pgarc;
using namespace pgarc::test::retarget_fixture;
using pgarc::test::archive_builder;

BOOST_AUTO_TEST_SUITE(retarget_rules)

BOOST_AUTO_TEST_CASE(extension_schema_clause_moves_and_keeps_its_quoting) {
  fixture test;
  test.add(extension(2, "citext")).add(extension(3, "uuid-ossp", "\"public\""));
  const retarget_report report = test.run();
  BOOST_TEST(report.moved_extensions == (std::vector<std::string>{"citext", "uuid-ossp"}));
  BOOST_TEST(test.defn(2) == "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA heroku_ext;\n");
  BOOST_TEST(test.defn(3) == "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA \"heroku_ext\";\n");
  BOOST_TEST(!test.find(2).owner.has_value());
}

BOOST_AUTO_TEST_CASE(missing_target_schema_entry_is_added_before_the_first_extension) {
  fixture test;
  test.add(object(10, "TABLE", "t", "CREATE TABLE public.t (a int);\n"))
      .add(extension(2, "citext"))
      .add(extension(3, "hstore"));
  const retarget_report report = test.run();
  BOOST_TEST((report.schema_action == schema_outcome::added));
  BOOST_TEST(report.schema_entry == 9002);
  const toc_entry& schema = test.contents.entries[3];
  BOOST_TEST(schema.desc_text() == "SCHEMA");
  BOOST_TEST(schema.dump_id == 9002);
  BOOST_TEST(schema.tag_text() == "heroku_ext");
  BOOST_TEST(!schema.owner.has_value());
  BOOST_TEST(schema.defn.value().find("CREATE SCHEMA IF NOT EXISTS heroku_ext;") != std::string::npos);
  // A schema the restore creates is usable by every role, as public was.
  BOOST_TEST(schema.defn.value().find("nspname = 'heroku_ext' AND nspacl IS NULL") != std::string::npos);
  BOOST_TEST(schema.defn.value().find("EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO PUBLIC', 'heroku_ext');") !=
             std::string::npos);
  // Starts with a comment so that pg_restore --no-owner keeps it as it is.
  BOOST_TEST(schema.defn.value().rfind("--", 0) == 0u);
  BOOST_TEST(schema.drop_stmt.value().rfind("--", 0) == 0u);
  BOOST_TEST(test.find(2).dependencies == (std::vector<std::string>{"9002"}));
  BOOST_TEST(test.find(3).dependencies == (std::vector<std::string>{"9002"}));
}

BOOST_AUTO_TEST_CASE(added_schema_entry_has_no_namespace_in_an_archive_of_empty_strings) {
  // Before 1.14 pg_dump wrote "" for absent owners and statements, but never
  // a namespace for a SCHEMA entry: pg_restore -l shows "-" for NULL and an
  // empty column for "".
  fixture test;
  test.contents.header.version = k_vers_1_13;
  toc_entry citext = extension(2, "citext");
  citext.owner = "";
  test.add(citext);
  test.run();
  const toc_entry& schema = test.find(9002);
  BOOST_TEST(schema.desc_text() == "SCHEMA");
  BOOST_TEST(!schema.namespace_name.has_value());
  BOOST_TEST((schema.owner == pg_string("")));
  BOOST_TEST(format_listing(test.contents).find("9002; 0 0 SCHEMA - heroku_ext \n") != std::string::npos,
             format_listing(test.contents));
}

BOOST_AUTO_TEST_CASE(listing_shows_an_empty_namespace_as_pg_restore_does) {
  fixture test;
  toc_entry entry = object(10, "TABLE", "t", "CREATE TABLE t (a int);\n", {}, "");
  test.add(entry);
  BOOST_TEST(format_listing(test.contents).find("10; 0 0 TABLE  t app\n") != std::string::npos,
             format_listing(test.contents));
}

BOOST_AUTO_TEST_CASE(existing_target_schema_entry_becomes_conditional_without_owner) {
  fixture test;
  toc_entry schema = object(5, "SCHEMA", "heroku_ext", "CREATE SCHEMA heroku_ext;\n", {}, "");
  schema.namespace_name = std::nullopt;
  schema.drop_stmt = "DROP SCHEMA heroku_ext;\n";
  test.add(schema).add(extension(2, "citext"));
  const retarget_report report = test.run();
  BOOST_TEST((report.schema_action == schema_outcome::made_conditional));
  BOOST_TEST(report.schema_entry == 5);
  BOOST_TEST(test.defn(5).find("CREATE SCHEMA IF NOT EXISTS heroku_ext;") != std::string::npos);
  BOOST_TEST(test.find(5).drop_stmt.value().rfind("--", 0) == 0u);
  BOOST_TEST(!test.find(5).owner.has_value());
  BOOST_TEST(test.find(2).dependencies == (std::vector<std::string>{"5"}));
  BOOST_TEST(test.contents.entries.size() == 4u);
}

BOOST_AUTO_TEST_CASE(exempt_extensions_stay_unless_named) {
  fixture test;
  test.add(extension(1, "plpgsql", "pg_catalog")).add(extension(2, "citext"));
  toc_entry plpgsql_public = extension(4, "plpgsql");
  test.add(plpgsql_public);
  retarget_report report = test.run();
  BOOST_TEST(report.moved_extensions == (std::vector<std::string>{"citext"}));
  BOOST_TEST_REQUIRE(report.kept_extensions.size() == 1u);
  BOOST_TEST(report.kept_extensions[0].name == "plpgsql");
  BOOST_TEST((report.kept_extensions[0].reason == keep_reason::exempt));
  BOOST_TEST(test.defn(4).find("WITH SCHEMA public") != std::string::npos);

  fixture named;
  named.add(extension(4, "plpgsql")).add(extension(2, "citext"));
  named.options.extensions = {"plpgsql"};
  report = named.run();
  BOOST_TEST(report.moved_extensions == (std::vector<std::string>{"plpgsql"}));
  BOOST_TEST(named.defn(2).find("WITH SCHEMA public") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(excluded_extension_and_its_objects_stay) {
  fixture test;
  test.add(extension(2, "citext")).add(extension(3, "hstore"));
  test.add(object(10, "TABLE", "t", "CREATE TABLE public.t (a public.citext, b public.hstore);\n", {"2", "3"}));
  test.options.excluded_extensions = {"hstore"};
  test.run();
  BOOST_TEST(test.defn(10) == "CREATE TABLE public.t (a heroku_ext.citext, b public.hstore);\n");
}

BOOST_AUTO_TEST_CASE(name_shared_with_an_extension_that_stays_is_left_and_reported) {
  fixture test;
  test.add(extension(2, "hstore")).add(extension(3, "intarray"));
  test.add(object(10, "VIEW", "v",
                  "CREATE VIEW public.v AS\n SELECT (t.ids OPERATOR(public.@>) ARRAY[1]) AS has_one,\n"
                  "    (t.h OPERATOR(public.->) 'k'::text) AS k\n   FROM public.t;\n",
                  {"2", "3"}));
  test.options.excluded_extensions = {"intarray"};
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(10) ==
             "CREATE VIEW public.v AS\n SELECT (t.ids OPERATOR(public.@>) ARRAY[1]) AS has_one,\n"
             "    (t.h OPERATOR(heroku_ext.->) 'k'::text) AS k\n   FROM public.t;\n");
  BOOST_TEST_REQUIRE(report.warnings.size() == 1u);
  BOOST_TEST((report.warnings[0].kind == warning_kind::shared_member_name));
  BOOST_TEST(report.warnings[0].name == "@>");
  BOOST_TEST(report.warnings[0].extension == "hstore");
  BOOST_TEST(cli::describe(report.warnings[0], report).find("\"@>\" is a member of extension hstore") == 0u);
}

BOOST_AUTO_TEST_CASE(types_casts_defaults_and_operators_are_rewritten) {
  fixture test;
  test.add(extension(2, "citext")).add(extension(3, "hstore")).add(extension(4, "uuid-ossp"));
  test.add(object(10, "TABLE", "users",
                  "CREATE TABLE public.users (\n    id uuid DEFAULT public.uuid_generate_v4(),\n"
                  "    email public.citext,\n    attrs public.hstore DEFAULT ''::public.hstore\n);\n",
                  {"2", "3", "4"}));
  test.add(object(11, "VIEW", "v",
                  "CREATE VIEW public.v AS\n SELECT (users.attrs OPERATOR(public.->) 'k'::text) AS k\n"
                  "   FROM public.users\n  WHERE (users.email OPERATOR(public.=) 'X@Y'::public.citext);\n",
                  {"10", "2", "3"}));
  test.run();
  BOOST_TEST(test.defn(10) ==
             "CREATE TABLE public.users (\n    id uuid DEFAULT heroku_ext.uuid_generate_v4(),\n"
             "    email heroku_ext.citext,\n    attrs heroku_ext.hstore DEFAULT ''::heroku_ext.hstore\n);\n");
  BOOST_TEST(test.defn(11) ==
             "CREATE VIEW public.v AS\n SELECT (users.attrs OPERATOR(heroku_ext.->) 'k'::text) AS k\n"
             "   FROM public.users\n  WHERE (users.email OPERATOR(heroku_ext.=) 'X@Y'::heroku_ext.citext);\n");
}

BOOST_AUTO_TEST_CASE(report_keeps_sql_texts_unless_told_not_to) {
  // The same changes, reported with and without the SQL texts before and
  // after: the entries are rewritten alike, and short fields (the
  // extension's dependencies and owner) are always kept.
  for (const bool texts : {true, false}) {
    BOOST_TEST_CONTEXT("field_texts " << texts) {
      fixture test;
      test.options.field_texts = texts;
      toc_entry citext = extension(2, "citext");
      citext.owner = "app";
      test.add(citext);
      test.add(object(10, "TABLE", "users", "CREATE TABLE public.users (email public.citext);\n", {"2"}));
      const retarget_report report = test.run();
      BOOST_TEST(test.defn(10) == "CREATE TABLE public.users (email heroku_ext.citext);\n");
      std::size_t sql = 0, short_fields = 0;
      for (const entry_change& change : report.changes) {
        for (const field_change& field : change.fields) {
          BOOST_TEST_INFO("dump id " << change.dump_id << ", field " << static_cast<int>(field.field));
          if (field.field == entry_field::defn) {
            ++sql;
            BOOST_TEST(field.after.has_value() == texts);
            if (change.dump_id == 10) {
              BOOST_TEST(field.before.has_value() == texts);
              if (texts)
                BOOST_TEST(field.after.str() == "CREATE TABLE public.users (email heroku_ext.citext);\n");
            }
          } else if (change.dump_id == 2) {
            ++short_fields;
            if (field.field == entry_field::owner)
              BOOST_TEST(field.before.str() == "app");
            else
              BOOST_TEST(field.after.has_value());
          }
        }
      }
      BOOST_TEST(sql >= 2u); // the extension's and the table's
      BOOST_TEST(short_fields == 2u); // dependencies and owner
    }
  }
}

BOOST_AUTO_TEST_CASE(members_are_found_in_every_spelling_without_a_dependency) {
  // No dependency on a moved extension, so no archive evidence: only the
  // catalog's names move, and a cheap scan decides which fields to lex.
  fixture test;
  test.add(extension(2, "citext")).add(extension(3, "hstore"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SELECT 'a'::PUBLIC.CITEXT;\n", "SELECT 'a'::heroku_ext.CITEXT;\n"},
      {"SELECT 'a'::\"public\".\"citext\";\n", "SELECT 'a'::\"heroku_ext\".\"citext\";\n"},
      {"SELECT x OPERATOR(public.->) 'k';\n", "SELECT x OPERATOR(heroku_ext.->) 'k';\n"},
      {"SELECT public . hstore_to_json(x);\n", "SELECT heroku_ext . hstore_to_json(x);\n"},
      {"SELECT public/* c */.hstore_to_json(x);\n", "SELECT heroku_ext/* c */.hstore_to_json(x);\n"},
      {"SELECT public.t1.c, public.hstore_to_json(x);\n", "SELECT public.t1.c, heroku_ext.hstore_to_json(x);\n"},
      // Lookalikes stay.
      {"SELECT republic.citext, public.citext_like, 'public.citext';\n",
       "SELECT republic.citext, public.citext_like, 'public.citext';\n"},
  };
  std::int64_t id = 10;
  for (const auto& [before, after] : cases) {
    test.add(object(id, "VIEW", "v" + std::to_string(id), before));
    ++id;
  }
  test.run();
  id = 10;
  for (const auto& [before, after] : cases)
    BOOST_TEST(test.defn(id++) == after);
}

BOOST_AUTO_TEST_CASE(opclass_with_parameters_and_tablesample_are_rewritten) {
  fixture test;
  test.add(extension(2, "pg_trgm")).add(extension(3, "tsm_system_rows"));
  test.add(object(20, "INDEX", "t_name_trgm",
                  "CREATE INDEX t_name_trgm ON public.t USING gist (name public.gist_trgm_ops (siglen='32'));\n",
                  {"2"}));
  test.add(object(21, "VIEW", "sample",
                  "CREATE VIEW public.sample AS\n SELECT t.name\n   FROM public.t TABLESAMPLE public.system_rows (10);\n",
                  {"3"}));
  test.run();
  BOOST_TEST(test.defn(20) ==
             "CREATE INDEX t_name_trgm ON public.t USING gist (name heroku_ext.gist_trgm_ops (siglen='32'));\n");
  BOOST_TEST(test.defn(21) ==
             "CREATE VIEW public.sample AS\n SELECT t.name\n   FROM public.t TABLESAMPLE heroku_ext.system_rows (10);\n");
}

BOOST_AUTO_TEST_CASE(literals_comments_and_lookalike_names_are_not_touched) {
  fixture test;
  test.add(extension(2, "citext"));
  const std::string defn =
      "CREATE FUNCTION public.f(x public.citext) RETURNS text\n    LANGUAGE sql\n"
      "    AS $$ SELECT 'public.citext' || x::public.citext $$; -- public.citext\n"
      "COMMENT ON FUNCTION public.f(public.citext) IS 'uses public.citext';\n"
      "SELECT publicity.citext, \"publicity\".citext;\n";
  test.add(object(30, "FUNCTION", "f(public.citext)", defn, {"2"}));
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(30) ==
             "CREATE FUNCTION public.f(x heroku_ext.citext) RETURNS text\n    LANGUAGE sql\n"
             "    AS $$ SELECT 'public.citext' || x::heroku_ext.citext $$; -- public.citext\n"
             "COMMENT ON FUNCTION public.f(heroku_ext.citext) IS 'uses public.citext';\n"
             "SELECT publicity.citext, \"publicity\".citext;\n");
  BOOST_TEST(test.find(30).tag_text() == "f(heroku_ext.citext)");
  // The string inside the body is left and reported; the body is listed.
  BOOST_TEST_REQUIRE(report.warnings.size() == 1u);
  BOOST_TEST(report.warnings[0].dump_id == 30);
  BOOST_TEST(cli::describe(report.warnings[0], report).find("public.citext") != std::string::npos);
  BOOST_TEST_REQUIRE(report.bodies.size() == 1u);
  BOOST_TEST(report.bodies[0].rewritten);
  BOOST_TEST(report.bodies[0].left_unchanged == (std::vector<std::string>{"public.citext"}));
}

BOOST_AUTO_TEST_CASE(user_objects_in_the_source_schema_stay) {
  fixture test;
  test.add(extension(2, "citext"));
  test.add(object(10, "TABLE", "users", "CREATE TABLE public.users (email public.citext);\n", {"2"}));
  test.add(object(11, "TABLE DATA", "users", ""));
  test.find(11);
  test.contents.entries.back().defn = std::nullopt;
  test.contents.entries.back().copy_stmt = "COPY public.users (email) FROM stdin;\n";
  test.run();
  BOOST_TEST(test.defn(10) == "CREATE TABLE public.users (email heroku_ext.citext);\n");
  BOOST_TEST(test.find(11).copy_stmt.value() == "COPY public.users (email) FROM stdin;\n");
  BOOST_TEST(test.find(11).namespace_name.value() == "public");
}

BOOST_AUTO_TEST_CASE(overloaded_user_function_is_told_apart_by_argument_count) {
  fixture test;
  test.add(extension(2, "pg_trgm"));
  test.add(object(40, "FUNCTION", "similarity(text, text, integer)",
                  "CREATE FUNCTION public.similarity(a text, b text, n integer) RETURNS real\n"
                  "    LANGUAGE sql IMMUTABLE\n    RETURN (public.similarity(a, b) * (n)::double precision);\n",
                  {"2"}));
  test.add(object(41, "VIEW", "v",
                  "CREATE VIEW public.v AS\n SELECT public.similarity(t.a, t.b) AS s1,\n"
                  "    public.similarity(t.a, t.b, 3) AS s2\n   FROM public.t;\n",
                  {"2", "40"}));
  test.run();
  BOOST_TEST(test.defn(40) ==
             "CREATE FUNCTION public.similarity(a text, b text, n integer) RETURNS real\n"
             "    LANGUAGE sql IMMUTABLE\n    RETURN (heroku_ext.similarity(a, b) * (n)::double precision);\n");
  BOOST_TEST(test.defn(41) ==
             "CREATE VIEW public.v AS\n SELECT heroku_ext.similarity(t.a, t.b) AS s1,\n"
             "    public.similarity(t.a, t.b, 3) AS s2\n   FROM public.t;\n");
}

BOOST_AUTO_TEST_CASE(acl_and_comment_on_members_follow_them) {
  fixture test;
  test.add(extension(2, "pgcrypto"));
  toc_entry acl = object(50, "ACL", "FUNCTION crypt(text, text)",
                         "REVOKE ALL ON FUNCTION public.crypt(text, text) FROM PUBLIC;\n"
                         "GRANT ALL ON FUNCTION public.crypt(text, text) TO reader;\n",
                         {"600"});
  test.add(acl);
  toc_entry user_acl = object(51, "ACL", "TABLE users", "GRANT SELECT ON TABLE public.users TO reader;\n", {"10"});
  test.add(object(10, "TABLE", "users", "CREATE TABLE public.users (a int);\n")).add(user_acl);
  test.run();
  BOOST_TEST(test.defn(50) == "REVOKE ALL ON FUNCTION heroku_ext.crypt(text, text) FROM PUBLIC;\n"
                              "GRANT ALL ON FUNCTION heroku_ext.crypt(text, text) TO reader;\n");
  BOOST_TEST(test.find(50).namespace_name.value() == "heroku_ext");
  BOOST_TEST(test.find(51).namespace_name.value() == "public");
  BOOST_TEST(test.defn(51) == "GRANT SELECT ON TABLE public.users TO reader;\n");
}

BOOST_AUTO_TEST_CASE(row_security_and_policies_on_a_member_table_follow_it) {
  fixture test;
  test.add(extension(2, "postgis"));
  test.add(object(70, "ROW SECURITY", "spatial_ref_sys",
                  "ALTER TABLE public.spatial_ref_sys ENABLE ROW LEVEL SECURITY;\n", {"228"}));
  test.add(object(71, "POLICY", "spatial_ref_sys readers",
                  "CREATE POLICY readers ON public.spatial_ref_sys FOR SELECT USING (true);\n", {"228"}));
  test.add(object(10, "TABLE", "users", "CREATE TABLE public.users (a int);\n"));
  test.add(object(72, "POLICY", "users readers", "CREATE POLICY readers ON public.users USING (true);\n", {"10"}));
  test.run();
  BOOST_TEST(test.defn(70) == "ALTER TABLE heroku_ext.spatial_ref_sys ENABLE ROW LEVEL SECURITY;\n");
  BOOST_TEST(test.defn(71) == "CREATE POLICY readers ON heroku_ext.spatial_ref_sys FOR SELECT USING (true);\n");
  BOOST_TEST(test.find(70).namespace_name.value() == "heroku_ext");
  BOOST_TEST(test.find(71).namespace_name.value() == "heroku_ext");
  BOOST_TEST(test.find(72).namespace_name.value() == "public");
  BOOST_TEST(test.defn(72) == "CREATE POLICY readers ON public.users USING (true);\n");
}

BOOST_AUTO_TEST_CASE(configuration_table_data_sequence_set_and_statistics_follow) {
  fixture test;
  test.add(extension(2, "postgis"));
  toc_entry data = archive_builder::table_data(60, "spatial_ref_sys", 228);
  data.copy_stmt = "COPY public.spatial_ref_sys (srid, auth_name) FROM stdin;\n";
  test.add(data);
  test.add(object(61, "SEQUENCE SET", "spatial_ref_sys_seq",
                  "SELECT pg_catalog.setval('public.spatial_ref_sys_seq', 3, true);\n", {"229"}));
  test.add(object(62, "STATISTICS DATA", "spatial_ref_sys",
                  "SELECT * FROM pg_catalog.pg_restore_relation_stats(\n\t'version', '150020'::integer,\n"
                  "\t'schemaname', 'public',\n\t'relname', 'spatial_ref_sys',\n\t'relpages', '3'::integer\n);\n"));
  memory_catalog extra("live catalog");
  extra.add("postgis", {"type", "geometry", ""});
  extra.add("postgis", {"table", "spatial_ref_sys", ""});
  extra.add("postgis", {"sequence", "spatial_ref_sys_seq", ""});
  test.options.catalogs = {&extra, &test_catalog()};
  const retarget_report report = test.run();
  BOOST_TEST(test.find(60).copy_stmt.value() == "COPY heroku_ext.spatial_ref_sys (srid, auth_name) FROM stdin;\n");
  BOOST_TEST(test.find(60).namespace_name.value() == "heroku_ext");
  BOOST_TEST(test.defn(61) == "SELECT pg_catalog.setval('heroku_ext.spatial_ref_sys_seq', 3, true);\n");
  BOOST_TEST(test.find(61).namespace_name.value() == "heroku_ext");
  BOOST_TEST(test.defn(62).find("'schemaname', 'heroku_ext'") != std::string::npos);
  BOOST_TEST(report.rewritten_data.empty()); // COPY data is never touched
  bool live_decided = false;
  for (const auto& decision : report.decisions)
    live_decided = live_decided || (decision.name == "spatial_ref_sys" && decision.source == decision_source::catalog &&
                                   decision.catalog == "live catalog");
  BOOST_TEST(live_decided);
}

BOOST_AUTO_TEST_CASE(inserts_data_of_configuration_tables_is_marked_for_rewriting) {
  fixture test;
  test.add(extension(2, "postgis"));
  toc_entry data = archive_builder::table_data(60, "spatial_ref_sys", 228);
  data.copy_stmt = std::nullopt;
  test.add(data);
  toc_entry user_data = archive_builder::table_data(63, "places", 230);
  user_data.copy_stmt = std::nullopt;
  test.add(user_data);
  const retarget_report report = test.run();
  BOOST_TEST(report.rewritten_data == (std::set<std::int64_t>{60}));
  auto rewriter = make_data_rewriter(test.contents, report, test.options);
  BOOST_TEST_REQUIRE(rewriter != nullptr);
  BOOST_TEST(rewriter->wants(test.find(60)));
  BOOST_TEST(!rewriter->wants(test.find(63)));
  BOOST_TEST(rewriter->rewrite(test.find(60),
                               "INSERT INTO public.spatial_ref_sys VALUES (990001, 'public.x');\n\n\n") ==
             "INSERT INTO heroku_ext.spatial_ref_sys VALUES (990001, 'public.x');\n\n\n");
}

BOOST_AUTO_TEST_CASE(unknown_name_is_decided_by_archive_evidence) {
  fixture test;
  test.add(extension(2, "ltree"));
  test.add(object(70, "TABLE", "tree", "CREATE TABLE public.tree (path public.ltree);\n", {"2"}));
  test.add(object(71, "TABLE", "other", "CREATE TABLE public.other (x public.ltree);\n"));
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(70) == "CREATE TABLE public.tree (path heroku_ext.ltree);\n");
  // No dependency on the extension, no catalog knowledge: left as it is.
  BOOST_TEST(test.defn(71) == "CREATE TABLE public.other (x public.ltree);\n");
  BOOST_TEST_REQUIRE(report.decisions.size() == 1u);
  BOOST_TEST((report.decisions[0].source == decision_source::archive_evidence));
  BOOST_TEST(report.decisions[0].catalog == "");
}

BOOST_AUTO_TEST_CASE(reverse_direction_with_quoted_names) {
  fixture test;
  test.options.from_schema = "heroku_ext";
  test.options.to_schema = "public";
  test.add(extension(2, "citext", "\"heroku_ext\""));
  test.add(object(10, "TABLE", "users", "CREATE TABLE \"public\".\"users\" (\"e\" \"heroku_ext\".\"citext\");\n", {"2"}));
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(2) == "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA \"public\";\n");
  BOOST_TEST(test.defn(10) == "CREATE TABLE \"public\".\"users\" (\"e\" \"public\".\"citext\");\n");
  BOOST_TEST((report.schema_action == schema_outcome::added));
  BOOST_TEST(report.schema_entry == 9002);
}

BOOST_AUTO_TEST_CASE(source_schema_named_in_capitals) {
  // "Ext" is written quoted, in its capitals; the quick look for the schema
  // name before lexing must still see it.
  fixture test;
  test.options.from_schema = "Ext";
  test.options.to_schema = "public";
  test.add(extension(2, "citext", "\"Ext\""));
  test.add(object(10, "TABLE", "users", "CREATE TABLE public.users (e \"Ext\".citext);\n", {"2"}));
  test.run();
  BOOST_TEST(test.defn(2) == "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA \"public\";\n");
  BOOST_TEST(test.defn(10) == "CREATE TABLE public.users (e \"public\".citext);\n");
}

BOOST_AUTO_TEST_CASE(target_schema_that_needs_quoting) {
  fixture test;
  test.options.to_schema = "Ext Schema";
  test.add(extension(2, "citext"));
  test.add(object(10, "TABLE", "users", "CREATE TABLE public.users (e public.citext);\n", {"2"}));
  test.run();
  BOOST_TEST(test.defn(2) == "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA \"Ext Schema\";\n");
  BOOST_TEST(test.defn(10) == "CREATE TABLE public.users (e \"Ext Schema\".citext);\n");
}

BOOST_AUTO_TEST_CASE(archive_without_qualified_names_gets_the_target_on_its_search_path) {
  fixture test;
  test.contents.header.version = k_vers_1_12;
  test.contents.entries.erase(test.contents.entries.begin() + 1); // no SEARCHPATH before 1.13
  test.add(extension(2, "citext"));
  test.add(object(10, "TABLE", "users", "CREATE TABLE users (\n    email citext\n);\n", {"2"}));
  test.add(object(11, "TABLE", "plain", "CREATE TABLE plain (\n    a integer\n);\n"));
  test.run();
  BOOST_TEST(test.defn(10) ==
             "SET search_path = public, heroku_ext, pg_catalog;\nCREATE TABLE users (\n    email citext\n);\n");
  BOOST_TEST(test.defn(11) == "CREATE TABLE plain (\n    a integer\n);\n");
}

BOOST_AUTO_TEST_CASE(search_path_entry_is_added_on_request) {
  fixture test;
  test.options.add_search_path = true;
  test.add(extension(2, "citext")).add(object(10, "TABLE", "t", "CREATE TABLE public.t (a int);\n"));
  test.run();
  const toc_entry& added = test.contents.entries[4];
  BOOST_TEST(added.desc_text() == "DATABASE SEARCH PATH");
  BOOST_TEST(added.defn.value().find("SET search_path = \"$user\", public, heroku_ext") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(second_run_changes_nothing) {
  fixture test;
  test.add(extension(2, "citext"));
  test.add(object(10, "TABLE", "users", "CREATE TABLE public.users (e public.citext);\n", {"2"}));
  BOOST_TEST(test.run().changed());
  const archive once = test.contents;
  const retarget_report again = test.run();
  BOOST_TEST(!again.changed());
  BOOST_TEST(test.contents.entries.size() == once.entries.size());
  BOOST_TEST(test.defn(10) == "CREATE TABLE public.users (e heroku_ext.citext);\n");
}

BOOST_AUTO_TEST_SUITE_END()
