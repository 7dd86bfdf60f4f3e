// SPDX-License-Identifier: PostgreSQL
// Tests of src/lib/retarget/text_references.cpp and the function-body
// rewriting in sql_rewrite.cpp (issue 12): reg* literals, bodies written as
// strings, and search_path lists, on archives built in code.
#include <boost/test/unit_test.hpp>

#include "retarget/retarget_fixture.hpp"
#include "summary.hpp"

using namespace pgarc;
using namespace pgarc::test::retarget_fixture;

namespace {

/// A FUNCTION entry with `body` as written after AS, LANGUAGE `language`.
toc_entry function(std::int64_t id, const std::string& tag, const std::string& language,
                   const std::string& body, const std::string& extra = "") {
  return object(id, "FUNCTION", tag,
                "CREATE FUNCTION public." + tag + " RETURNS text\n    LANGUAGE " + language + extra +
                    "\n    AS " + body + ";\n");
}

std::string body_of(const std::string& defn) {
  const auto at = defn.find("\n    AS ");
  return at == std::string::npos ? defn : defn.substr(at + 8, defn.size() - at - 8 - 2);
}

} // namespace

BOOST_AUTO_TEST_SUITE(retarget_text_references)

BOOST_AUTO_TEST_CASE(literals_of_every_reg_type_naming_members_are_rewritten) {
  fixture test;
  test.add(extension(2, "unaccent")).add(extension(3, "hstore")).add(extension(4, "pg_trgm"));
  test.add(extension(5, "postgis"));
  test.add(object(20, "VIEW", "v",
                  "CREATE VIEW public.v AS\n SELECT 'public.unaccent'::regdictionary AS d,\n"
                  "    'public.hstore'::regtype AS t,\n"
                  "    'public.similarity(text,text)'::regprocedure AS p,\n"
                  "    'public.hstore_to_json(public.hstore)'::regprocedure AS q,\n"
                  "    'public.hstore_to_json'::regproc AS r,\n"
                  "    'public.%(text,text)'::regoperator AS o,\n"
                  "    'public.->'::regoper AS s,\n"
                  "    'public.unaccent_simple'::regconfig AS c,\n"
                  "    'public.spatial_ref_sys'::regclass AS k,\n"
                  "    'public.hstore'::pg_catalog.regtype AS u,\n"
                  "    CAST('public.hstore' AS regtype) AS w;\n"));
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(20) ==
             "CREATE VIEW public.v AS\n SELECT 'heroku_ext.unaccent'::regdictionary AS d,\n"
             "    'heroku_ext.hstore'::regtype AS t,\n"
             "    'heroku_ext.similarity(text,text)'::regprocedure AS p,\n"
             "    'heroku_ext.hstore_to_json(heroku_ext.hstore)'::regprocedure AS q,\n"
             "    'heroku_ext.hstore_to_json'::regproc AS r,\n"
             "    'heroku_ext.%(text,text)'::regoperator AS o,\n"
             "    'heroku_ext.->'::regoper AS s,\n"
             "    'heroku_ext.unaccent_simple'::regconfig AS c,\n"
             "    'heroku_ext.spatial_ref_sys'::regclass AS k,\n"
             "    'heroku_ext.hstore'::pg_catalog.regtype AS u,\n"
             "    CAST('heroku_ext.hstore' AS regtype) AS w;\n");
  BOOST_TEST(report.warnings.empty());
}

BOOST_AUTO_TEST_CASE(quoted_escaped_and_doubled_quotes_in_literals) {
  fixture test;
  test.add(extension(2, "unaccent")).add(extension(3, "hstore"));
  test.add(object(20, "TABLE", "t",
                  "CREATE TABLE public.t (\n"
                  "    a regdictionary DEFAULT '\"public\".\"unaccent\"'::regdictionary,\n"
                  "    b regtype DEFAULT 'PUBLIC.HSTORE'::regtype,\n"
                  "    c regtype DEFAULT E'public.\\x68store\\\\'::regtype,\n"
                  "    d text DEFAULT 'it''s public.hstore'::text,\n"
                  "    CONSTRAINT k CHECK ((b <> 'public.\"hstore\"'::regtype))\n);\n"));
  test.run();
  BOOST_TEST(test.defn(20) ==
             "CREATE TABLE public.t (\n"
             "    a regdictionary DEFAULT '\"heroku_ext\".\"unaccent\"'::regdictionary,\n"
             "    b regtype DEFAULT 'heroku_ext.HSTORE'::regtype,\n"
             "    c regtype DEFAULT E'heroku_ext.hstore\\\\'::regtype,\n"
             "    d text DEFAULT 'it''s public.hstore'::text,\n"
             "    CONSTRAINT k CHECK ((b <> 'heroku_ext.\"hstore\"'::regtype))\n);\n");
}

BOOST_AUTO_TEST_CASE(literals_naming_user_objects_stay) {
  fixture test;
  test.add(extension(2, "unaccent")).add(extension(4, "pg_trgm"));
  test.add(object(10, "TEXT SEARCH CONFIGURATION", "unaccented", "CREATE TEXT SEARCH CONFIGURATION public.unaccented (\n    PARSER = pg_catalog.\"default\" );\n"));
  test.add(object(11, "FUNCTION", "similarity(text, text, integer)",
                  "CREATE FUNCTION public.similarity(a text, b text, n integer) RETURNS real\n    LANGUAGE sql\n    AS $$ SELECT 0::real $$;\n"));
  const std::string defn = "CREATE INDEX i ON public.t USING gin (to_tsvector('public.unaccented'::regconfig, n));\n"
                           "SELECT 'public.similarity(text,text,integer)'::regprocedure, 'public.t'::regclass,"
                           " 'public'::regnamespace, 'unaccent'::regdictionary;\n";
  test.add(object(20, "INDEX", "i", defn));
  test.run();
  BOOST_TEST(test.defn(20) == defn);
}

BOOST_AUTO_TEST_CASE(sql_bodies_in_every_quoting_are_rewritten) {
  fixture test;
  test.add(extension(2, "unaccent")).add(extension(3, "hstore"));
  test.add(function(30, "f_unaccent(text)", "sql",
                    "$$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$", " IMMUTABLE"));
  test.add(function(31, "g(text)", "sql", "$fn$ SELECT public.hstore('a', $1)::text $fn$"));
  test.add(function(32, "h(text)", "sql",
                    "' SELECT public.unaccent(''public.unaccent''::regdictionary, $1) || ''it''''s'' '"));
  test.add(function(33, "e(text)", "sql", "E' SELECT public.unaccent(\\'public.unaccent\\'::regdictionary, $1) '"));
  const retarget_report report = test.run();
  BOOST_TEST(body_of(test.defn(30)) ==
             "$$ SELECT heroku_ext.unaccent('heroku_ext.unaccent'::regdictionary, $1) $$");
  BOOST_TEST(test.defn(30).rfind("CREATE FUNCTION public.f_unaccent(text) RETURNS text\n    LANGUAGE sql IMMUTABLE\n", 0) == 0u);
  BOOST_TEST(body_of(test.defn(31)) == "$fn$ SELECT heroku_ext.hstore('a', $1)::text $fn$");
  BOOST_TEST(body_of(test.defn(32)) ==
             "' SELECT heroku_ext.unaccent(''heroku_ext.unaccent''::regdictionary, $1) || ''it''''s'' '");
  BOOST_TEST(body_of(test.defn(33)) ==
             "E' SELECT heroku_ext.unaccent(''heroku_ext.unaccent''::regdictionary, $1) '");
  BOOST_TEST_REQUIRE(report.bodies.size() == 4u);
  BOOST_TEST(report.bodies[0].tag == "f_unaccent(text)");
  BOOST_TEST(report.bodies[0].language == "sql");
  BOOST_TEST(report.bodies[0].names == (std::vector<std::string>{"public.unaccent"}));
  BOOST_TEST(report.bodies[1].names == (std::vector<std::string>{"public.hstore"}));
  BOOST_TEST(report.warnings.empty());
}

BOOST_AUTO_TEST_CASE(plpgsql_bodies_are_rewritten_and_dynamic_sql_is_reported) {
  fixture test;
  test.add(extension(3, "hstore"));
  const std::string body =
      "$fn$\nBEGIN\n  NEW.attrs := public.hstore('changed', 'yes');\n"
      "  EXECUTE 'SELECT public.hstore(''a'', ''b'')';\n"
      "  EXECUTE $q$SELECT public.hstore('a', 'b')$q$;\n"
      "  PERFORM 'public.hstore'::regtype;\n  RETURN NEW;\nEND\n$fn$";
  test.add(function(30, "touch()", "plpgsql", body));
  const retarget_report report = test.run();
  BOOST_TEST(body_of(test.defn(30)) ==
             "$fn$\nBEGIN\n  NEW.attrs := heroku_ext.hstore('changed', 'yes');\n"
             "  EXECUTE 'SELECT public.hstore(''a'', ''b'')';\n"
             "  EXECUTE $q$SELECT public.hstore('a', 'b')$q$;\n"
             "  PERFORM 'heroku_ext.hstore'::regtype;\n  RETURN NEW;\nEND\n$fn$");
  BOOST_TEST_REQUIRE(report.bodies.size() == 1u);
  BOOST_TEST(report.bodies[0].language == "plpgsql");
  BOOST_TEST(report.bodies[0].rewritten);
  BOOST_TEST(report.bodies[0].left_unchanged == (std::vector<std::string>{"public.hstore"}));
  BOOST_TEST_REQUIRE(report.warnings.size() == 1u);
  BOOST_TEST((report.warnings[0].kind == warning_kind::name_in_string));
  BOOST_TEST(report.warnings[0].name == "public.hstore");
  BOOST_TEST(cli::describe(report.warnings[0], report).find("dynamic SQL") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(c_internal_and_other_languages_are_not_rewritten) {
  fixture test;
  test.add(extension(3, "hstore"));
  const std::string c_defn = "CREATE FUNCTION public.c(text) RETURNS text\n    LANGUAGE c\n"
                             "    AS '$libdir/public.hstore', 'public.hstore';\n";
  test.add(object(30, "FUNCTION", "c(text)", c_defn));
  const std::string internal = "CREATE FUNCTION public.i(text) RETURNS text\n    LANGUAGE internal\n"
                               "    AS $$public.hstore$$;\n";
  test.add(object(31, "FUNCTION", "i(text)", internal));
  const std::string python = "CREATE FUNCTION public.p(text) RETURNS text\n    LANGUAGE plpython3u\n"
                             "    AS $$ return plpy.execute(\"SELECT public.hstore('a','b')\")[0] $$;\n";
  test.add(object(32, "FUNCTION", "p(text)", python));
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(30) == c_defn);
  BOOST_TEST(test.defn(31) == internal);
  BOOST_TEST(test.defn(32) == python);
  BOOST_TEST_REQUIRE(report.bodies.size() == 1u);
  BOOST_TEST(report.bodies[0].language == "plpython3u");
  BOOST_TEST(!report.bodies[0].rewritten);
  BOOST_TEST_REQUIRE(report.warnings.size() == 1u);
  BOOST_TEST((report.warnings[0].kind == warning_kind::name_in_other_language));
  BOOST_TEST(report.warnings[0].detail == "plpython3u");
  BOOST_TEST(cli::describe(report.warnings[0], report).find("LANGUAGE plpython3u") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(user_function_overloading_an_extension_function_stays) {
  fixture test;
  test.add(extension(4, "pg_trgm"));
  test.add(object(11, "FUNCTION", "similarity(text, text, integer)",
                  "CREATE FUNCTION public.similarity(a text, b text, n integer) RETURNS real\n"
                  "    LANGUAGE sql\n    AS $$ SELECT public.similarity(a, b) $$;\n"));
  test.add(function(30, "score(text)", "plpgsql",
                    "$$ BEGIN RETURN public.similarity($1, 'x', 3) + public.similarity($1, 'x'); END $$"));
  test.run();
  BOOST_TEST(test.defn(11) ==
             "CREATE FUNCTION public.similarity(a text, b text, n integer) RETURNS real\n"
             "    LANGUAGE sql\n    AS $$ SELECT heroku_ext.similarity(a, b) $$;\n");
  BOOST_TEST(body_of(test.defn(30)) ==
             "$$ BEGIN RETURN public.similarity($1, 'x', 3) + heroku_ext.similarity($1, 'x'); END $$");
}

BOOST_AUTO_TEST_CASE(function_search_paths_get_the_target_after_the_source) {
  fixture test;
  test.add(extension(2, "pgcrypto"));
  test.add(function(30, "a(text)", "sql", "$$ SELECT crypt($1, gen_salt('md5')) $$",
                    "\n    SET search_path TO 'public', 'pg_temp'"));
  test.add(function(31, "b(text)", "sql", "$$ SELECT crypt($1, gen_salt('md5')) $$",
                    "\n    SET search_path TO public, pg_temp"));
  test.add(function(32, "c(text)", "sql", "$$ SELECT 1 $$", "\n    SET search_path TO 'public', 'heroku_ext'"));
  test.add(function(33, "d(text)", "sql", "$$ SELECT 1 $$", "\n    SET search_path TO 'billing'"));
  // pg_dump --quote-all-identifiers quotes the setting's name.
  test.add(function(34, "e(text)", "sql", "$$ SELECT 1 $$", "\n    SET \"search_path\" TO 'public'"));
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(30).find("SET search_path TO 'public', 'heroku_ext', 'pg_temp'\n") != std::string::npos);
  BOOST_TEST(test.defn(31).find("SET search_path TO public, heroku_ext, pg_temp\n") != std::string::npos);
  BOOST_TEST(test.defn(32).find("SET search_path TO 'public', 'heroku_ext'\n") != std::string::npos);
  BOOST_TEST(test.defn(33).find("SET search_path TO 'billing'\n") != std::string::npos);
  BOOST_TEST(test.defn(34).find("SET \"search_path\" TO 'public', 'heroku_ext'\n") != std::string::npos);
  BOOST_TEST_REQUIRE(report.search_paths.size() == 3u);
  BOOST_TEST(report.search_paths[0].dump_id == 30);
}

BOOST_AUTO_TEST_CASE(reverse_direction_keeps_the_source_in_search_paths) {
  fixture test;
  test.options.from_schema = "heroku_ext";
  test.options.to_schema = "public";
  test.add(extension(2, "pgcrypto", "heroku_ext"));
  test.add(function(30, "a(text)", "sql", "$$ SELECT heroku_ext.crypt($1, 'x') $$",
                    "\n    SET search_path TO 'heroku_ext', 'pg_temp'"));
  test.run();
  BOOST_TEST(test.defn(30) == "CREATE FUNCTION public.a(text) RETURNS text\n    LANGUAGE sql\n"
                              "    SET search_path TO 'heroku_ext', 'public', 'pg_temp'\n"
                              "    AS $$ SELECT public.crypt($1, 'x') $$;\n");
}

BOOST_AUTO_TEST_CASE(database_and_role_search_paths_are_merged) {
  fixture test;
  test.add(extension(2, "citext"));
  toc_entry properties = object(40, "DATABASE PROPERTIES", "app",
                                "ALTER DATABASE app SET search_path TO '$user', 'public';\n"
                                "ALTER ROLE app_owner IN DATABASE app SET search_path TO 'public', 'billing';\n",
                                {}, "");
  properties.namespace_name = std::nullopt;
  test.add(properties);
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(40) == "ALTER DATABASE app SET search_path TO '$user', 'public', 'heroku_ext';\n"
                              "ALTER ROLE app_owner IN DATABASE app SET search_path TO 'public', 'heroku_ext', 'billing';\n");
  BOOST_TEST(report.search_paths.size() == 1u);
  BOOST_TEST((report.search_path_action == search_path_outcome::none));
}

BOOST_AUTO_TEST_CASE(search_path_option_merges_into_the_database_setting) {
  fixture test;
  test.options.add_search_path = true;
  test.add(extension(2, "citext"));
  toc_entry properties = object(40, "DATABASE PROPERTIES", "app",
                                "ALTER DATABASE app SET search_path TO '$user', 'billing';\n", {}, "");
  properties.namespace_name = std::nullopt;
  test.add(properties);
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(40) == "ALTER DATABASE app SET search_path TO '$user', 'billing', 'heroku_ext';\n");
  BOOST_TEST((report.search_path_action == search_path_outcome::merged));
  BOOST_TEST(report.search_path_value == "\"$user\", billing, heroku_ext");
  const toc_entry& added = test.contents.entries[4];
  BOOST_TEST(added.desc_text() == "DATABASE SEARCH PATH");
  BOOST_TEST(added.defn.value().find("SET search_path = \"$user\", billing, heroku_ext'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(search_path_option_changes_nothing_when_the_target_is_there) {
  fixture test;
  test.options.add_search_path = true;
  test.add(extension(2, "citext"));
  const std::string defn = "ALTER DATABASE app SET search_path TO '$user', 'public', 'heroku_ext';\n";
  toc_entry properties = object(40, "DATABASE PROPERTIES", "app", defn, {}, "");
  properties.namespace_name = std::nullopt;
  test.add(properties);
  const std::size_t before = test.contents.entries.size();
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(40) == defn);
  BOOST_TEST((report.search_path_action == search_path_outcome::already_present));
  BOOST_TEST(test.contents.entries.size() == before + 1); // the SCHEMA entry only
}

BOOST_AUTO_TEST_CASE(second_run_on_rewritten_bodies_literals_and_paths_changes_nothing) {
  fixture test;
  test.options.add_search_path = true;
  test.add(extension(2, "unaccent")).add(extension(3, "hstore")).add(extension(5, "pgcrypto"));
  test.add(function(30, "f_unaccent(text)", "sql",
                    "$$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$"));
  test.add(function(31, "g(text)", "plpgsql", "$fn$ BEGIN RETURN public.hstore('a', $1); END $fn$",
                    "\n    SET search_path TO 'public', 'pg_temp'"));
  test.add(object(20, "VIEW", "v", "CREATE VIEW public.v AS\n SELECT 'public.hstore'::regtype AS t;\n"));
  BOOST_TEST(test.run().changed());
  const archive once = test.contents;
  test.options.add_search_path = true;
  const retarget_report again = test.run();
  BOOST_TEST(!again.changed());
  BOOST_TEST(test.contents.entries.size() == once.entries.size());
  for (std::size_t index = 0; index < once.entries.size(); ++index)
    BOOST_TEST(text_of(test.contents.entries[index].defn) == text_of(once.entries[index].defn));
}

BOOST_AUTO_TEST_CASE(postgis_topology_and_earthdistance_indexes_are_warned_about_with_remedies) {
  fixture test;
  test.options.to_schema = "extensions";
  test.add(extension(2, "postgis")).add(extension(3, "postgis_topology", "topology"));
  test.add(extension(4, "cube")).add(extension(5, "earthdistance"));
  test.add(object(20, "INDEX", "stores_earth",
                  "CREATE INDEX stores_earth ON public.stores USING gist (public.ll_to_earth(lat, lon));\n", {"5"}));
  const retarget_report report = test.run();
  BOOST_TEST(test.defn(20) ==
             "CREATE INDEX stores_earth ON public.stores USING gist (extensions.ll_to_earth(lat, lon));\n");
  BOOST_TEST_REQUIRE(report.warnings.size() == 2u);
  BOOST_TEST(report.warnings[0].dump_id == 3);
  BOOST_TEST((report.warnings[0].kind == warning_kind::search_path_reset));
  BOOST_TEST(report.warnings[0].needs == std::vector<std::string>{"postgis"});
  BOOST_TEST((report.warnings[1].kind == warning_kind::earthdistance_index));
  BOOST_TEST(cli::describe(report.warnings[0], report).find("ALTER DATABASE <db> SET search_path = \"$user\", public, extensions") !=
             std::string::npos);
  BOOST_TEST(cli::describe(report.warnings[0], report).find("PGOPTIONS='-c search_path=\"$user\",public,extensions' pg_restore") !=
             std::string::npos);
  BOOST_TEST(report.warnings[1].dump_id == 20);
  BOOST_TEST(cli::describe(report.warnings[1], report).find(
                 "If the restore reports that error, after it run: SET search_path = extensions, public; CREATE INDEX stores_earth ON "
                 "public.stores USING gist (extensions.ll_to_earth(lat, lon));") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_search_path_warning_when_nothing_they_need_moves) {
  fixture test;
  test.add(extension(2, "postgis", "gis")).add(extension(3, "postgis_topology", "topology"));
  test.add(extension(4, "citext"));
  const retarget_report report = test.run();
  BOOST_TEST(report.warnings.empty());
}

BOOST_AUTO_TEST_SUITE_END()
