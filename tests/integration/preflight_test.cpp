// SPDX-License-Identifier: PostgreSQL
// pgarc-retarget --target on a real server: a database with Heroku's rules,
// a plain one, a role without rights, an archive that needs an extension the
// server lacks, an archive from a newer server, a Heroku capture; libpq URIs
// and PG* variables; and the database is the same afterwards.
#include "app_fixture.hpp"
#include "archive_builder.hpp"
#include "temp_cluster.hpp"

#include <boost/test/unit_test.hpp>

#include <cctype>
#include <cstdlib>
#include <fstream>

using namespace pgarc::test;
namespace fs = std::filesystem;

namespace {

/// A key=value connection string for `database` on the test cluster.
std::string conninfo(const std::string& database, const std::string& user = "postgres") {
  temp_cluster& cluster = app_fixture::instance().cluster();
  return "host='" + cluster.root().string() + "' port=" + std::to_string(cluster.port()) + " user=" + user +
         " dbname=" + database;
}

/// pgarc-retarget with `args`, in an environment without PG* variables
/// unless `environment` sets some.
process_result retarget(const std::vector<std::string>& args,
                        std::vector<std::pair<std::string, std::optional<std::string>>> environment = {}) {
  const char* program = std::getenv("PGARC_RETARGET");
  BOOST_TEST_REQUIRE(program != nullptr, "PGARC_RETARGET is not set");
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  process_options options;
  for (const char* name : {"PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE", "PGOPTIONS", "PGPASSWORD"})
    options.environment.emplace_back(name, std::nullopt);
  for (auto& setting : environment)
    options.environment.push_back(std::move(setting));
  return run_process(argv, options);
}

bool has_line(const process_result& result, const std::string& text) {
  return result.err.find(text) != std::string::npos;
}

bool has_json(const process_result& result, const std::string& text) {
  return result.out.find(text) != std::string::npos;
}

std::string default_archive() { return app_fixture::instance().archive("default").path.string(); }

/// A login role with no rights beyond PUBLIC's, new for each call.
std::string new_login_role(const std::string& purpose) {
  static int made = 0;
  const std::string role = "preflight_" + purpose + "_" + std::to_string(++made);
  app_fixture::instance().cluster().run_sql("postgres", "CREATE ROLE " + role + " LOGIN;");
  return role;
}

/// An archive built in code: a pg_dump `dumped_by` header and EXTENSION
/// entries that create `extensions` in public, then a table using the first.
fs::path built_archive(const std::string& name, pgarc::archive_version version, const std::string& dumped_by,
                       const std::vector<std::string>& extensions) {
  archive_builder builder(version);
  builder.header().database_name = "app";
  builder.header().server_version = dumped_by;
  builder.header().pg_dump_version = dumped_by;
  builder.add(archive_builder::entry(1, "ENCODING", "ENCODING", std::nullopt,
                                     std::string("SET client_encoding = 'UTF8';\n")));
  builder.add(archive_builder::entry(2, "STDSTRINGS", "STDSTRINGS", std::nullopt,
                                     std::string("SET standard_conforming_strings = 'on';\n")));
  builder.add(archive_builder::entry(3, "SEARCHPATH", "SEARCHPATH", std::nullopt,
                                     std::string("SELECT pg_catalog.set_config('search_path', '', false);\n")));
  std::int64_t dump_id = 10;
  for (const auto& extension : extensions) {
    pgarc::toc_entry entry = archive_builder::entry(
        dump_id++, "EXTENSION", extension, std::nullopt,
        "CREATE EXTENSION IF NOT EXISTS " + extension + " WITH SCHEMA public;\n");
    entry.table_oid = "3079";
    entry.drop_stmt = "DROP EXTENSION " + extension + ";\n";
    builder.add(entry);
  }
  pgarc::toc_entry table = archive_builder::entry(
      dump_id, "TABLE", "users", "public",
      "CREATE TABLE public.users (\n    email public." + extensions.front() + "\n);\n");
  table.owner = "postgres";
  builder.add(table);
  const fs::path path = app_fixture::instance().work_file(name);
  const bytes contents = builder.build();
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(contents.data()), static_cast<std::streamsize>(contents.size()));
  BOOST_TEST_REQUIRE(out.good(), "could not write " << path);
  return path;
}

/// What the preflight must never change: the schema dump, and the schemas
/// and extensions the catalogs list.
std::string database_state(const std::string& database) {
  temp_cluster& cluster = app_fixture::instance().cluster();
  return normalise_dump(cluster.dump_text(database, {"--schema-only"})) + "\nschemas: " +
         cluster.query_value(database, "SELECT string_agg(nspname, ', ' ORDER BY nspname) FROM pg_namespace") +
         "\nextensions: " +
         cluster.query_value(database, "SELECT string_agg(extname || ' ' || extnamespace::regnamespace, ', '"
                                       " ORDER BY extname) FROM pg_extension");
}

} // namespace

BOOST_AUTO_TEST_SUITE(preflight)

BOOST_AUTO_TEST_CASE(heroku_database_enforces_heroku_ext_and_gets_suggested) {
  app_fixture& fixture = app_fixture::instance();
  const std::string heroku = fixture.new_heroku_database("preflight_heroku");

  const process_result given = retarget({"--target", conninfo(heroku), "--json", default_archive()});
  BOOST_TEST_INFO(given.err);
  BOOST_TEST(given.exit_status == 1);
  BOOST_TEST(has_line(given, "pgarc-retarget: ok: the database only accepts extensions in schema \"heroku_ext\": "
                             "CREATE EXTENSION tsm_system_rows in scratch schema pgarc_probe_"));
  BOOST_TEST(has_line(given, "was refused with: extension \"tsm_system_rows\" must be installed in schema "
                             "\"heroku_ext\"; rolled back"));
  BOOST_TEST(has_line(given, "pgarc-retarget: problem: extension \"citext\" would be created in schema \"public\" "
                             "but the database only accepts extensions in schema \"heroku_ext\""));
  BOOST_TEST(has_line(given, "pgarc-retarget: ok: use --to heroku_ext: the database only accepts extensions in "
                             "schema \"heroku_ext\""));
  BOOST_TEST(has_line(given, "not expected to restore"));
  BOOST_TEST(has_json(given, "\"enforced_schema\": \"heroku_ext\""));
  BOOST_TEST(has_json(given, "\"options\": \"--to heroku_ext\""));
  BOOST_TEST(has_json(given, "\"expected_to_restore\": false"));

  const process_result moved =
      retarget({"--target", conninfo(heroku), "--to", "heroku_ext", default_archive()});
  BOOST_TEST_INFO(moved.err);
  BOOST_TEST(moved.exit_status == 0);
  BOOST_TEST(has_line(moved, "pgarc-retarget: ok: schema \"heroku_ext\" exists (owner \"heroku_admin\"); role "
                             "\"postgres\" may create objects in it (the archive creates extensions"));
  BOOST_TEST(has_line(moved, "pgarc-retarget: ok: extension \"postgis\" is available (default version "));
  BOOST_TEST(has_line(moved, "(as the options given do)"));
  BOOST_TEST(has_line(moved, "retargeted from public to heroku_ext into database \"" + heroku +
                                 "\": expected to restore (0 problems, "));
}

BOOST_AUTO_TEST_CASE(heroku_database_as_a_role_that_may_not_create_in_heroku_ext) {
  app_fixture& fixture = app_fixture::instance();
  const std::string heroku = fixture.new_heroku_database("preflight_heroku_role");
  const std::string role = new_login_role("heroku");
  // CREATE on the database lets the role create trusted extensions (and
  // the probe run), but heroku_ext grants it USAGE only.
  fixture.cluster().run_sql("postgres", "GRANT CREATE ON DATABASE " + heroku + " TO " + role + ";");

  const process_result result =
      retarget({"--target", conninfo(heroku, role), "--to", "heroku_ext", default_archive()});
  BOOST_TEST_INFO(result.err);
  BOOST_TEST(result.exit_status == 1);
  BOOST_TEST(has_line(result, "pgarc-retarget: warning: schema \"heroku_ext\" exists (owner \"heroku_admin\") but "
                              "role \"" + role + "\" may not create objects in it (no CREATE privilege)"));
  BOOST_TEST(has_line(result, "pgarc-retarget: ok: the database only accepts extensions in schema \"heroku_ext\""));
  BOOST_TEST(has_line(result, "pgarc-retarget: problem: extension \"postgis\" is not trusted: only a superuser may "
                              "create it, and role \"" + role + "\" is not one"));
  BOOST_TEST(has_line(result, "pgarc-retarget: ok: extension \"citext\" is available"));
  // PostgreSQL 15 gives PUBLIC no CREATE on schema public.
  BOOST_TEST(has_line(result, "pgarc-retarget: problem: schema \"public\" exists (owner \"pg_database_owner\") but "
                              "role \"" + role + "\" may not create objects in it (no CREATE privilege), and the "
                              "archive creates "));
}

BOOST_AUTO_TEST_CASE(plain_database_has_no_rule_and_heroku_ext_can_be_created) {
  app_fixture& fixture = app_fixture::instance();
  const std::string plain = fixture.new_plain_database("preflight_plain");

  const process_result given = retarget({"--target", conninfo(plain), default_archive()});
  BOOST_TEST_INFO(given.err);
  BOOST_TEST(given.exit_status == 0);
  BOOST_TEST(has_line(given, "pgarc-retarget: ok: the database accepts extensions in any schema: CREATE EXTENSION "
                             "tsm_system_rows in scratch schema pgarc_probe_"));
  BOOST_TEST(has_line(given, "pgarc-retarget: ok: schema \"heroku_ext\" does not exist; role \"postgres\" may "
                             "create it"));
  BOOST_TEST(has_line(given, "pgarc-retarget: ok: keep the archive's schema \"public\" (no --from/--to needed)"));
  BOOST_TEST(has_line(given, "as given into database \"" + plain + "\": expected to restore"));

  const process_result moved = retarget({"--target", conninfo(plain), "--to", "heroku_ext", default_archive()});
  BOOST_TEST_INFO(moved.err);
  BOOST_TEST(moved.exit_status == 0);
  BOOST_TEST(has_line(moved, "pgarc-retarget: ok: schema \"heroku_ext\" does not exist; the archive creates it and "
                             "role \"postgres\" may create schemas"));
  BOOST_TEST(has_line(moved, "pgarc-retarget: warning: schema \"heroku_ext\" is not on the search_path"));
  BOOST_TEST(has_line(moved, "(the options given move extensions from \"public\" to \"heroku_ext\")"));
}

BOOST_AUTO_TEST_CASE(role_without_create_rights_cannot_restore) {
  app_fixture& fixture = app_fixture::instance();
  const std::string plain = fixture.new_plain_database("preflight_no_rights");
  const std::string role = new_login_role("plain");

  const process_result result =
      retarget({"--target", conninfo(plain, role), "--to", "heroku_ext", "--json", default_archive()});
  BOOST_TEST_INFO(result.err);
  BOOST_TEST(result.exit_status == 1);
  BOOST_TEST(has_line(result, "as role \"" + role + "\" (not a superuser)"));
  BOOST_TEST(has_line(result, "pgarc-retarget: problem: schema \"heroku_ext\" does not exist and role \"" + role +
                              "\" may not create it (no CREATE privilege on database \"" + plain + "\")"));
  BOOST_TEST(has_line(result, "pgarc-retarget: problem: extension \"citext\" is trusted, but role \"" + role +
                              "\" may not create it without CREATE privilege on database \"" + plain + "\""));
  BOOST_TEST(has_line(result, "pgarc-retarget: problem: extension \"bloom\" is not trusted"));
  BOOST_TEST(has_line(result, "pgarc-retarget: warning: could not tell whether the database insists on a schema "
                              "for extensions: not probed (role " + role + " may not create schemas or extensions "
                              "in database " + plain + ")"));
  BOOST_TEST(has_json(result, "\"superuser\": false, \"may_create_in_database\": false"));
  BOOST_TEST(has_json(result, "\"attempted\": false"));
}

BOOST_AUTO_TEST_CASE(extension_the_server_lacks_is_a_problem) {
  app_fixture& fixture = app_fixture::instance();
  const std::string plain = fixture.new_plain_database("preflight_missing_extension");
  const fs::path archive = built_archive("needs-missing-extension.dump", pgarc::k_vers_1_14,
                                         "15.6 (Debian 15.6-0+deb12u1)", {"citext", "pgarc_no_such_extension"});

  const process_result result = retarget({"--target", conninfo(plain), "--json", archive.string()});
  BOOST_TEST_INFO(result.err);
  BOOST_TEST(result.exit_status == 1);
  BOOST_TEST(has_line(result, "pgarc-retarget: problem: extension \"pgarc_no_such_extension\" is not available on "
                              "the server (not in pg_available_extensions)"));
  // 1.6 on PostgreSQL 15 and 17, 1.8 on 18.
  const std::string citext_version = fixture.cluster().query_value(
      plain, "SELECT default_version FROM pg_available_extensions WHERE name = 'citext'");
  BOOST_TEST(has_line(result, "pgarc-retarget: ok: extension \"citext\" is available (default version " +
                                  citext_version + ")"));
  BOOST_TEST(has_json(result, "{\"name\": \"pgarc_no_such_extension\", \"available\": false"));
}

BOOST_AUTO_TEST_CASE(archive_from_a_newer_server_is_a_problem) {
  app_fixture& fixture = app_fixture::instance();
  const std::string plain = fixture.new_plain_database("preflight_newer");
  // The suite runs on PostgreSQL 15, 17 and 18 (tests/integration/meson.build):
  // the archive comes from the next major version.
  const int major = std::stoi(
      fixture.cluster().query_value(plain, "SELECT current_setting('server_version_num')::int / 10000"));
  const std::string newer = std::to_string(major + 1);
  const std::string dumped_by = newer + ".2 (Debian " + newer + ".2-1.pgdg120+2)";
  const fs::path archive = built_archive("from-pg" + newer + ".dump",
                                         major == 15 ? pgarc::k_vers_1_15 : pgarc::k_vers_1_16, dumped_by,
                                         {"citext"});

  const process_result result = retarget({"--target", conninfo(plain), archive.string()});
  BOOST_TEST_INFO(result.err);
  BOOST_TEST(result.exit_status == 1);
  BOOST_TEST(has_line(result, "pgarc-retarget: problem: the archive was dumped from PostgreSQL " + newer +
                                  " (pg_dump " + dumped_by + ") but the database runs " + std::to_string(major) +
                                  " ("));
  // Only PostgreSQL 15's pg_restore cannot read the archive (1.15 needs 16).
  if (major == 15)
    BOOST_TEST(has_line(result, "pgarc-retarget: warning: archive version 1.15 needs pg_restore 16 or later; the "
                                "database runs 15, whose own pg_restore cannot read it: use pg_restore 16 or later"));
}

BOOST_AUTO_TEST_CASE(heroku_capture_into_a_plain_database_suggests_moving_back_to_public) {
  app_fixture& fixture = app_fixture::instance();
  const std::string plain = fixture.new_plain_database("preflight_capture");

  const process_result given = retarget({"--target", conninfo(plain), fixture.heroku_capture().string()});
  BOOST_TEST_INFO(given.err);
  BOOST_TEST(given.exit_status == 1);
  BOOST_TEST(has_line(given, "pgarc-retarget: problem: schema \"heroku_ext\" does not exist and the archive does "
                             "not create it"));
  BOOST_TEST(has_line(given, "pgarc-retarget: ok: use --from heroku_ext --to public: schema \"heroku_ext\" does not "
                             "exist in the database and the archive does not create it"));

  const process_result moved = retarget(
      {"--target", conninfo(plain), "--from", "heroku_ext", "--to", "public", fixture.heroku_capture().string()});
  BOOST_TEST_INFO(moved.err);
  BOOST_TEST(moved.exit_status == 0);
  BOOST_TEST(has_line(moved, "(as the options given do)"));
}

BOOST_AUTO_TEST_CASE(uri_and_pg_environment_variables_reach_the_database) {
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const std::string plain = fixture.new_plain_database("preflight_uri");

  // The socket folder goes in the query string, percent-encoded where needed.
  std::string host;
  for (const unsigned char letter : cluster.root().string()) {
    if (std::isalnum(letter) || letter == '/' || letter == '-' || letter == '_' || letter == '.') {
      host.push_back(static_cast<char>(letter));
    } else {
      static const char digits[] = "0123456789ABCDEF";
      host += '%';
      host += digits[letter >> 4];
      host += digits[letter & 15];
    }
  }
  const std::string uri = "postgresql://postgres@/" + plain + "?host=" + host + "&port=" + std::to_string(cluster.port());
  const process_result by_uri = retarget({"--target", uri, default_archive()});
  BOOST_TEST_INFO(by_uri.err);
  BOOST_TEST(by_uri.exit_status == 0);
  BOOST_TEST(has_line(by_uri, "connected to database \"" + plain + "\" as role \"postgres\""));

  const process_result by_environment =
      retarget({"--target", plain, default_archive()},
               {{"PGHOST", cluster.root().string()}, {"PGPORT", std::to_string(cluster.port())}, {"PGUSER", "postgres"}});
  BOOST_TEST_INFO(by_environment.err);
  BOOST_TEST(by_environment.exit_status == 0);
  BOOST_TEST(has_line(by_environment, "connected to database \"" + plain + "\" as role \"postgres\""));

  const process_result no_database = retarget(
      {"--target", "dbname=preflight_no_such_database password=s3cret", default_archive()},
      {{"PGHOST", cluster.root().string()}, {"PGPORT", std::to_string(cluster.port())}, {"PGUSER", "postgres"}});
  BOOST_TEST(no_database.exit_status == 1);
  BOOST_TEST(no_database.err.find("pgarc-retarget: error: could not connect to database: ") == 0u, no_database.err);
  BOOST_TEST(has_line(no_database, "database \"preflight_no_such_database\" does not exist"));
  BOOST_TEST(no_database.err.find("s3cret") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(target_is_unchanged_afterwards) {
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  for (const bool heroku : {false, true}) {
    const std::string database = heroku ? fixture.new_heroku_database("preflight_unchanged_heroku")
                                        : fixture.new_plain_database("preflight_unchanged_plain");
    const std::string before = database_state(database);
    const std::string extensions_before = cluster.query_value(database, "SELECT count(*) FROM pg_extension");
    const std::string settings_query = "SELECT count(*) FROM pg_db_role_setting AS s JOIN pg_database AS d"
                                       " ON d.oid = s.setdatabase WHERE d.datname = current_database()";
    // Heroku-like databases have their search_path setting from the start.
    const std::string settings_before = cluster.query_value(database, settings_query);

    for (const auto& options : std::vector<std::vector<std::string>>{{}, {"--to", "heroku_ext", "--search-path"}}) {
      std::vector<std::string> args = {"--target", conninfo(database), "--json"};
      args.insert(args.end(), options.begin(), options.end());
      args.push_back(default_archive());
      const process_result result = retarget(args);
      BOOST_TEST_INFO(database << ": " << result.err);
      BOOST_TEST(result.exit_status <= 1);
      // The probe ran (so there was something to leave behind) and found nothing left.
      BOOST_TEST(has_json(result, "\"attempted\": true"));
      BOOST_TEST(has_json(result, "\"left_nothing_behind\": true"));
    }

    const std::string after = database_state(database);
    BOOST_TEST(after == before, describe_difference("before", before, "after", after));
    BOOST_TEST(cluster.query_value(database, "SELECT count(*) FROM pg_extension") == extensions_before);
    BOOST_TEST(cluster.query_value(database, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'pgarc%'") == "0");
    BOOST_TEST(cluster.query_value(database, "SELECT count(*) FROM pg_extension WHERE extname = 'tsm_system_rows'") ==
               "0");
    BOOST_TEST(cluster.query_value(database, "SELECT count(*) FROM pg_namespace WHERE nspname = 'heroku_ext'") ==
               (heroku ? "1" : "0"));
    BOOST_TEST(cluster.query_value(database, settings_query) == settings_before);
  }
}

BOOST_AUTO_TEST_SUITE_END()
