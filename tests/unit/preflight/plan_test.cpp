// SPDX-License-Identifier: PostgreSQL
// Tests of plan_preflight (src/lib/preflight/plan.cpp): what an archive
// built in code asks of a database, as given and as retargeted.
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "pgarc/preflight.hpp"

using namespace pgarc;
using pgarc::test::archive_builder;

namespace {

toc_entry extension(std::int64_t id, const std::string& name, const std::string& schema) {
  toc_entry entry = archive_builder::entry(id, "EXTENSION", name, std::nullopt,
                                           "CREATE EXTENSION IF NOT EXISTS " + name + " WITH SCHEMA " + schema + ";\n");
  entry.table_oid = "3079";
  return entry;
}

archive app_archive() {
  archive contents;
  contents.header.version = k_vers_1_14;
  contents.header.server_version = "15.6";
  contents.header.pg_dump_version = "15.7";
  contents.entries.push_back(archive_builder::entry(1, "SCHEMA", "public", std::nullopt,
                                                    std::string("-- *not* creating schema, since initdb creates it\n")));
  contents.entries.push_back(
      archive_builder::entry(3, "SCHEMA", "billing", std::nullopt, std::string("CREATE SCHEMA billing;\n")));
  contents.entries.push_back(extension(4, "citext", "public"));
  contents.entries.push_back(extension(5, "plpgsql", "pg_catalog"));
  contents.entries.push_back(
      archive_builder::entry(10, "TABLE", "users", "public", std::string("CREATE TABLE public.users (e public.citext);\n")));
  contents.entries.push_back(
      archive_builder::entry(11, "FUNCTION", "f()", "public", std::string("CREATE FUNCTION public.f() ...;\n")));
  contents.entries.push_back(archive_builder::entry(12, "ACL", "TABLE users", "public", std::string("GRANT ...;\n")));
  return contents;
}

const planned_extension& find(const preflight_plan& plan, const std::string& name) {
  for (const auto& extension : plan.extensions)
    if (extension.name == name)
      return extension;
  throw std::runtime_error("no planned extension " + name);
}

} // namespace

BOOST_AUTO_TEST_SUITE(preflight_plan_archive)

BOOST_AUTO_TEST_CASE(archive_as_given_keeps_its_schemas) {
  const preflight_plan plan = plan_preflight(app_archive(), {});
  BOOST_TEST(!plan.retargeted);
  BOOST_TEST(plan.server_version == "15.6");
  BOOST_TEST(plan.pg_dump_version == "15.7");
  BOOST_TEST(plan.extensions.size() == 2u);
  BOOST_TEST(find(plan, "citext").archive_schema == "public");
  BOOST_TEST(find(plan, "citext").restore_schema == "public");
  BOOST_TEST(find(plan, "citext").dump_id == 4);
  BOOST_TEST(find(plan, "plpgsql").restore_schema == "pg_catalog");
  // public's entry is pg_dump's comment, billing's creates it.
  BOOST_TEST(plan.original_schemas == (std::vector<std::string>{"billing"}));
  const planned_schema* public_schema = plan.schema("public");
  BOOST_TEST_REQUIRE(public_schema != nullptr);
  BOOST_TEST(!public_schema->created_by_archive);
  BOOST_TEST(public_schema->objects == 2u); // the table and the function, not the ACL
  // --to's schema is always examined, even when nothing moves there.
  const planned_schema* heroku_ext = plan.schema("heroku_ext");
  BOOST_TEST_REQUIRE(heroku_ext != nullptr);
  BOOST_TEST(!heroku_ext->created_by_archive);
  BOOST_TEST(!plan.search_path_schema.has_value());
}

BOOST_AUTO_TEST_CASE(retargeted_archive_creates_extensions_in_the_to_schema) {
  preflight_options options;
  options.retargeted = true;
  options.retarget.add_search_path = true;
  const archive original = app_archive();
  const preflight_plan plan = plan_preflight(original, options);
  BOOST_TEST(plan.retargeted);
  BOOST_TEST(find(plan, "citext").archive_schema == "public");
  BOOST_TEST(find(plan, "citext").restore_schema == "heroku_ext");
  BOOST_TEST(find(plan, "plpgsql").restore_schema == "pg_catalog"); // exempt
  const planned_schema* heroku_ext = plan.schema("heroku_ext");
  BOOST_TEST_REQUIRE(heroku_ext != nullptr);
  BOOST_TEST(heroku_ext->created_by_archive);
  BOOST_TEST(heroku_ext->created_if_missing);
  BOOST_TEST(plan.search_path_schema.value_or("") == "heroku_ext");
  // The archive itself is not changed.
  BOOST_TEST(original.entries.size() == app_archive().entries.size());
}

BOOST_AUTO_TEST_CASE(options_name_the_schemas_examined) {
  preflight_options options;
  options.retargeted = true;
  options.retarget.to_schema = "extensions";
  options.retarget.excluded_extensions = {"citext"};
  const preflight_plan plan = plan_preflight(app_archive(), options);
  BOOST_TEST(find(plan, "citext").restore_schema == "public");
  BOOST_TEST(plan.to_schema == "extensions");
  BOOST_TEST(plan.schema("extensions") != nullptr);
  BOOST_TEST(plan.schema("heroku_ext") == nullptr);
}

BOOST_AUTO_TEST_CASE(plain_create_schema_is_not_conditional) {
  archive contents = app_archive();
  contents.entries.push_back(
      archive_builder::entry(20, "SCHEMA", "ext", std::nullopt, std::string("CREATE SCHEMA ext;\n")));
  contents.entries.push_back(extension(21, "hstore", "ext"));
  const preflight_plan plan = plan_preflight(contents, {});
  const planned_schema* ext = plan.schema("ext");
  BOOST_TEST_REQUIRE(ext != nullptr);
  BOOST_TEST(ext->created_by_archive);
  BOOST_TEST(!ext->created_if_missing);
}

BOOST_AUTO_TEST_SUITE_END()
