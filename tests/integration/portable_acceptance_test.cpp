// SPDX-License-Identifier: PostgreSQL
// Acceptance tests of issue 16: archives made by real pg_dump 9.6 and 11
// (testdata/vectors) and the fixture restore with zero errors after
// --portable into a database other than their own: as the superuser, as a
// non-superuser that owns the database (with --no-owner), into a
// Heroku-rule database combined with retargeting, serially and with -j 2; a
// Heroku capture with Heroku's _heroku event triggers restores elsewhere.
// Kept lean: the small vectors carry the role and mode combinations, the
// fixture one parallel restore.
#include "app_fixture.hpp"
#include "behaviour.hpp"
#include "temp_cluster.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>

namespace data = boost::unit_test::data;
namespace fs = std::filesystem;
using namespace pgarc::test;

namespace {

/// A non-superuser that may log in; it is made the owner of its target databases.
constexpr const char* database_owner = "portable_owner";

fs::path vector_path(const std::string& name) {
  const char* directory = std::getenv("PGARC_VECTORS");
  BOOST_TEST_REQUIRE(directory != nullptr, "PGARC_VECTORS is not set (tests/integration/meson.build)");
  return fs::path(directory) / (name + ".dump");
}

/// Roles the vectors name, and the database owner; once per run.
void prepare_roles() {
  static bool done = false;
  if (done)
    return;
  app_fixture& fixture = app_fixture::instance();
  const char* directory = std::getenv("PGARC_VECTORS");
  BOOST_TEST_REQUIRE(directory != nullptr);
  fixture.cluster().run_sql_file("postgres", fs::path(directory) / "roles.sql");
  fixture.cluster().run_sql("postgres", std::string("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '") +
                                            database_owner + "') THEN CREATE ROLE " + database_owner +
                                            " LOGIN; END IF; END $$;");
  done = true;
}

std::string describe_errors(const restore_result& result) {
  std::string text;
  for (const auto& line : result.errors())
    text += line + "\n";
  return text;
}

std::string tables_of(const std::string& name) {
  return name.rfind("plain.", 0) == 0 ? "public.authors, public.books"
                                      : "public.users, public.rooms, public.reservations";
}

/// Row counts of the vector's tables, one line.
std::string row_counts(temp_cluster& cluster, const std::string& database, const std::string& name) {
  std::string counts;
  std::string tables = tables_of(name);
  std::size_t start = 0;
  while (start < tables.size()) {
    const std::size_t end = std::min(tables.find(", ", start), tables.size());
    const std::string table = tables.substr(start, end - start);
    counts += table + "=" + cluster.query_value(database, "SELECT count(*) FROM " + table) + " ";
    start = end + 2;
  }
  return counts;
}

const std::vector<std::string>& old_vectors() {
  static const std::vector<std::string> names = {"tiny.pg96.default", "plain.pg96.piped", "tiny.pg11.default",
                                                 "plain.pg11.default"};
  return names;
}

} // namespace

BOOST_AUTO_TEST_SUITE(portable_acceptance)

// The superuser, serially and with -j 2: the same database as the original
// gives (which fails on CREATE SCHEMA public and restores everything else).
// The database owner, with --no-owner: no error, every row.
BOOST_DATA_TEST_CASE(old_vectors_restore_with_no_error, data::make(old_vectors()), name) {
  prepare_roles();
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const fs::path original = vector_path(name);

  const std::string reference = fixture.new_plain_database("portable_reference");
  cluster.restore(original, reference);

  const fs::path portable = fixture.work_file(name + ".portable.dump");
  const process_result made = fixture.retarget({original.string(), "-o", portable.string(), "--portable"});
  BOOST_TEST_REQUIRE(made.succeeded(), made.describe());
  for (const auto& mode : restore_modes()) {
    const std::string target = fixture.new_plain_database("portable_superuser");
    const restore_result result = cluster.restore(portable, target, restore_options(mode));
    BOOST_TEST(result.error_count == 0, mode << ": " << describe_errors(result));
    const std::string difference = cluster.database_difference(reference, target);
    BOOST_TEST(difference.empty(), mode << ": " << difference);
    cluster.drop_database(target);
  }

  const fs::path owned = fixture.work_file(name + ".portable-noowner.dump");
  const process_result made_owned =
      fixture.retarget({original.string(), "-o", owned.string(), "--portable", "--no-owner"});
  BOOST_TEST_REQUIRE(made_owned.succeeded(), made_owned.describe());
  const std::string target = fixture.new_plain_database("portable_owner");
  cluster.run_sql("postgres", "ALTER DATABASE " + target + " OWNER TO " + database_owner);
  const restore_result result = cluster.restore(owned, target, {"-U", database_owner, "-j", "2"});
  BOOST_TEST(result.error_count == 0, describe_errors(result));
  BOOST_TEST(row_counts(cluster, target, name) == row_counts(cluster, reference, name));
  cluster.drop_database(target);
  cluster.drop_database(reference);
}

// Combined with retargeting, into a Heroku-rule database, both modes.
BOOST_DATA_TEST_CASE(old_vectors_restore_on_heroku_with_retargeting, data::make(restore_modes()), mode) {
  prepare_roles();
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  for (const std::string name : {"tiny.pg96.default", "tiny.pg11.default"}) {
    const fs::path portable = fixture.work_file(name + ".portable-heroku.dump");
    const process_result made = fixture.retarget(
        {vector_path(name).string(), "-o", portable.string(), "--portable", "--to", "heroku_ext"});
    BOOST_TEST_REQUIRE(made.succeeded(), made.describe());
    const std::string heroku = fixture.new_heroku_database("portable_heroku");
    const restore_result result = cluster.restore(portable, heroku, restore_options(mode));
    BOOST_TEST(result.error_count == 0, name << ": " << describe_errors(result));
    BOOST_TEST(cluster.query_value(heroku, "SELECT count(*) FROM pg_extension"
                                           " WHERE extnamespace = 'heroku_ext'::regnamespace") == "3");
    BOOST_TEST(row_counts(cluster, heroku, name) == "public.users=4 public.rooms=3 public.reservations=3 ",
               row_counts(cluster, heroku, name));
    cluster.drop_database(heroku);
  }
}

// The fixture's archive, --portable with retargeting, -j 2 into Heroku: the
// oracle's database, as retargeting alone gives.
BOOST_AUTO_TEST_CASE(fixture_restores_on_heroku_in_parallel) {
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const fs::path portable = fixture.work_file("app.portable.heroku.dump");
  const process_result made = fixture.retarget(
      {fixture.archive("default").path.string(), "-o", portable.string(), "--portable", "--to", "heroku_ext"});
  BOOST_TEST_REQUIRE(made.succeeded(), made.describe());
  const std::string heroku = fixture.new_heroku_database("portable_app");
  const restore_result result = cluster.restore(portable, heroku, {"-j", "2"});
  BOOST_TEST(result.error_count == 0, describe_errors(result));
  comparison_options compared;
  compared.excluded = app_fixture::heroku_simulation_objects();
  for (const auto& [schema, name] : std::vector<std::pair<std::string, std::string>>{
           {"public", "f_unaccent(text)"},
           {"public", "verify_password(text, text)"},
           {"public", "check_password(text, text)"},
           {"billing", "log_event_change()"}})
    compared.excluded.push_back({"FUNCTION", schema, name});
  const std::string difference = cluster.database_difference(app_fixture::oracle_database, heroku, compared);
  BOOST_TEST(difference.empty(), difference);
  cluster.drop_database(heroku);
}

// A Heroku database of 2024: Heroku's event triggers, owned by
// heroku_admin, run functions of schema _heroku, which the capture leaves
// out. Elsewhere the original fails; --portable drops them, says so, and the
// restore has no error, as the superuser and as the database's owner.
BOOST_AUTO_TEST_CASE(heroku_capture_with_event_triggers_restores_elsewhere) {
  prepare_roles();
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const std::string source = fixture.new_plain_database("heroku_2024");
  cluster.run_sql(source, "CREATE TABLE public.notes (id integer PRIMARY KEY, body text);\n"
                          "INSERT INTO public.notes SELECT i, 'note ' || i FROM generate_series(1, 50) i;\n"
                          "CREATE SCHEMA _heroku;\n"
                          "CREATE FUNCTION _heroku.create_ext() RETURNS event_trigger LANGUAGE plpgsql\n"
                          "  AS $$ BEGIN END $$;\n"
                          "CREATE FUNCTION _heroku.drop_ext() RETURNS event_trigger LANGUAGE plpgsql\n"
                          "  AS $$ BEGIN END $$;\n"
                          "CREATE EVENT TRIGGER extension_create ON ddl_command_end WHEN TAG IN ('CREATE EXTENSION')\n"
                          "  EXECUTE FUNCTION _heroku.create_ext();\n"
                          "CREATE EVENT TRIGGER extension_drop ON sql_drop EXECUTE FUNCTION _heroku.drop_ext();\n");
  // The owner of an event trigger must be a superuser: heroku_admin is one
  // on Heroku, here only while it is given them.
  cluster.run_sql(source, "ALTER ROLE heroku_admin SUPERUSER;\n"
                          "ALTER EVENT TRIGGER extension_create OWNER TO heroku_admin;\n"
                          "ALTER EVENT TRIGGER extension_drop OWNER TO heroku_admin;\n"
                          "ALTER ROLE heroku_admin NOSUPERUSER;\n");
  const fs::path capture = fixture.work_file("heroku_2024.capture.dump");
  cluster.dump_piped(source, capture,
                     {"-Fc", "--no-acl", "--no-owner", "--quote-all-identifiers", "--exclude-schema=heroku_ext",
                      "--exclude-schema=_heroku"});
  cluster.drop_database(source);

  const std::string before = fixture.new_plain_database("heroku_2024_original");
  const restore_result original = cluster.restore(capture, before);
  BOOST_TEST(original.has_error("_heroku"), original.messages);
  cluster.drop_database(before);

  const process_result report = fixture.retarget({capture.string(), "--dry-run", "--json", "--portable"});
  BOOST_TEST_REQUIRE(report.succeeded(), report.describe());
  for (const char* trigger : {"extension_create", "extension_drop"}) {
    const std::string listed = std::string("\"desc\": \"EVENT TRIGGER\", \"tag\": \"") + trigger +
                               "\", \"namespace\": \"\", \"owner\": \"heroku_admin\", \"action\": \"dropped\", "
                               "\"reason\": \"heroku_event_trigger\"";
    BOOST_TEST(report.out.find(listed) != std::string::npos, report.out);
  }

  const fs::path portable = fixture.work_file("heroku_2024.portable.dump");
  const process_result made =
      fixture.retarget({capture.string(), "-o", portable.string(), "--portable", "--no-owner"});
  BOOST_TEST_REQUIRE(made.succeeded(), made.describe());
  BOOST_TEST(made.err.find("dropped entry") != std::string::npos, made.err);
  for (const bool superuser : {true, false}) {
    const std::string target = fixture.new_plain_database("heroku_2024_elsewhere");
    std::vector<std::string> options = {"-j", "2"};
    if (!superuser) {
      cluster.run_sql("postgres", "ALTER DATABASE " + target + " OWNER TO " + database_owner);
      options = {"-U", database_owner};
    }
    const restore_result result = cluster.restore(portable, target, options);
    BOOST_TEST(result.error_count == 0, (superuser ? "superuser: " : "owner: ") << describe_errors(result));
    BOOST_TEST(cluster.query_value(target, "SELECT count(*) FROM public.notes") == "50");
    BOOST_TEST(cluster.query_value(target, "SELECT count(*) FROM pg_event_trigger") == "0");
    cluster.drop_database(target);
  }
}

BOOST_AUTO_TEST_SUITE_END()
