// SPDX-License-Identifier: PostgreSQL
// check_preflight: the verdict on a plan given a database's facts, and the
// --to that should work. Pure functions; the unit tests feed facts built in
// code (tests/unit/preflight/check_test.cpp).
#include "pgarc/preflight.hpp"

#include <algorithm>
#include <map>

namespace pgarc {

namespace {

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names)
    text += (text.empty() ? "" : ", ") + quoted(name);
  return text;
}

// --- versions ---------------------------------------------------------------

/// PostgreSQL's major version as server_version_num counts it: 150000 for
/// "15.6 (Debian ...)", 90600 for "9.6.24". Nothing if the text has no number.
std::optional<int> major_version_num(const std::string& text) {
  std::size_t position = 0;
  auto number = [&]() -> std::optional<int> {
    int value = 0;
    const std::size_t start = position;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9' && position - start < 6)
      value = value * 10 + (text[position++] - '0');
    return position == start ? std::nullopt : std::optional<int>(value);
  };
  const auto first = number();
  if (!first)
    return std::nullopt;
  if (*first >= 10)
    return *first * 10000;
  int minor = 0;
  if (position < text.size() && text[position] == '.') {
    ++position;
    minor = number().value_or(0);
  }
  return *first * 10000 + minor * 100;
}

int major_of(int server_version_num) {
  return server_version_num >= 100000 ? server_version_num / 10000 * 10000 : server_version_num / 100 * 100;
}

std::string major_text(int major_num) {
  if (major_num >= 100000)
    return std::to_string(major_num / 10000);
  return std::to_string(major_num / 10000) + "." + std::to_string(major_num / 100 % 100);
}

/// The oldest pg_restore that reads each archive version (pg_backup_archiver.h).
struct restore_requirement {
  archive_version version;
  int server_version_num;
  const char* release;
};
constexpr restore_requirement restore_requirements[] = {
    {k_vers_1_16, 170000, "17"}, {k_vers_1_15, 160000, "16"}, {k_vers_1_14, 120000, "12"},
    {k_vers_1_13, 100003, "10.3"}, {k_vers_1_12, 90000, "9.0"}, {k_vers_1_11, 80400, "8.4"},
    {k_vers_1_10, 80000, "8.0"},
};

std::string version_text(const archive_version& version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor);
}

// --- the findings -----------------------------------------------------------

class findings_builder {
public:
  explicit findings_builder(std::vector<preflight_finding>& findings) : m_findings(findings) {}
  void add(preflight_severity severity, std::string check, std::string subject, std::string message) {
    m_findings.push_back({severity, std::move(check), std::move(subject), std::move(message)});
  }

private:
  std::vector<preflight_finding>& m_findings;
};

constexpr auto ok = preflight_severity::ok;
constexpr auto warning = preflight_severity::warning;
constexpr auto problem = preflight_severity::problem;

void check_database(const target_facts& facts, findings_builder& out) {
  out.add(ok, "database", facts.database,
          "connected to database " + quoted(facts.database) + " as role " + quoted(facts.role) +
              (facts.is_superuser ? " (a superuser)" : " (not a superuser)") + ", PostgreSQL " +
              facts.server_version);
  if (facts.in_recovery)
    out.add(problem, "database", facts.database,
            "the server is a standby (in recovery): nothing can be restored into it");
  if (facts.default_read_only)
    out.add(problem, "database", facts.database,
            "default_transaction_read_only is on for this role and database: pg_restore's statements "
            "will fail");
}

void check_server_version(const preflight_plan& plan, const target_facts& facts, findings_builder& out) {
  const int target_major = major_of(facts.server_version_num);
  const auto archive_major = major_version_num(plan.server_version);
  const std::string dumped_by =
      plan.pg_dump_version.empty() ? std::string() : " (pg_dump " + plan.pg_dump_version + ")";
  if (!archive_major) {
    out.add(warning, "server version", "",
            "the archive does not say which PostgreSQL it was dumped from; the database runs " +
                facts.server_version);
  } else if (*archive_major > target_major) {
    out.add(problem, "server version", "",
            "the archive was dumped from PostgreSQL " + major_text(*archive_major) + dumped_by +
                " but the database runs " + major_text(target_major) + " (" + facts.server_version +
                "): objects and syntax of the newer server may fail to restore");
  } else {
    out.add(ok, "server version", "",
            "the archive was dumped from PostgreSQL " + major_text(*archive_major) + dumped_by +
                "; the database runs " + major_text(target_major) +
                (*archive_major < target_major ? ", a newer release, which pg_restore supports" : ""));
  }
}

void check_archive_version(const preflight_plan& plan, const target_facts& facts, findings_builder& out) {
  for (const auto& requirement : restore_requirements) {
    if (plan.version < requirement.version)
      continue;
    const std::string needs = "archive version " + version_text(plan.version) + " needs pg_restore " +
                              requirement.release + " or later";
    if (facts.server_version_num >= requirement.server_version_num)
      out.add(ok, "archive version", "", needs);
    else
      out.add(warning, "archive version", "",
              needs + "; the database runs " + major_text(major_of(facts.server_version_num)) +
                  ", whose own pg_restore cannot read it: use pg_restore " + requirement.release +
                  " or later");
    return;
  }
}

/// The planned extensions that CREATE EXTENSION will really create: those
/// not installed yet (IF NOT EXISTS skips the others).
bool will_create(const planned_extension& planned, const target_facts& facts) {
  const target_extension* found = facts.extension(planned.name);
  return found == nullptr || !found->installed_version;
}

void check_schemas(const preflight_plan& plan, const target_facts& facts, const std::string& suggested,
                   findings_builder& out) {
  std::vector<planned_schema> schemas = plan.schemas;
  if (!suggested.empty() && !plan.schema(suggested))
    schemas.push_back({suggested, false, false, 0});
  for (const auto& planned : schemas) {
    const std::string& name = planned.name;
    std::vector<std::string> extensions_here;
    for (const auto& extension : plan.extensions)
      if (extension.restore_schema == name && will_create(extension, facts))
        extensions_here.push_back(extension.name);
    const bool used = !extensions_here.empty() || planned.objects > 0;
    const target_schema* found = facts.schema(name);
    const std::string subject = "schema " + quoted(name);
    const std::string role = "role " + quoted(facts.role);
    const std::string what_for =
        extensions_here.empty() ? std::string()
                                : " (the archive creates extension" + std::string(extensions_here.size() > 1 ? "s " : " ") +
                                      quoted_list(extensions_here) + " there)";

    if (found == nullptr || !found->exists) {
      if (planned.created_by_archive) {
        if (facts.is_superuser || facts.may_create_in_database)
          out.add(ok, "schema", name, subject + " does not exist; the archive creates it and " + role +
                                          " may create schemas" + what_for);
        else
          out.add(problem, "schema", name,
                  subject + " does not exist and " + role + " may not create it (no CREATE privilege on database " +
                      quoted(facts.database) + ")" + what_for);
      } else if (used) {
        out.add(problem, "schema", name, subject + " does not exist and the archive does not create it" + what_for);
      } else if (facts.is_superuser || facts.may_create_in_database) {
        out.add(ok, "schema", name, subject + " does not exist; " + role + " may create it");
      } else {
        out.add(warning, "schema", name,
                subject + " does not exist and " + role + " may not create it (no CREATE privilege on database " +
                    quoted(facts.database) + ")");
      }
      continue;
    }

    const std::string exists = subject + " exists (owner " + quoted(found->owner) + ")";
    if (planned.created_by_archive && !planned.created_if_missing)
      out.add(warning, "schema", name,
              exists + " and the archive's CREATE SCHEMA will fail: pg_restore reports an error and goes on");
    if (found->may_create) {
      out.add(ok, "schema", name, exists + "; " + role + " may create objects in it" + what_for);
    } else if (planned.objects > 0) {
      out.add(problem, "schema", name,
              exists + " but " + role + " may not create objects in it (no CREATE privilege), and the archive creates " +
                  std::to_string(planned.objects) + (planned.objects == 1 ? " object" : " objects") +
                  " there besides extensions");
    } else if (!extensions_here.empty()) {
      out.add(warning, "schema", name,
              exists + " but " + role + " may not create objects in it (no CREATE privilege): CREATE EXTENSION of a "
                                        "trusted extension does not need it, anything else created there fails" +
                  what_for);
    } else {
      out.add(warning, "schema", name, exists + " but " + role + " may not create objects in it (no CREATE privilege)");
    }
    if (!found->may_use && used)
      out.add(problem, "schema", name,
              subject + ": " + role + " has no USAGE privilege on it, so nothing that uses its objects can be created");
  }
}

void check_extensions(const preflight_plan& plan, const target_facts& facts, findings_builder& out) {
  const std::optional<std::string>& enforced = facts.probe.enforced_schema;
  for (const auto& planned : plan.extensions) {
    const std::string subject = "extension " + quoted(planned.name);
    const std::string where = planned.restore_schema.empty()
                                  ? std::string(" (the archive names no schema)")
                                  : " in schema " + quoted(planned.restore_schema);
    const target_extension* found = facts.extension(planned.name);
    if (found != nullptr && found->installed_version) {
      const std::string installed = subject + " is already installed in schema " + quoted(*found->installed_schema) +
                                    " (version " + *found->installed_version + ")";
      if (planned.restore_schema.empty() || *found->installed_schema == planned.restore_schema)
        out.add(ok, "extension", planned.name, installed + "; CREATE EXTENSION IF NOT EXISTS skips it");
      else
        out.add(problem, "extension", planned.name,
                installed + " but the archive creates it in schema " + quoted(planned.restore_schema) +
                    ": CREATE EXTENSION IF NOT EXISTS skips it, and every entry that names its objects in " +
                    quoted(planned.restore_schema) + " fails");
      continue;
    }
    if (found == nullptr || !found->available) {
      out.add(problem, "extension", planned.name,
              subject + " is not available on the server (not in pg_available_extensions): install it there, or "
                        "leave it out of the archive");
      continue;
    }
    bool fine = true;
    auto add = [&](preflight_severity severity, const std::string& message) {
      fine = fine && severity == ok;
      out.add(severity, "extension", planned.name, message);
    };
    if (!found->control_schema.empty() && !planned.restore_schema.empty() &&
        found->control_schema != planned.restore_schema)
      add(problem, subject + " can only be created in schema " + quoted(found->control_schema) +
                       " (its control file says so), but the archive creates it" + where);
    if (!facts.is_superuser) {
      if (found->superuser_only && !found->trusted)
        add(problem, subject + " is not trusted: only a superuser may create it, and role " + quoted(facts.role) +
                         " is not one");
      else if (!facts.may_create_in_database && found->superuser_only)
        add(problem, subject + " is trusted, but role " + quoted(facts.role) +
                         " may not create it without CREATE privilege on database " + quoted(facts.database));
    }
    for (const auto& required : found->required) {
      const bool in_archive = std::any_of(plan.extensions.begin(), plan.extensions.end(),
                                          [&](const planned_extension& other) { return other.name == required; });
      const target_extension* there = facts.extension(required);
      if (!in_archive && (there == nullptr || !there->installed_version))
        add(problem, subject + " requires extension " + quoted(required) +
                         ", which the archive does not create and the database does not have");
    }
    if (enforced && planned.restore_schema != *enforced && found->control_schema.empty()) {
      if (contains(exempt_extensions, planned.name))
        add(warning, subject + " would be created" + where + ", outside schema " + quoted(*enforced) +
                         ", which the database insists on; Heroku exempted it, this database may not");
      else
        add(problem, subject + " would be created" + where + " but the database only accepts extensions in schema " +
                         quoted(*enforced));
    }
    if (fine)
      out.add(ok, "extension", planned.name,
              subject + " is available (default version " + found->default_version + ") and will be created" + where);
  }
}

void check_enforcement(const target_facts& facts, findings_builder& out) {
  const enforcement_probe& probe = facts.probe;
  if (!probe.attempted) {
    out.add(warning, "enforcement", "",
            "could not tell whether the database insists on a schema for extensions: not probed (" +
                probe.skipped_reason + ")");
    return;
  }
  const std::string tried = "CREATE EXTENSION " + probe.extension + " in scratch schema " + probe.scratch_schema;
  if (probe.enforced_schema)
    out.add(ok, "enforcement", *probe.enforced_schema,
            "the database only accepts extensions in schema " + quoted(*probe.enforced_schema) + ": " + tried +
                " was refused with: " + probe.error_message + "; rolled back");
  else if (probe.extension_created)
    out.add(ok, "enforcement", "",
            "the database accepts extensions in any schema: " + tried + " worked and was rolled back");
  else
    out.add(warning, "enforcement", "",
            "could not tell whether the database insists on a schema for extensions: " + tried +
                " failed with: " + probe.error_message + "; rolled back");
  if (!probe.left_nothing_behind)
    out.add(problem, "enforcement", probe.scratch_schema,
            "after the rollback, schema " + quoted(probe.scratch_schema) + " or extension " + quoted(probe.extension) +
                " still exists: check the database and drop what the probe left");
}

/// search_path entries as names: quotes removed, "$user" as the role.
std::vector<std::string> search_path_names(const std::string& path, const std::string& role) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find(',', start);
    if (end == std::string::npos)
      end = path.size();
    std::string item = path.substr(start, end - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? std::string() : item.substr(first, last - first + 1);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      std::string unquoted;
      for (std::size_t index = 1; index + 1 < item.size(); ++index) {
        unquoted.push_back(item[index]);
        if (item[index] == '"')
          ++index; // "" stands for "
      }
      item = unquoted;
    }
    names.push_back(item == "$user" ? role : item);
    start = end + 1;
  }
  return names;
}

void check_search_path(const preflight_plan& plan, const target_facts& facts, findings_builder& out) {
  std::string settings;
  if (facts.database_search_path)
    settings += "; set for the database: " + *facts.database_search_path;
  if (facts.role_search_path)
    settings += "; set for the role: " + *facts.role_search_path;
  if (!facts.settings_readable)
    settings += "; pg_db_role_setting is not readable";
  out.add(ok, "search_path", "", "search_path is " + facts.search_path + settings);

  const auto path = search_path_names(facts.search_path, facts.role);
  std::vector<std::string> schemas;
  for (const auto& extension : plan.extensions)
    if (!extension.restore_schema.empty() && extension.restore_schema != "pg_catalog" &&
        !contains(schemas, extension.restore_schema))
      schemas.push_back(extension.restore_schema);
  for (const auto& schema : schemas) {
    if (plan.search_path_schema && *plan.search_path_schema == schema) {
      if (facts.is_superuser || facts.owns_database)
        out.add(ok, "search_path", schema,
                "the archive puts schema " + quoted(schema) + " on the database's search_path");
      else
        out.add(warning, "search_path", schema,
                "the archive puts schema " + quoted(schema) + " on the database's search_path with ALTER DATABASE, "
                "which needs the database's owner; role " + quoted(facts.role) + " is not");
    } else if (contains(path, schema)) {
      out.add(ok, "search_path", schema, "schema " + quoted(schema) + " is on the search_path");
    } else {
      out.add(warning, "search_path", schema,
              "schema " + quoted(schema) + " is not on the search_path: after the restore, unqualified uses of its "
              "extensions' objects (in the application, in function bodies) fail; use --search-path or ALTER "
              "DATABASE ... SET search_path");
    }
  }
}

/// Extensions whose scripts reset search_path to the database's default
/// (PostGIS's AddToSearchPath) and then need others by unqualified name:
/// they restore only where that default has the others' schema.
void check_default_search_path(const preflight_plan& plan, const target_facts& facts, findings_builder& out) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> resetting = {
      {"postgis_topology", {"postgis"}}, {"postgis_tiger_geocoder", {"postgis", "fuzzystrmatch"}}};
  // What AddToSearchPath reads: the database's setting, else the session's
  // starting value (role settings, PGOPTIONS).
  const std::string default_path = facts.database_search_path.value_or(facts.search_path);
  const auto names = search_path_names(default_path, facts.role);
  for (const auto& [resetting_name, needs] : resetting) {
    const std::string& name = resetting_name; // clang 14 cannot capture a structured binding in a lambda
    const bool created = std::any_of(plan.extensions.begin(), plan.extensions.end(),
                                     [&](const planned_extension& extension) { return extension.name == name; });
    if (!created)
      continue;
    for (const auto& needed : needs) {
      const auto found = std::find_if(plan.extensions.begin(), plan.extensions.end(),
                                      [&](const planned_extension& extension) { return extension.name == needed; });
      if (found == plan.extensions.end() || found->restore_schema.empty() || found->restore_schema == "pg_catalog")
        continue;
      const std::string& schema = found->restore_schema;
      if (contains(names, schema))
        out.add(ok, "search_path", schema,
                "the database's default search_path (" + default_path + ") has schema " + quoted(schema) +
                    ", which CREATE EXTENSION " + name + " needs for " + needed);
      else
        out.add(problem, "search_path", schema,
                "CREATE EXTENSION " + name + " resets search_path to the database's default (" + default_path +
                    "), which lacks schema " + quoted(schema) + " where " + needed +
                    " is restored: it would fail with type \"geometry\" does not exist; before restoring, run "
                    "ALTER DATABASE " + quoted(facts.database) + " SET search_path = \"$user\", public, " +
                    quoted(schema) + (facts.database_search_path ? std::string()
                                                                 : " (or restore with PGOPTIONS='-c search_path="
                                                                   "\"$user\",public," + schema + "')"));
    }
  }
}

// --- the suggestion ---------------------------------------------------------

/// The schema the archive as given creates most of its movable extensions
/// in (not pg_catalog, not a control file's fixed schema, not an exempt one).
std::string archive_extension_schema(const preflight_plan& plan, const target_facts& facts) {
  std::map<std::string, std::size_t> counts;
  std::vector<std::string> order;
  for (const auto& extension : plan.extensions) {
    const target_extension* found = facts.extension(extension.name);
    if (extension.archive_schema.empty() || extension.archive_schema == "pg_catalog" ||
        contains(exempt_extensions, extension.name) || (found != nullptr && !found->control_schema.empty()))
      continue;
    if (counts[extension.archive_schema]++ == 0)
      order.push_back(extension.archive_schema);
  }
  std::string best;
  for (const auto& schema : order)
    if (best.empty() || counts[schema] > counts[best])
      best = schema;
  return best;
}

preflight_suggestion suggest(const preflight_plan& plan, const target_facts& facts) {
  preflight_suggestion suggestion;
  const std::string from = archive_extension_schema(plan, facts);
  if (from.empty()) {
    suggestion.reason = "the archive creates no extension that could move";
    return suggestion;
  }
  suggestion.from_schema = from;
  std::string to = from;
  std::vector<std::string> installed_names;
  std::vector<std::string> installed_schemas;
  for (const auto& extension : plan.extensions) {
    const target_extension* found = facts.extension(extension.name);
    if (extension.archive_schema != from || found == nullptr || !found->installed_schema)
      continue;
    installed_names.push_back(extension.name);
    if (!contains(installed_schemas, *found->installed_schema))
      installed_schemas.push_back(*found->installed_schema);
  }
  const target_schema* from_there = facts.schema(from);
  const target_schema* public_there = facts.schema("public");

  if (facts.probe.enforced_schema) {
    to = *facts.probe.enforced_schema;
    suggestion.reason = "the database only accepts extensions in schema " + quoted(to);
  } else if (installed_schemas.size() == 1) {
    to = installed_schemas.front();
    suggestion.reason = (installed_names.size() == 1 ? "extension " : "extensions ") + quoted_list(installed_names) +
                        (installed_names.size() == 1 ? " is" : " are") + " already installed in schema " + quoted(to);
  } else if (installed_schemas.size() > 1) {
    suggestion.reason = "the archive's extensions are already installed in several schemas (" +
                        quoted_list(installed_schemas) + "); no single --to fits them all";
  } else if ((from_there == nullptr || !from_there->exists) && !contains(plan.original_schemas, from) &&
             from != "public" && public_there != nullptr && public_there->exists) {
    to = "public";
    suggestion.reason = "schema " + quoted(from) + " does not exist in the database and the archive does not create it";
  } else {
    suggestion.reason = "no schema rule for extensions was found and none of them is installed elsewhere";
  }
  suggestion.keep = to == from;
  suggestion.to_schema = to;
  return suggestion;
}

void report_suggestion(const preflight_plan& plan, const preflight_suggestion& suggestion, findings_builder& out) {
  std::string message;
  if (suggestion.from_schema.empty()) {
    message = "no --to needed: " + suggestion.reason;
  } else if (suggestion.keep) {
    message = "keep the archive's schema " + quoted(suggestion.from_schema) + " (no --from/--to needed): " +
              suggestion.reason;
  } else {
    message = "use " + suggestion.command_line() + ": " + suggestion.reason;
  }
  if (plan.retargeted) {
    // Keeping means the options must move nothing of the archive's schema.
    const bool matches = suggestion.keep ? plan.from_schema != suggestion.from_schema
                                         : plan.from_schema == suggestion.from_schema &&
                                               plan.to_schema == suggestion.to_schema;
    message += matches ? " (as the options given do)"
                    : " (the options given move extensions from " + quoted(plan.from_schema) + " to " +
                          quoted(plan.to_schema) + ")";
  }
  out.add(ok, "suggestion", suggestion.keep ? suggestion.from_schema : suggestion.to_schema, message);
}

} // namespace

const char* to_string(preflight_severity severity) noexcept {
  switch (severity) {
  case preflight_severity::ok:
    return "ok";
  case preflight_severity::warning:
    return "warning";
  case preflight_severity::problem:
    return "problem";
  }
  return "problem";
}

std::string preflight_suggestion::command_line() const {
  if (keep)
    return {};
  return (from_schema == "public" ? std::string() : "--from " + from_schema + " ") + "--to " + to_schema;
}

const target_schema* target_facts::schema(const std::string& name) const noexcept {
  for (const auto& found : schemas)
    if (found.name == name)
      return &found;
  return nullptr;
}

const target_extension* target_facts::extension(const std::string& name) const noexcept {
  for (const auto& found : extensions)
    if (found.name == name)
      return &found;
  return nullptr;
}

bool preflight_report::has_problem() const noexcept {
  return std::any_of(findings.begin(), findings.end(),
                     [](const preflight_finding& finding) { return finding.severity == preflight_severity::problem; });
}

preflight_report check_preflight(const preflight_plan& plan, const target_facts& facts) {
  preflight_report report;
  report.plan = plan;
  report.target = facts;
  report.suggestion = suggest(plan, facts);
  findings_builder out(report.findings);
  check_database(facts, out);
  check_server_version(plan, facts, out);
  check_archive_version(plan, facts, out);
  check_schemas(plan, facts, report.suggestion.keep ? std::string() : report.suggestion.to_schema, out);
  check_extensions(plan, facts, out);
  check_enforcement(facts, out);
  check_search_path(plan, facts, out);
  check_default_search_path(plan, facts, out);
  report_suggestion(plan, report.suggestion, out);
  return report;
}

#if PGARC_WITH_LIBPQ
preflight_report preflight(const archive& contents, const std::string& conninfo, const preflight_options& options) {
  const preflight_plan plan = plan_preflight(contents, options);
  const target_facts facts = read_target_facts(conninfo, plan, options.probe_enforcement);
  return check_preflight(plan, facts);
}
#endif

} // namespace pgarc
