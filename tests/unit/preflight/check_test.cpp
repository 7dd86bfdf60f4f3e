// SPDX-License-Identifier: PostgreSQL
// Tests of check_preflight (src/lib/preflight/check.cpp): the verdict and the
// suggested schema for plans and database facts built in code, no server.
// Each finding is checked by its code and, through the CLI's words
// (src/cli/preflight_words.cpp), by the sentence a user reads.
#include <boost/test/unit_test.hpp>

#include "pgarc/preflight.hpp"
#include "preflight_words.hpp"

#include <algorithm>

using namespace pgarc;

namespace {

/// A plan for an archive from a PostgreSQL 15 server that creates `names`
/// in `schema` (as given), and a table in public.
preflight_plan archive_plan(const std::vector<std::string>& names, const std::string& schema = "public") {
  preflight_plan plan;
  plan.version = k_vers_1_14;
  plan.server_version = "15.6 (Debian 15.6-0+deb12u1)";
  plan.pg_dump_version = plan.server_version;
  plan.from_schema = "public";
  plan.to_schema = "heroku_ext";
  std::int64_t dump_id = 2;
  for (const auto& name : names)
    plan.extensions.push_back({name, dump_id++, schema, schema});
  plan.schemas.push_back({schema, false, false, schema == "public" ? 1u : 0u});
  if (schema != "heroku_ext")
    plan.schemas.push_back({"heroku_ext", false, false, 0});
  if (schema != "public")
    plan.schemas.push_back({"public", false, false, 1});
  return plan;
}

/// The same plan as retargeting with --to `to` makes it.
preflight_plan retargeted(preflight_plan plan, const std::string& to = "heroku_ext") {
  plan.retargeted = true;
  plan.to_schema = to;
  for (auto& extension : plan.extensions)
    if (extension.archive_schema == plan.from_schema)
      extension.restore_schema = to;
  bool found = false;
  for (auto& schema : plan.schemas)
    if (schema.name == to) {
      schema.created_by_archive = schema.created_if_missing = found = true;
    }
  if (!found)
    plan.schemas.push_back({to, true, true, 0});
  return plan;
}

target_extension available(const std::string& name, bool trusted = true) {
  target_extension extension;
  extension.name = name;
  extension.available = true;
  extension.default_version = "1.0";
  extension.superuser_only = true;
  extension.trusted = trusted;
  extension.relocatable = true;
  return extension;
}

/// A PostgreSQL 15 database, connected as a superuser, with schema public,
/// no enforcement, and `extensions` available but not installed.
target_facts database(const std::vector<target_extension>& extensions) {
  target_facts facts;
  facts.database = "app";
  facts.role = "postgres";
  facts.server_version = "15.6";
  facts.server_version_num = 150006;
  facts.is_superuser = true;
  facts.may_create_in_database = true;
  facts.owns_database = true;
  facts.search_path = "\"$user\", public";
  facts.schemas.push_back({"public", true, "pg_database_owner", true, true});
  facts.schemas.push_back({"heroku_ext", false, "", false, false});
  facts.extensions = extensions;
  facts.probe.attempted = true;
  facts.probe.extension = "tsm_system_rows";
  facts.probe.scratch_schema = "pgarc_probe_1";
  facts.probe.extension_created = true;
  return facts;
}

/// Heroku's rule: heroku_ext exists, belongs to heroku_admin, and the probe
/// was refused with Heroku's message.
target_facts heroku_database(const std::vector<target_extension>& extensions) {
  target_facts facts = database(extensions);
  facts.schemas[1] = {"heroku_ext", true, "heroku_admin", true, true};
  facts.probe.extension_created = false;
  facts.probe.error_message = "extension \"tsm_system_rows\" must be installed in schema \"heroku_ext\"";
  facts.probe.sqlstate = "42501";
  facts.probe.enforced_schema = "heroku_ext";
  return facts;
}

void make_limited(target_facts& facts) {
  facts.role = "app_user";
  facts.is_superuser = false;
  facts.may_create_in_database = false;
  facts.owns_database = false;
  for (auto& schema : facts.schemas)
    schema.may_create = false;
  facts.probe = {};
  facts.probe.skipped_reason = "role app_user may not create schemas or extensions in database app";
}

std::vector<const preflight_finding*> findings(const preflight_report& report, preflight_severity severity,
                                               preflight_check check, const std::string& subject = "*") {
  std::vector<const preflight_finding*> found;
  for (const auto& finding : report.findings)
    if (finding.severity == severity && finding.check == check && (subject == "*" || finding.subject == subject))
      found.push_back(&finding);
  return found;
}

/// A finding with this severity and code whose sentence contains `text`.
bool has_finding(const preflight_report& report, preflight_severity severity, preflight_code code,
                 const std::string& text) {
  return std::any_of(report.findings.begin(), report.findings.end(), [&](const preflight_finding& finding) {
    return finding.severity == severity && finding.code == code &&
           cli::describe(finding, report).find(text) != std::string::npos;
  });
}

std::string all_messages(const preflight_report& report) {
  std::string text;
  for (const auto& finding : report.findings)
    text += std::string(to_string(finding.severity)) + ": " + to_string(finding.code) + ": " +
            cli::describe(finding, report) + "\n";
  return text;
}

} // namespace

BOOST_AUTO_TEST_SUITE(preflight_check)

BOOST_AUTO_TEST_CASE(plain_database_takes_the_archive_as_given) {
  const auto report = check_preflight(archive_plan({"citext", "hstore"}),
                                      database({available("citext"), available("hstore")}));
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(report.expected_to_restore());
  BOOST_TEST(report.suggestion.keep);
  BOOST_TEST(report.suggestion.from_schema == "public");
  BOOST_TEST(cli::suggested_options(report.suggestion) == "");
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::extension_creatable,
                         "extension \"citext\" is available (default version 1.0) and will be created in schema \"public\""));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::schema_may_be_created,
                         "schema \"heroku_ext\" does not exist; role \"postgres\" may create it"));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::no_schema_rule,
                         "the database accepts extensions in any schema: CREATE EXTENSION tsm_system_rows in scratch "
                         "schema pgarc_probe_1 worked and was rolled back"));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::suggest_keep,
                         "keep the archive's schema \"public\" (no --from/--to needed)"));
}

BOOST_AUTO_TEST_CASE(enforced_schema_is_a_problem_for_the_archive_as_given_and_the_suggested_to) {
  const auto report = check_preflight(archive_plan({"citext", "hstore"}),
                                      heroku_database({available("citext"), available("hstore")}));
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(!report.expected_to_restore());
  BOOST_TEST(findings(report, preflight_severity::problem, pgarc::preflight_check::extension).size() == 2u);
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::extension_outside_rule,
                         "extension \"citext\" would be created in schema \"public\" but the database only accepts "
                         "extensions in schema \"heroku_ext\""));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::schema_rule_found,
                         "the database only accepts extensions in schema \"heroku_ext\": CREATE EXTENSION "
                         "tsm_system_rows in scratch schema pgarc_probe_1 was refused with: extension "
                         "\"tsm_system_rows\" must be installed in schema \"heroku_ext\"; rolled back"));
  BOOST_TEST(!report.suggestion.keep);
  BOOST_TEST(cli::suggested_options(report.suggestion) == "--to heroku_ext");
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::suggest_move,
                         "use --to heroku_ext: the database only accepts extensions in schema \"heroku_ext\""));
}

BOOST_AUTO_TEST_CASE(retargeted_archive_passes_where_the_database_enforces_its_schema) {
  const auto report = check_preflight(retargeted(archive_plan({"citext", "hstore"})),
                                      heroku_database({available("citext"), available("hstore")}));
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(report.expected_to_restore());
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::schema_writable,
                         "schema \"heroku_ext\" exists (owner \"heroku_admin\"); role \"postgres\" may create objects in "
                         "it (the archive creates extensions \"citext\", \"hstore\" there)"));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::suggest_move,
                         "(as the options given do)"));
  // Applications calling citext functions unqualified need the schema on their path.
  BOOST_TEST(has_finding(report, preflight_severity::warning, preflight_code::search_path_lacks_schema,
                         "schema \"heroku_ext\" is not on the search_path"));
}

BOOST_AUTO_TEST_CASE(postgis_topology_needs_the_target_on_the_default_search_path) {
  preflight_plan plan = retargeted(archive_plan({"postgis"}));
  plan.extensions.push_back({"postgis_topology", 9, "topology", "topology"});
  target_facts facts = heroku_database({available("postgis"), available("postgis_topology")});
  auto report = check_preflight(plan, facts);
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(!report.expected_to_restore());
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::default_search_path_lacks_schema,
                         "CREATE EXTENSION postgis_topology resets search_path to the database's default "
                         "(\"$user\", public), which lacks schema \"heroku_ext\" where postgis is restored"));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::default_search_path_lacks_schema,
                         "PGOPTIONS='-c search_path=\"$user\",public,heroku_ext'"));

  facts.database_search_path = "\"$user\", public, heroku_ext";
  report = check_preflight(plan, facts);
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::default_search_path_has_schema,
                         "the database's default search_path (\"$user\", public, heroku_ext) has schema "
                         "\"heroku_ext\", which CREATE EXTENSION postgis_topology needs for postgis"));
}

BOOST_AUTO_TEST_CASE(search_path_entry_or_setting_satisfies_the_search_path_check) {
  preflight_plan plan = retargeted(archive_plan({"citext"}));
  plan.search_path_schema = "heroku_ext";
  auto report = check_preflight(plan, heroku_database({available("citext")}));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::search_path_added_by_archive,
                         "the archive puts schema \"heroku_ext\" on the database's search_path"));

  target_facts facts = heroku_database({available("citext")});
  facts.search_path = "\"$user\", public, \"heroku_ext\"";
  facts.database_search_path = "\"$user\", public, heroku_ext";
  report = check_preflight(retargeted(archive_plan({"citext"})), facts);
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::search_path_has_schema,
                         "schema \"heroku_ext\" is on the search_path"));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::search_path_current,
                         "search_path is \"$user\", public, \"heroku_ext\"; set for the database: \"$user\", public, heroku_ext"));
}

BOOST_AUTO_TEST_CASE(role_without_create_on_existing_schema_is_reported) {
  target_facts facts = heroku_database({available("citext")});
  facts.schemas[1].may_create = false;
  const auto report = check_preflight(retargeted(archive_plan({"citext"})), facts);
  BOOST_TEST_INFO(all_messages(report));
  // A superuser has CREATE everywhere; this role has not, but it creates
  // only a trusted extension there.
  BOOST_TEST(has_finding(report, preflight_severity::warning, preflight_code::schema_extensions_only,
                         "schema \"heroku_ext\" exists (owner \"heroku_admin\") but role \"postgres\" may not create "
                         "objects in it (no CREATE privilege): CREATE EXTENSION of a trusted extension does not need it"));
  BOOST_TEST(report.expected_to_restore());
}

BOOST_AUTO_TEST_CASE(missing_schema_is_creatable_only_with_create_on_the_database) {
  const preflight_plan plan = retargeted(archive_plan({"citext"}));
  auto report = check_preflight(plan, database({available("citext")}));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::schema_created_by_archive,
                         "schema \"heroku_ext\" does not exist; the archive creates it and role \"postgres\" may create "
                         "schemas (the archive creates extension \"citext\" there)"));
  BOOST_TEST(report.expected_to_restore());

  target_facts facts = database({available("citext")});
  make_limited(facts);
  report = check_preflight(plan, facts);
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::schema_creation_refused,
                         "schema \"heroku_ext\" does not exist and role \"app_user\" may not create it (no CREATE "
                         "privilege on database \"app\")"));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::schema_objects_refused,
                         "schema \"public\" exists (owner \"pg_database_owner\") but role \"app_user\" may not create "
                         "objects in it (no CREATE privilege), and the archive creates 1 object there besides extensions"));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::extension_needs_database_create,
                         "extension \"citext\" is trusted, but role \"app_user\" may not create it without CREATE "
                         "privilege on database \"app\""));
  BOOST_TEST(has_finding(report, preflight_severity::warning, preflight_code::probe_skipped,
                         "could not tell whether the database insists on a schema for extensions: not probed (role "
                         "app_user may not create schemas or extensions in database app)"));
  BOOST_TEST(!report.expected_to_restore());
}

BOOST_AUTO_TEST_CASE(untrusted_extension_needs_a_superuser) {
  target_facts facts = database({available("postgis", false), available("citext")});
  make_limited(facts);
  facts.may_create_in_database = true;
  const auto report = check_preflight(archive_plan({"postgis", "citext"}), facts);
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::extension_not_trusted,
                         "extension \"postgis\" is not trusted: only a superuser may create it, and role \"app_user\" "
                         "is not one"));
  BOOST_TEST(findings(report, preflight_severity::problem, pgarc::preflight_check::extension, "citext").empty());
}

BOOST_AUTO_TEST_CASE(unavailable_extension_is_a_problem) {
  target_extension missing;
  missing.name = "pgarc_no_such_extension";
  const auto report = check_preflight(archive_plan({"pgarc_no_such_extension", "citext"}),
                                      database({missing, available("citext")}));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::extension_unavailable,
                         "extension \"pgarc_no_such_extension\" is not available on the server (not in "
                         "pg_available_extensions)"));
  BOOST_TEST(!report.expected_to_restore());
}

BOOST_AUTO_TEST_CASE(required_extension_must_be_in_the_archive_or_the_database) {
  target_extension earthdistance = available("earthdistance", false);
  earthdistance.required = {"cube"};
  target_extension cube = available("cube");
  auto report = check_preflight(archive_plan({"earthdistance"}), database({earthdistance, cube}));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::extension_requirement_missing,
                         "extension \"earthdistance\" requires extension \"cube\", which the archive does not create "
                         "and the database does not have"));
  report = check_preflight(archive_plan({"cube", "earthdistance"}), database({earthdistance, cube}));
  BOOST_TEST(report.expected_to_restore());
}

BOOST_AUTO_TEST_CASE(extension_installed_elsewhere_is_a_problem_and_suggests_its_schema) {
  target_extension citext = available("citext");
  citext.installed_version = "1.6";
  citext.installed_schema = "extensions";
  target_facts facts = database({citext, available("hstore")});
  facts.schemas.push_back({"extensions", true, "postgres", true, true});
  const auto report = check_preflight(archive_plan({"citext", "hstore"}), facts);
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::extension_installed_elsewhere,
                         "extension \"citext\" is already installed in schema \"extensions\" (version 1.6) but the "
                         "archive creates it in schema \"public\""));
  BOOST_TEST(cli::suggested_options(report.suggestion) == "--to extensions");
  BOOST_TEST((report.suggestion.reason == suggestion_reason::already_installed));
  BOOST_TEST(report.suggestion.installed_extensions == std::vector<std::string>{"citext"});
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::suggest_move,
                         "use --to extensions: extension \"citext\" is already installed in schema \"extensions\""));
}

BOOST_AUTO_TEST_CASE(extension_installed_where_the_archive_wants_it_is_skipped) {
  target_extension plpgsql = available("plpgsql");
  plpgsql.installed_version = "1.0";
  plpgsql.installed_schema = "pg_catalog";
  plpgsql.control_schema = "pg_catalog";
  preflight_plan plan = archive_plan({"citext"});
  plan.extensions.push_back({"plpgsql", 1, "pg_catalog", "pg_catalog"});
  const auto report = check_preflight(plan, heroku_database({available("citext"), plpgsql}));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::extension_installed,
                         "extension \"plpgsql\" is already installed in schema \"pg_catalog\" (version 1.0); CREATE "
                         "EXTENSION IF NOT EXISTS skips it"));
  // plpgsql does not count when choosing the schema to move from.
  BOOST_TEST(report.suggestion.from_schema == "public");
}

BOOST_AUTO_TEST_CASE(control_file_schema_must_match) {
  target_extension topology = available("postgis_topology", false);
  topology.control_schema = "topology";
  topology.relocatable = false;
  const auto report = check_preflight(archive_plan({"postgis_topology"}, "heroku_ext"),
                                      database({topology}));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::extension_fixed_schema,
                         "extension \"postgis_topology\" can only be created in schema \"topology\" (its control file "
                         "says so), but the archive creates it in schema \"heroku_ext\""));
}

BOOST_AUTO_TEST_CASE(exempt_extension_outside_the_enforced_schema_is_a_warning) {
  target_extension tiger = available("postgis_tiger_geocoder", false);
  const auto report = check_preflight(archive_plan({"postgis_tiger_geocoder"}), heroku_database({tiger}));
  BOOST_TEST(has_finding(report, preflight_severity::warning, preflight_code::extension_outside_rule_exempt,
                         "Heroku exempted it, this database may not"));
  BOOST_TEST(report.expected_to_restore());
}

BOOST_AUTO_TEST_CASE(heroku_capture_into_a_plain_database_suggests_public) {
  // Extensions in heroku_ext, and no SCHEMA entry that creates it.
  const preflight_plan plan = archive_plan({"citext", "hstore"}, "heroku_ext");
  const auto report = check_preflight(plan, database({available("citext"), available("hstore")}));
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::schema_missing,
                         "schema \"heroku_ext\" does not exist and the archive does not create it (the archive creates "
                         "extensions \"citext\", \"hstore\" there)"));
  BOOST_TEST(cli::suggested_options(report.suggestion) == "--from heroku_ext --to public");
  BOOST_TEST((report.suggestion.reason == suggestion_reason::from_schema_missing));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::suggest_move,
                         "use --from heroku_ext --to public: schema \"heroku_ext\" does not exist in the database and "
                         "the archive does not create it"));
}

BOOST_AUTO_TEST_CASE(archive_from_a_newer_server_is_a_problem) {
  preflight_plan plan = archive_plan({"citext"});
  plan.server_version = "16.2 (Debian 16.2-1.pgdg120+2)";
  plan.pg_dump_version = "16.2 (Debian 16.2-1.pgdg120+2)";
  plan.version = k_vers_1_15;
  const auto report = check_preflight(plan, database({available("citext")}));
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::server_older_than_archive,
                         "the archive was dumped from PostgreSQL 16 (pg_dump 16.2 (Debian 16.2-1.pgdg120+2)) but the "
                         "database runs 15 (15.6): objects and syntax of the newer server may fail to restore"));
  BOOST_TEST(has_finding(report, preflight_severity::warning, preflight_code::archive_version_needs_newer,
                         "archive version 1.15 needs pg_restore 16 or later; the database runs 15, whose own "
                         "pg_restore cannot read it: use pg_restore 16 or later"));
  BOOST_TEST(!report.expected_to_restore());
}

BOOST_AUTO_TEST_CASE(archive_from_an_older_server_is_fine) {
  preflight_plan plan = archive_plan({"citext"});
  plan.server_version = "9.6.24";
  plan.pg_dump_version = "9.6.24";
  plan.version = k_vers_1_12;
  target_facts facts = database({available("citext")});
  const auto report = check_preflight(plan, facts);
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::server_version_supported,
                         "the archive was dumped from PostgreSQL 9.6 (pg_dump 9.6.24); the database runs 15, a newer "
                         "release, which pg_restore supports"));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::archive_version_readable,
                         "archive version 1.12 needs pg_restore 9.0 or later"));
  BOOST_TEST(report.expected_to_restore());
}

BOOST_AUTO_TEST_CASE(archive_without_server_version_is_a_warning) {
  preflight_plan plan = archive_plan({"citext"});
  plan.server_version.clear();
  const auto report = check_preflight(plan, database({available("citext")}));
  BOOST_TEST(has_finding(report, preflight_severity::warning, preflight_code::server_version_unknown,
                         "the archive does not say which PostgreSQL it was dumped from"));
}

BOOST_AUTO_TEST_CASE(standby_and_leftovers_are_problems) {
  target_facts facts = database({available("citext")});
  facts.probe.left_nothing_behind = false;
  auto report = check_preflight(archive_plan({"citext"}), facts);
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::probe_left_objects,
                         "after the rollback, schema \"pgarc_probe_1\" or extension \"tsm_system_rows\" still exists"));
  facts = database({available("citext")});
  facts.in_recovery = true;
  report = check_preflight(archive_plan({"citext"}), facts);
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::standby,
                         "the server is a standby"));
}

BOOST_AUTO_TEST_CASE(probe_failing_for_another_reason_is_a_warning) {
  target_facts facts = database({available("citext")});
  facts.probe.extension_created = false;
  facts.probe.error_message = "canceling statement due to lock timeout";
  const auto report = check_preflight(archive_plan({"citext"}), facts);
  BOOST_TEST(has_finding(report, preflight_severity::warning, preflight_code::probe_inconclusive,
                         "failed with: canceling statement due to lock timeout; rolled back"));
  BOOST_TEST(report.suggestion.keep);
}

BOOST_AUTO_TEST_CASE(options_that_differ_from_the_suggestion_are_named) {
  const auto report = check_preflight(retargeted(archive_plan({"citext"}), "extensions"),
                                      heroku_database({available("citext")}));
  BOOST_TEST_INFO(all_messages(report));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::suggest_move,
                         "use --to heroku_ext: the database only accepts extensions in schema \"heroku_ext\" (the "
                         "options given move extensions from \"public\" to \"extensions\")"));
  BOOST_TEST(has_finding(report, preflight_severity::problem, preflight_code::extension_outside_rule,
                         "extension \"citext\" would be created in schema \"extensions\" but the database only accepts "
                         "extensions in schema \"heroku_ext\""));
}

BOOST_AUTO_TEST_CASE(archive_without_extensions_needs_no_to) {
  const auto report = check_preflight(archive_plan({}), database({}));
  BOOST_TEST(report.suggestion.keep);
  BOOST_TEST((report.suggestion.reason == suggestion_reason::no_movable_extension));
  BOOST_TEST(has_finding(report, preflight_severity::ok, preflight_code::suggest_nothing,
                         "no --to needed: the archive creates no extension that could move"));
  BOOST_TEST(report.expected_to_restore());
}

BOOST_AUTO_TEST_CASE(releases_are_written_as_people_write_them) {
  BOOST_TEST(cli::release_text(170000) == "17");
  BOOST_TEST(cli::release_text(100003) == "10.3");
  BOOST_TEST(cli::release_text(90600) == "9.6");
  BOOST_TEST(cli::release_text(80000) == "8.0");
}

BOOST_AUTO_TEST_CASE(every_code_has_an_identifier_and_every_finding_a_sentence) {
  // The identifiers are the JSON report's: distinct, none "unknown".
  std::vector<std::string> seen;
  for (int value = 0; value <= static_cast<int>(preflight_code::suggest_move); ++value) {
    const std::string name = to_string(static_cast<preflight_code>(value));
    BOOST_TEST(name != "unknown");
    BOOST_TEST((std::find(seen.begin(), seen.end(), name) == seen.end()), name);
    seen.push_back(name);
  }
  const auto report = check_preflight(archive_plan({"citext"}), database({available("citext")}));
  for (const auto& finding : report.findings)
    BOOST_TEST(cli::describe(finding, report) != to_string(finding.code), to_string(finding.code));
}

BOOST_AUTO_TEST_SUITE_END()
