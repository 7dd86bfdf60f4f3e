// SPDX-License-Identifier: PostgreSQL
// Tests of order_extension_data, make_portable and parse_use_list
// (src/lib/portable/), and of write_archive leaving out a dropped entry's
// block: archives built in code.
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "pgarc/io.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/verify.hpp"
#include "pgarc/writer.hpp"
#include "retarget/retarget_fixture.hpp"

#include <algorithm>
#include <ostream>

using namespace pgarc;
using namespace pgarc::test::retarget_fixture;
using pgarc::test::archive_builder;

namespace {

memory_catalog& topology_catalog() {
  static memory_catalog catalog = [] {
    memory_catalog made("built-in catalog");
    made.add("postgis_topology", {"table", "topology", ""});
    made.add("postgis_topology", {"table", "layer", ""});
    made.add("pg_partman", {"table", "part_config", ""});
    made.add("pg_partman", {"table", "part_config_sub", ""});
    return made;
  }();
  return catalog;
}

toc_entry data(std::int64_t id, const std::string& schema, const std::string& table, std::int64_t table_id) {
  return archive_builder::table_data(id, table, table_id, schema);
}

bool has_dependency(const toc_entry& entry, std::int64_t id) {
  return std::find(entry.dependencies.begin(), entry.dependencies.end(), std::to_string(id)) !=
         entry.dependencies.end();
}

std::vector<std::int64_t> ids_of(const archive& contents) {
  std::vector<std::int64_t> ids;
  for (const auto& entry : contents.entries)
    ids.push_back(entry.dump_id);
  return ids;
}

const portable_change* change_of(const portable_report& report, std::int64_t id, portable_action action) {
  for (const auto& change : report.changes)
    if (change.dump_id == id && change.action == action)
      return &change;
  return nullptr;
}

} // namespace

namespace pgarc {
std::ostream& operator<<(std::ostream& out, portable_reason reason) { return out << portable_reason_key(reason); }
} // namespace pgarc

BOOST_AUTO_TEST_SUITE(portable_rules)

BOOST_AUTO_TEST_CASE(configuration_data_of_one_extension_loads_in_archive_order) {
  fixture test;
  test.options.catalogs = {&topology_catalog()};
  test.add(extension(2, "postgis_topology", "topology"))
      .add(extension(3, "pg_partman", "partman"))
      .add(object(20, "TABLE", "topology", "CREATE TABLE app.topology (id int);\n", {}, "app"))
      .add(data(100, "topology", "topology", 50))
      .add(data(101, "partman", "part_config", 51))
      .add(data(102, "topology", "layer", 52))
      .add(data(103, "partman", "part_config_sub", 53))
      .add(data(104, "app", "topology", 20)); // a user table named like a member
  const auto added = order_extension_data(test.contents, test.options.catalogs);
  BOOST_TEST_REQUIRE(added.size() == 2u);
  BOOST_TEST(added[0].dump_id == 102);
  BOOST_TEST(added[0].after == 100);
  BOOST_TEST(added[0].extension == "postgis_topology");
  BOOST_TEST(added[1].dump_id == 103);
  BOOST_TEST(added[1].after == 101);
  BOOST_TEST(has_dependency(test.find(102), 100));
  BOOST_TEST(has_dependency(test.find(102), 52)); // its own table stays first
  BOOST_TEST(test.find(102).dependencies.front() == "52");
  BOOST_TEST(test.find(100).dependencies == std::vector<std::string>{"50"});
  BOOST_TEST(test.find(104).dependencies == std::vector<std::string>{"20"});
  // Idempotent: a second run adds nothing.
  BOOST_TEST(order_extension_data(test.contents, test.options.catalogs).empty());
}

BOOST_AUTO_TEST_CASE(configuration_tables_follow_a_retargeted_extension) {
  fixture test;
  test.options.catalogs = {&topology_catalog()};
  test.options.from_schema = "heroku_ext";
  test.options.to_schema = "public";
  test.options.extensions = {"pg_partman"};
  test.add(extension(3, "pg_partman", "heroku_ext"))
      .add(data(101, "heroku_ext", "part_config", 51))
      .add(data(103, "heroku_ext", "part_config_sub", 53));
  const retarget_report report = test.run();
  BOOST_TEST_REQUIRE(report.data_dependencies.size() == 1u);
  BOOST_TEST(report.data_dependencies[0].namespace_name == "public");
  BOOST_TEST(has_dependency(test.find(103), 101));
  BOOST_TEST(report.changed());
}

BOOST_AUTO_TEST_CASE(old_dump_public_schema_and_plpgsql) {
  fixture test;
  toc_entry schema = object(3, "SCHEMA", "public", "CREATE SCHEMA public;\n", {}, "");
  schema.namespace_name = std::nullopt;
  schema.owner = "postgres";
  schema.drop_stmt = "DROP SCHEMA public;\n";
  toc_entry comment = object(4, "COMMENT", "SCHEMA public", "COMMENT ON SCHEMA public IS 'standard public schema';\n",
                             {"3"}, "");
  toc_entry plpgsql = extension(1, "plpgsql", "pg_catalog");
  toc_entry plpgsql_comment =
      object(5, "COMMENT", "EXTENSION plpgsql", "COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';\n",
             {"1"}, "");
  toc_entry citext_comment =
      object(6, "COMMENT", "EXTENSION citext", "COMMENT ON EXTENSION citext IS 'it''s $$ text';\n", {"2"}, "");
  toc_entry function = object(7, "FUNCTION", "f()", "CREATE FUNCTION public.f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\n",
                              {"1", "3"});
  test.add(schema).add(comment).add(plpgsql).add(plpgsql_comment).add(extension(2, "citext")).add(citext_comment).add(function);
  test.options.move_extensions = false;
  test.options.portable.portable = true;
  const retarget_report report = test.run();
  BOOST_TEST(report.moved_extensions.empty());
  BOOST_TEST(ids_of(test.contents) == (std::vector<std::int64_t>{9000, 9001, 3, 2, 6, 7}));
  BOOST_TEST(test.defn(3) == "-- pgarc-retarget: every database has schema public; create it only where it does not "
                             "exist\nCREATE SCHEMA IF NOT EXISTS public;\n");
  BOOST_TEST(test.find(3).drop_stmt.value_or("").rfind("--", 0) == 0u);
  BOOST_TEST(test.find(3).owner.value_or("") == "postgres");
  // The plpgsql function depends on the dropped extension: plpgsql is in
  // every database, so it does not keep it.
  BOOST_TEST(report.portable.retained.empty());
  const std::string guarded = test.defn(6);
  BOOST_TEST(guarded.find("pg_catalog.pg_has_role(extowner, 'USAGE')") != std::string::npos);
  BOOST_TEST(guarded.find("EXECUTE $pgarc_c$COMMENT ON EXTENSION citext IS 'it''s $$ text'$pgarc_c$;") !=
             std::string::npos);
  BOOST_TEST(change_of(report.portable, 4, portable_action::dropped)->reason == portable_reason::default_schema_comment);
  BOOST_TEST(change_of(report.portable, 1, portable_action::dropped)->reason == portable_reason::builtin_plpgsql);
  BOOST_TEST(change_of(report.portable, 5, portable_action::dropped) != nullptr);
  BOOST_TEST(change_of(report.portable, 6, portable_action::rewritten)->reason == portable_reason::extension_comment);
  // A second run changes nothing.
  test.options.portable.portable = true;
  BOOST_TEST(!retarget(test.contents, test.options).changed());
}

BOOST_AUTO_TEST_CASE(a_custom_public_comment_and_quoted_public_are_handled) {
  fixture test;
  toc_entry schema = object(3, "SCHEMA", "public", "CREATE SCHEMA \"public\";\n", {}, "");
  toc_entry comment = object(4, "COMMENT", "SCHEMA public", "COMMENT ON SCHEMA \"public\" IS 'ours';\n", {"3"}, "");
  test.add(schema).add(comment);
  test.options.move_extensions = false;
  test.options.portable.portable = true;
  test.run();
  BOOST_TEST(test.defn(3).find("CREATE SCHEMA IF NOT EXISTS \"public\";\n") != std::string::npos);
  BOOST_TEST(test.defn(4) == "COMMENT ON SCHEMA \"public\" IS 'ours';\n");
}

BOOST_AUTO_TEST_CASE(heroku_event_triggers_and_schema_are_dropped_unless_needed) {
  fixture test;
  auto owned = [](toc_entry entry) {
    entry.owner = "heroku_admin";
    return entry;
  };
  toc_entry schema = owned(object(10, "SCHEMA", "_heroku", "CREATE SCHEMA _heroku;\n", {}, ""));
  schema.namespace_name = std::nullopt;
  test.add(schema)
      .add(owned(object(11, "FUNCTION", "create_ext()",
                        "CREATE FUNCTION _heroku.create_ext() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;\n",
                        {"10"}, "_heroku")))
      .add(owned(object(12, "FUNCTION", "kept()", "CREATE FUNCTION _heroku.kept() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n",
                        {"10"}, "_heroku")))
      .add(object(13, "VIEW", "v", "CREATE VIEW public.v AS SELECT _heroku.kept();\n", {"12"}))
      .add(owned(object(14, "EVENT TRIGGER", "log_create_ext",
                        "CREATE EVENT TRIGGER log_create_ext ON ddl_command_end\n   EXECUTE FUNCTION _heroku.create_ext();\n",
                        {"11"}, "")))
      .add(object(15, "ACL", "SCHEMA _heroku", "GRANT USAGE ON SCHEMA _heroku TO PUBLIC;\n", {"10"}, ""))
      .add(object(16, "COMMENT", "FUNCTION create_ext()", "COMMENT ON FUNCTION _heroku.create_ext() IS 'x';\n", {"11"},
                  "_heroku"))
      .add(object(17, "EVENT TRIGGER", "mine",
                  "CREATE EVENT TRIGGER mine ON ddl_command_end\n   EXECUTE FUNCTION public.audit();\n", {}, ""));
  test.options.move_extensions = false;
  test.options.portable.portable = true;
  const retarget_report report = test.run();
  // 12 stays for the user's view, and with it the schema (and its ACL).
  BOOST_TEST(ids_of(test.contents) == (std::vector<std::int64_t>{9000, 9001, 10, 12, 13, 15, 17}));
  BOOST_TEST(change_of(report.portable, 14, portable_action::dropped)->reason == portable_reason::heroku_event_trigger);
  BOOST_TEST(change_of(report.portable, 14, portable_action::dropped)->owner == "heroku_admin");
  BOOST_TEST(change_of(report.portable, 11, portable_action::dropped)->reason == portable_reason::heroku_object);
  const portable_change* comment = change_of(report.portable, 16, portable_action::dropped);
  BOOST_TEST_REQUIRE(comment != nullptr);
  BOOST_TEST(comment->reason == portable_reason::about_dropped_entry);
  BOOST_TEST(comment->related == 11);
  BOOST_TEST_REQUIRE(report.portable.retained.size() == 2u);
  BOOST_TEST(report.portable.retained[0].dump_id == 12);
  BOOST_TEST(report.portable.retained[0].needed_by == 13);
  BOOST_TEST(report.portable.retained[1].dump_id == 10);
  const std::string json = format_portable_json(report.portable);
  BOOST_TEST(json.find("\"reason\": \"heroku_event_trigger\"") != std::string::npos);
  BOOST_TEST(json.find("\"needed_by\": {\"id\": 13") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(heroku_table_with_data_is_kept) {
  fixture test;
  toc_entry schema = object(10, "SCHEMA", "_heroku", "CREATE SCHEMA _heroku;\n", {}, "");
  test.add(schema)
      .add(object(11, "TABLE", "log", "CREATE TABLE _heroku.log (a int);\n", {"10"}, "_heroku"))
      .add(data(12, "_heroku", "log", 11));
  test.options.move_extensions = false;
  test.options.portable.portable = true;
  const retarget_report report = test.run();
  BOOST_TEST(ids_of(test.contents) == (std::vector<std::int64_t>{9000, 9001, 10, 11, 12}));
  BOOST_TEST(!report.portable.changed());
  BOOST_TEST_REQUIRE(report.portable.retained.size() == 3u);
  BOOST_TEST((report.portable.retained[0].why == retained_reason::carries_data));
}

BOOST_AUTO_TEST_CASE(no_owner_and_no_acl) {
  fixture test;
  toc_entry schema = object(10, "SCHEMA", "billing", "CREATE SCHEMA billing AUTHORIZATION app;\n", {}, "");
  test.add(schema)
      .add(object(11, "TABLE", "t", "CREATE TABLE billing.t (a int);\n", {"10"}, "billing"))
      .add(object(12, "ACL", "TABLE t", "GRANT SELECT ON TABLE billing.t TO app_reader;\n", {"11"}, "billing"))
      .add(object(13, "DEFAULT ACL", "DEFAULT PRIVILEGES FOR TABLES", "ALTER DEFAULT PRIVILEGES ...;\n", {}, "billing"));
  test.options.move_extensions = false;
  test.options.portable.no_owner = true;
  test.options.portable.no_acl = true;
  const retarget_report report = test.run();
  BOOST_TEST(ids_of(test.contents) == (std::vector<std::int64_t>{9000, 9001, 10, 11}));
  BOOST_TEST(!test.find(10).owner.has_value());
  BOOST_TEST(!test.find(11).owner.has_value());
  BOOST_TEST(test.defn(10) == "CREATE SCHEMA billing;\n");
  BOOST_TEST(change_of(report.portable, 12, portable_action::dropped)->reason == portable_reason::no_acl);
  BOOST_TEST(change_of(report.portable, 11, portable_action::owner_removed)->owner == "app");
}

BOOST_AUTO_TEST_CASE(use_list_is_read_as_pg_restore_reads_it) {
  const use_list list = parse_use_list(";\n; Archive created at ...\n3; 2615 2200 SCHEMA - public postgres\n"
                                       ";12; 0 0 ACL - TABLE t app\n  \n 11; 1259 1 TABLE public t app\r\n"
                                       "x; nonsense\n3; again\n99\n");
  BOOST_TEST(list.ids == (std::set<std::int64_t>{3, 11, 99}));
  BOOST_TEST(list.ignored_lines == (std::vector<std::string>{"x", "3"}));
}

BOOST_AUTO_TEST_CASE(use_list_drops_unlisted_entries_and_keeps_session_settings) {
  fixture test;
  test.add(object(10, "TABLE", "t", "CREATE TABLE public.t (a int);\n"))
      .add(object(11, "TABLE", "u", "CREATE TABLE public.u (a int);\n"));
  test.options.move_extensions = false;
  test.options.portable.list = parse_use_list("10; 1259 1 TABLE public t app\n77; gone\n");
  const retarget_report report = test.run();
  BOOST_TEST(ids_of(test.contents) == (std::vector<std::int64_t>{9000, 9001, 10}));
  BOOST_TEST(report.portable.listed_but_absent == std::vector<std::int64_t>{77});
  BOOST_TEST(change_of(report.portable, 11, portable_action::dropped)->reason == portable_reason::not_in_list);
}

BOOST_AUTO_TEST_CASE(a_dropped_entry_leaves_its_block_out) {
  archive_builder builder;
  builder.add(archive_builder::entry(1, "TABLE", "a", "public", std::string("CREATE TABLE public.a (x int);\n")))
      .add(archive_builder::entry(2, "TABLE", "b", "public", std::string("CREATE TABLE public.b (x int);\n")))
      .add(archive_builder::table_data(3, "a", 1))
      .add(archive_builder::table_data(4, "b", 2))
      .add_block({3, block_type::data, {"1\n\\.\n"}, {}})
      .add_block({4, block_type::data, {"2\n\\.\n"}, {}});
  builder.header().compression_level = 0;
  const auto input = builder.build(true);
  memory_source source(input);
  archive_reader reader(source);
  archive edited = reader.take_contents();
  std::erase_if(edited.entries, [](const toc_entry& entry) { return entry.dump_id == 2 || entry.dump_id == 4; });
  memory_sink out;
  const write_summary summary = write_archive(reader, std::move(edited), out);
  BOOST_TEST(summary.data_blocks == 1u);
  BOOST_TEST(summary.offsets_set);
  memory_source written(out.bytes());
  const verify_report checked = verify_archive(written);
  for (const auto& problem : checked.problems) BOOST_TEST_MESSAGE(problem.message);
  BOOST_TEST(checked.ok());
}

BOOST_AUTO_TEST_SUITE_END()
