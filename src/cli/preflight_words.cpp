// SPDX-License-Identifier: PostgreSQL
// The sentences of a preflight report; see preflight_words.hpp.
#include "preflight_words.hpp"

namespace pgarc::cli {

namespace {

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

std::string quoted_list(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names)
    text += (text.empty() ? "" : ", ") + quoted(name);
  return text;
}

std::string plural(std::size_t count, const char* one, const char* many) { return count == 1 ? one : many; }

std::string server_words(const preflight_finding& finding, const preflight_report& report) {
  const preflight_plan& plan = report.plan;
  const target_facts& facts = report.target;
  const std::string dumped_by = plan.pg_dump_version.empty() ? std::string() : " (pg_dump " + plan.pg_dump_version + ")";
  const std::string archive = release_text(finding.archive_major);
  const std::string target = release_text(finding.target_major);
  switch (finding.code) {
  case preflight_code::server_version_unknown:
    return "the archive does not say which PostgreSQL it was dumped from; the database runs " + facts.server_version;
  case preflight_code::server_older_than_archive:
    return "the archive was dumped from PostgreSQL " + archive + dumped_by + " but the database runs " + target + " (" +
           facts.server_version + "): objects and syntax of the newer server may fail to restore";
  case preflight_code::server_version_supported:
    return "the archive was dumped from PostgreSQL " + archive + dumped_by + "; the database runs " + target +
           (finding.archive_major < finding.target_major ? ", a newer release, which pg_restore supports" : "");
  case preflight_code::archive_version_readable:
  case preflight_code::archive_version_needs_newer: {
    const std::string release = release_text(finding.required_version);
    const std::string needs = "archive version " + std::to_string(plan.version.major) + "." +
                              std::to_string(plan.version.minor) + " needs pg_restore " + release + " or later";
    if (finding.code == preflight_code::archive_version_readable)
      return needs;
    return needs + "; the database runs " + target + ", whose own pg_restore cannot read it: use pg_restore " + release +
           " or later";
  }
  default:
    return {};
  }
}

std::string schema_words(const preflight_finding& finding, const preflight_report& report) {
  const target_facts& facts = report.target;
  const std::string subject = "schema " + quoted(finding.subject);
  const std::string role = "role " + quoted(facts.role);
  const std::size_t created = finding.extensions.size();
  const std::string what_for = created == 0 ? std::string()
                                            : " (the archive creates " + plural(created, "extension ", "extensions ") +
                                                  quoted_list(finding.extensions) + " there)";
  const std::string refused = " may not create it (no CREATE privilege on database " + quoted(facts.database) + ")";
  const target_schema* found = facts.schema(finding.subject);
  const std::string exists = subject + " exists (owner " + quoted(found ? found->owner : std::string()) + ")";
  const std::string no_create = exists + " but " + role + " may not create objects in it (no CREATE privilege)";
  switch (finding.code) {
  case preflight_code::schema_created_by_archive:
    return subject + " does not exist; the archive creates it and " + role + " may create schemas" + what_for;
  case preflight_code::schema_creation_refused:
    return subject + " does not exist and " + role + refused + what_for;
  case preflight_code::schema_missing:
    return subject + " does not exist and the archive does not create it" + what_for;
  case preflight_code::schema_may_be_created:
    return subject + " does not exist; " + role + " may create it";
  case preflight_code::schema_may_not_be_created:
    return subject + " does not exist and " + role + refused;
  case preflight_code::schema_create_will_fail:
    return exists + " and the archive's CREATE SCHEMA will fail: pg_restore reports an error and goes on";
  case preflight_code::schema_writable:
    return exists + "; " + role + " may create objects in it" + what_for;
  case preflight_code::schema_objects_refused:
    return no_create + ", and the archive creates " + std::to_string(finding.count) +
           plural(finding.count, " object", " objects") + " there besides extensions";
  case preflight_code::schema_extensions_only:
    return no_create + ": CREATE EXTENSION of a trusted extension does not need it, anything else created there fails" +
           what_for;
  case preflight_code::schema_not_writable:
    return no_create;
  case preflight_code::schema_no_usage:
    return subject + ": " + role + " has no USAGE privilege on it, so nothing that uses its objects can be created";
  default:
    return {};
  }
}

std::string extension_words(const preflight_finding& finding, const preflight_report& report) {
  const target_facts& facts = report.target;
  const std::string subject = "extension " + quoted(finding.subject);
  std::string restore_schema;
  for (const auto& planned : report.plan.extensions)
    if (planned.name == finding.subject)
      restore_schema = planned.restore_schema;
  const std::string where = restore_schema.empty() ? std::string(" (the archive names no schema)")
                                                   : " in schema " + quoted(restore_schema);
  const target_extension* found = facts.extension(finding.subject);
  const target_extension there = found ? *found : target_extension{};
  const std::string installed = subject + " is already installed in schema " +
                                quoted(there.installed_schema.value_or("")) + " (version " +
                                there.installed_version.value_or("") + ")";
  switch (finding.code) {
  case preflight_code::extension_installed:
    return installed + "; CREATE EXTENSION IF NOT EXISTS skips it";
  case preflight_code::extension_installed_elsewhere:
    return installed + " but the archive creates it in schema " + quoted(restore_schema) +
           ": CREATE EXTENSION IF NOT EXISTS skips it, and every entry that names its objects in " +
           quoted(restore_schema) + " fails";
  case preflight_code::extension_unavailable:
    return subject + " is not available on the server (not in pg_available_extensions): install it there, or leave "
                     "it out of the archive";
  case preflight_code::extension_fixed_schema:
    return subject + " can only be created in schema " + quoted(there.control_schema) +
           " (its control file says so), but the archive creates it" + where;
  case preflight_code::extension_not_trusted:
    return subject + " is not trusted: only a superuser may create it, and role " + quoted(facts.role) + " is not one";
  case preflight_code::extension_needs_database_create:
    return subject + " is trusted, but role " + quoted(facts.role) +
           " may not create it without CREATE privilege on database " + quoted(facts.database);
  case preflight_code::extension_requirement_missing:
    return subject + " requires extension " + quoted(finding.related) +
           ", which the archive does not create and the database does not have";
  case preflight_code::extension_outside_rule_exempt:
    return subject + " would be created" + where + ", outside schema " + quoted(finding.related) +
           ", which the database insists on; Heroku exempted it, this database may not";
  case preflight_code::extension_outside_rule:
    return subject + " would be created" + where + " but the database only accepts extensions in schema " +
           quoted(finding.related);
  case preflight_code::extension_creatable:
    return subject + " is available (default version " + there.default_version + ") and will be created" + where;
  default:
    return {};
  }
}

std::string enforcement_words(const preflight_finding& finding, const preflight_report& report) {
  const enforcement_probe& probe = report.target.probe;
  const std::string tried = "CREATE EXTENSION " + probe.extension + " in scratch schema " + probe.scratch_schema;
  const std::string unknown = "could not tell whether the database insists on a schema for extensions: ";
  switch (finding.code) {
  case preflight_code::probe_skipped:
    return unknown + "not probed (" + probe.skipped_reason + ")";
  case preflight_code::schema_rule_found:
    return "the database only accepts extensions in schema " + quoted(finding.subject) + ": " + tried +
           " was refused with: " + probe.error_message + "; rolled back";
  case preflight_code::no_schema_rule:
    return "the database accepts extensions in any schema: " + tried + " worked and was rolled back";
  case preflight_code::probe_inconclusive:
    return unknown + tried + " failed with: " + probe.error_message + "; rolled back";
  case preflight_code::probe_left_objects:
    return "after the rollback, schema " + quoted(finding.subject) + " or extension " + quoted(finding.related) +
           " still exists: check the database and drop what the probe left";
  default:
    return {};
  }
}

std::string search_path_words(const preflight_finding& finding, const preflight_report& report) {
  const target_facts& facts = report.target;
  const std::string schema = "schema " + quoted(finding.subject);
  const std::string default_path = facts.database_search_path.value_or(facts.search_path);
  const std::string needed = finding.extensions.empty() ? std::string() : finding.extensions.front();
  switch (finding.code) {
  case preflight_code::search_path_current: {
    std::string settings;
    if (facts.database_search_path)
      settings += "; set for the database: " + *facts.database_search_path;
    if (facts.role_search_path)
      settings += "; set for the role: " + *facts.role_search_path;
    if (!facts.settings_readable)
      settings += "; pg_db_role_setting is not readable";
    return "search_path is " + facts.search_path + settings;
  }
  case preflight_code::search_path_added_by_archive:
    return "the archive puts " + schema + " on the database's search_path";
  case preflight_code::search_path_added_needs_owner:
    return "the archive puts " + schema + " on the database's search_path with ALTER DATABASE, which needs the "
           "database's owner; role " + quoted(facts.role) + " is not";
  case preflight_code::search_path_has_schema:
    return schema + " is on the search_path";
  case preflight_code::search_path_lacks_schema:
    return schema + " is not on the search_path: after the restore, unqualified uses of its extensions' objects (in "
                    "the application, in function bodies) fail; use --search-path or ALTER DATABASE ... SET "
                    "search_path";
  case preflight_code::default_search_path_has_schema:
    return "the database's default search_path (" + default_path + ") has " + schema + ", which CREATE EXTENSION " +
           finding.related + " needs for " + needed;
  case preflight_code::default_search_path_lacks_schema:
    return "CREATE EXTENSION " + finding.related + " resets search_path to the database's default (" + default_path +
           "), which lacks " + schema + " where " + needed +
           " is restored: it would fail with type \"geometry\" does not exist; before restoring, run ALTER DATABASE " +
           quoted(facts.database) + " SET search_path = \"$user\", public, " + quoted(finding.subject) +
           (facts.database_search_path
                ? std::string()
                : " (or restore with PGOPTIONS='-c search_path=\"$user\",public," + finding.subject + "')");
  default:
    return {};
  }
}

std::string reason_words(const preflight_suggestion& suggestion) {
  const auto& installed = suggestion.installed_extensions;
  switch (suggestion.reason) {
  case suggestion_reason::no_movable_extension:
    return "the archive creates no extension that could move";
  case suggestion_reason::schema_rule:
    return "the database only accepts extensions in schema " + quoted(suggestion.to_schema);
  case suggestion_reason::already_installed:
    return plural(installed.size(), "extension ", "extensions ") + quoted_list(installed) +
           plural(installed.size(), " is", " are") + " already installed in schema " + quoted(suggestion.to_schema);
  case suggestion_reason::installed_in_several_schemas:
    return "the archive's extensions are already installed in several schemas (" +
           quoted_list(suggestion.installed_schemas) + "); no single --to fits them all";
  case suggestion_reason::from_schema_missing:
    return "schema " + quoted(suggestion.from_schema) + " does not exist in the database and the archive does not "
                                                        "create it";
  case suggestion_reason::nothing_found:
    return "no schema rule for extensions was found and none of them is installed elsewhere";
  }
  return {};
}

std::string suggestion_words(const preflight_finding& finding, const preflight_report& report) {
  const preflight_suggestion& suggestion = report.suggestion;
  std::string message;
  if (finding.code == preflight_code::suggest_nothing)
    message = "no --to needed: " + reason_words(suggestion);
  else if (finding.code == preflight_code::suggest_keep)
    message = "keep the archive's schema " + quoted(suggestion.from_schema) + " (no --from/--to needed): " +
              reason_words(suggestion);
  else
    message = "use " + suggested_options(suggestion) + ": " + reason_words(suggestion);
  if (finding.options_agree)
    message += *finding.options_agree ? " (as the options given do)"
                                      : " (the options given move extensions from " +
                                            quoted(report.plan.from_schema) + " to " + quoted(report.plan.to_schema) +
                                            ")";
  return message;
}

} // namespace

std::string release_text(int server_version_num) {
  const int major = server_version_num / 10000;
  const int minor = server_version_num / 100 % 100;
  if (server_version_num >= 100000) {
    const int patch = server_version_num % 10000;
    return std::to_string(major) + (patch != 0 ? "." + std::to_string(patch) : std::string());
  }
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string suggested_options(const preflight_suggestion& suggestion) {
  if (suggestion.keep)
    return {};
  return (suggestion.from_schema == "public" ? std::string() : "--from " + suggestion.from_schema + " ") + "--to " +
         suggestion.to_schema;
}

std::string describe(const preflight_finding& finding, const preflight_report& report) {
  const target_facts& facts = report.target;
  switch (finding.check) {
  case preflight_check::database:
    if (finding.code == preflight_code::standby)
      return "the server is a standby (in recovery): nothing can be restored into it";
    if (finding.code == preflight_code::read_only)
      return "default_transaction_read_only is on for this role and database: pg_restore's statements will fail";
    return "connected to database " + quoted(facts.database) + " as role " + quoted(facts.role) +
           (facts.is_superuser ? " (a superuser)" : " (not a superuser)") + ", PostgreSQL " + facts.server_version;
  case preflight_check::server_version:
  case preflight_check::archive_version:
    return server_words(finding, report);
  case preflight_check::schema:
    return schema_words(finding, report);
  case preflight_check::extension:
    return extension_words(finding, report);
  case preflight_check::enforcement:
    return enforcement_words(finding, report);
  case preflight_check::search_path:
    return search_path_words(finding, report);
  case preflight_check::suggestion:
    return suggestion_words(finding, report);
  }
  return to_string(finding.code);
}

} // namespace pgarc::cli
