// SPDX-License-Identifier: PostgreSQL
// check_preflight: the verdict on a plan given a database's facts, and the
// extension schema that should work, as codes and names (the words are the
// caller's). Pure functions; the unit tests feed facts built in
// code (tests/unit/preflight/check_test.cpp).
#include "pgarc/preflight.hpp"

#include <algorithm>
#include <iterator>
#include <map>

namespace pgarc {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
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

/// The oldest pg_restore that reads each archive version (pg_backup_archiver.h).
struct restore_requirement {
  archive_version version;
  int server_version_num;
};
constexpr restore_requirement restore_requirements[] = {
    {k_vers_1_16, 170000}, {k_vers_1_15, 160000}, {k_vers_1_14, 120000}, {k_vers_1_13, 100003},
    {k_vers_1_12, 90000},  {k_vers_1_11, 80400},  {k_vers_1_10, 80000},
};

// --- the findings -----------------------------------------------------------

constexpr auto ok = preflight_severity::ok;
constexpr auto warning = preflight_severity::warning;
constexpr auto problem = preflight_severity::problem;
using code = preflight_code;

class findings_builder {
public:
  findings_builder(std::vector<preflight_finding>& findings, preflight_check check)
      : m_findings(findings), m_check(check) {}
  preflight_finding& add(preflight_severity severity, preflight_code what, std::string subject = {}) {
    preflight_finding& finding = m_findings.emplace_back();
    finding.severity = severity;
    finding.check = m_check;
    finding.code = what;
    finding.subject = std::move(subject);
    return finding;
  }

private:
  std::vector<preflight_finding>& m_findings;
  preflight_check m_check;
};

void check_database(const target_facts& facts, std::vector<preflight_finding>& findings) {
  findings_builder out(findings, preflight_check::database);
  out.add(ok, code::connected, facts.database);
  if (facts.in_recovery)
    out.add(problem, code::standby, facts.database);
  if (facts.default_read_only)
    out.add(problem, code::read_only, facts.database);
}

void check_server_version(const preflight_plan& plan, const target_facts& facts,
                          std::vector<preflight_finding>& findings) {
  findings_builder out(findings, preflight_check::server_version);
  const int target_major = major_of(facts.server_version_num);
  const auto archive_major = major_version_num(plan.server_version);
  preflight_finding& finding =
      !archive_major                  ? out.add(warning, code::server_version_unknown)
      : *archive_major > target_major ? out.add(problem, code::server_older_than_archive)
                                      : out.add(ok, code::server_version_supported);
  finding.archive_major = archive_major.value_or(0);
  finding.target_major = target_major;
}

void check_archive_version(const preflight_plan& plan, const target_facts& facts,
                           std::vector<preflight_finding>& findings) {
  findings_builder out(findings, preflight_check::archive_version);
  for (const auto& requirement : restore_requirements) {
    if (plan.version < requirement.version)
      continue;
    preflight_finding& finding = facts.server_version_num >= requirement.server_version_num
                                     ? out.add(ok, code::archive_version_readable)
                                     : out.add(warning, code::archive_version_needs_newer);
    finding.required_version = requirement.server_version_num;
    finding.target_major = major_of(facts.server_version_num);
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
                   std::vector<preflight_finding>& findings) {
  findings_builder out(findings, preflight_check::schema);
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
    const bool may_create_schemas = facts.is_superuser || facts.may_create_in_database;
    auto add = [&](preflight_severity severity, preflight_code what) {
      preflight_finding& finding = out.add(severity, what, name);
      finding.extensions = extensions_here;
      finding.count = planned.objects;
    };

    const target_schema* found = facts.schema(name);
    if (found == nullptr || !found->exists) {
      if (planned.created_by_archive)
        add(may_create_schemas ? ok : problem,
            may_create_schemas ? code::schema_created_by_archive : code::schema_creation_refused);
      else if (used)
        add(problem, code::schema_missing);
      else if (may_create_schemas)
        add(ok, code::schema_may_be_created);
      else
        add(warning, code::schema_may_not_be_created);
      continue;
    }

    if (planned.created_by_archive && !planned.created_if_missing)
      add(warning, code::schema_create_will_fail);
    if (found->may_create)
      add(ok, code::schema_writable);
    else if (planned.objects > 0)
      add(problem, code::schema_objects_refused);
    else if (!extensions_here.empty())
      add(warning, code::schema_extensions_only);
    else
      add(warning, code::schema_not_writable);
    if (!found->may_use && used)
      add(problem, code::schema_no_usage);
  }
}

void check_extensions(const preflight_plan& plan, const target_facts& facts, std::vector<preflight_finding>& findings) {
  findings_builder out(findings, preflight_check::extension);
  const std::optional<std::string>& enforced = facts.probe.enforced_schema;
  for (const auto& planned : plan.extensions) {
    const target_extension* found = facts.extension(planned.name);
    if (found != nullptr && found->installed_version) {
      if (planned.restore_schema.empty() || *found->installed_schema == planned.restore_schema)
        out.add(ok, code::extension_installed, planned.name);
      else
        out.add(problem, code::extension_installed_elsewhere, planned.name);
      continue;
    }
    if (found == nullptr || !found->available) {
      out.add(problem, code::extension_unavailable, planned.name);
      continue;
    }
    bool fine = true;
    auto add = [&](preflight_severity severity, preflight_code what) -> preflight_finding& {
      fine = fine && severity == ok;
      return out.add(severity, what, planned.name);
    };
    if (!found->control_schema.empty() && !planned.restore_schema.empty() &&
        found->control_schema != planned.restore_schema)
      add(problem, code::extension_fixed_schema);
    if (!facts.is_superuser) {
      if (found->superuser_only && !found->trusted)
        add(problem, code::extension_not_trusted);
      else if (!facts.may_create_in_database && found->superuser_only)
        add(problem, code::extension_needs_database_create);
    }
    for (const auto& required : found->required) {
      const bool in_archive = std::any_of(plan.extensions.begin(), plan.extensions.end(),
                                          [&](const planned_extension& other) { return other.name == required; });
      const target_extension* there = facts.extension(required);
      if (!in_archive && (there == nullptr || !there->installed_version))
        add(problem, code::extension_requirement_missing).related = required;
    }
    if (enforced && planned.restore_schema != *enforced && found->control_schema.empty()) {
      const bool exempt = contains(exempt_extensions, planned.name);
      add(exempt ? warning : problem, exempt ? code::extension_outside_rule_exempt : code::extension_outside_rule)
          .related = *enforced;
    }
    if (fine)
      out.add(ok, code::extension_creatable, planned.name);
  }
}

void check_enforcement(const target_facts& facts, std::vector<preflight_finding>& findings) {
  findings_builder out(findings, preflight_check::enforcement);
  const enforcement_probe& probe = facts.probe;
  if (!probe.attempted) {
    out.add(warning, code::probe_skipped);
    return;
  }
  if (probe.enforced_schema)
    out.add(ok, code::schema_rule_found, *probe.enforced_schema);
  else if (probe.extension_created)
    out.add(ok, code::no_schema_rule);
  else
    out.add(warning, code::probe_inconclusive);
  if (!probe.left_nothing_behind)
    out.add(problem, code::probe_left_objects, probe.scratch_schema).related = probe.extension;
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

void check_search_path(const preflight_plan& plan, const target_facts& facts, std::vector<preflight_finding>& findings) {
  findings_builder out(findings, preflight_check::search_path);
  out.add(ok, code::search_path_current);

  const auto path = search_path_names(facts.search_path, facts.role);
  std::vector<std::string> schemas;
  for (const auto& extension : plan.extensions)
    if (!extension.restore_schema.empty() && extension.restore_schema != "pg_catalog" &&
        !contains(schemas, extension.restore_schema))
      schemas.push_back(extension.restore_schema);
  for (const auto& schema : schemas) {
    if (plan.search_path_schema && *plan.search_path_schema == schema) {
      if (facts.is_superuser || facts.owns_database)
        out.add(ok, code::search_path_added_by_archive, schema);
      else
        out.add(warning, code::search_path_added_needs_owner, schema);
    } else if (contains(path, schema)) {
      out.add(ok, code::search_path_has_schema, schema);
    } else {
      out.add(warning, code::search_path_lacks_schema, schema);
    }
  }
}

/// Extensions whose scripts reset search_path to the database's default
/// (PostGIS's AddToSearchPath) and then need others by unqualified name:
/// they restore only where that default has the others' schema.
void check_default_search_path(const preflight_plan& plan, const target_facts& facts,
                               std::vector<preflight_finding>& findings) {
  findings_builder out(findings, preflight_check::search_path);
  static const std::vector<std::pair<std::string, std::vector<std::string>>> resetting = {
      {"postgis_topology", {"postgis"}}, {"postgis_tiger_geocoder", {"postgis", "fuzzystrmatch"}}};
  // What AddToSearchPath reads: the database's setting, else the session's
  // starting value (role settings, PGOPTIONS).
  const auto names = search_path_names(facts.database_search_path.value_or(facts.search_path), facts.role);
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
      const bool has = contains(names, found->restore_schema);
      preflight_finding& finding =
          out.add(has ? ok : problem, has ? code::default_search_path_has_schema : code::default_search_path_lacks_schema,
                  found->restore_schema);
      finding.related = name;
      finding.extensions = {needed};
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
    suggestion.reason = suggestion_reason::no_movable_extension;
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
    suggestion.reason = suggestion_reason::schema_rule;
  } else if (installed_schemas.size() == 1) {
    to = installed_schemas.front();
    suggestion.reason = suggestion_reason::already_installed;
    suggestion.installed_extensions = installed_names;
  } else if (installed_schemas.size() > 1) {
    suggestion.reason = suggestion_reason::installed_in_several_schemas;
    suggestion.installed_schemas = installed_schemas;
  } else if ((from_there == nullptr || !from_there->exists) && !contains(plan.original_schemas, from) &&
             from != "public" && public_there != nullptr && public_there->exists) {
    to = "public";
    suggestion.reason = suggestion_reason::from_schema_missing;
  } else {
    suggestion.reason = suggestion_reason::nothing_found;
  }
  suggestion.keep = to == from;
  suggestion.to_schema = to;
  return suggestion;
}

void report_suggestion(const preflight_plan& plan, const preflight_suggestion& suggestion,
                       std::vector<preflight_finding>& findings) {
  findings_builder out(findings, preflight_check::suggestion);
  const preflight_code what = suggestion.from_schema.empty() ? code::suggest_nothing
                              : suggestion.keep             ? code::suggest_keep
                                                            : code::suggest_move;
  preflight_finding& finding = out.add(ok, what, suggestion.keep ? suggestion.from_schema : suggestion.to_schema);
  if (plan.retargeted)
    // Keeping means the options must move nothing of the archive's schema.
    finding.options_agree = suggestion.keep ? plan.from_schema != suggestion.from_schema
                                            : plan.from_schema == suggestion.from_schema &&
                                                  plan.to_schema == suggestion.to_schema;
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

namespace {

constexpr const char* check_names[] = {"database", "server_version", "archive_version", "schema",
                                       "extension", "enforcement", "search_path", "suggestion"};
static_assert(std::size(check_names) == static_cast<std::size_t>(preflight_check::suggestion) + 1);

constexpr const char* code_names[] = {
    "connected", "standby", "read_only",
    "server_version_unknown", "server_older_than_archive", "server_version_supported",
    "archive_version_readable", "archive_version_needs_newer",
    "schema_created_by_archive", "schema_creation_refused", "schema_missing", "schema_may_be_created",
    "schema_may_not_be_created", "schema_create_will_fail", "schema_writable", "schema_objects_refused",
    "schema_extensions_only", "schema_not_writable", "schema_no_usage",
    "extension_installed", "extension_installed_elsewhere", "extension_unavailable", "extension_fixed_schema",
    "extension_not_trusted", "extension_needs_database_create", "extension_requirement_missing",
    "extension_outside_rule_exempt", "extension_outside_rule", "extension_creatable",
    "probe_skipped", "schema_rule_found", "no_schema_rule", "probe_inconclusive", "probe_left_objects",
    "search_path_current", "search_path_added_by_archive", "search_path_added_needs_owner",
    "search_path_has_schema", "search_path_lacks_schema", "default_search_path_has_schema",
    "default_search_path_lacks_schema",
    "suggest_nothing", "suggest_keep", "suggest_move",
};
static_assert(std::size(code_names) == static_cast<std::size_t>(preflight_code::suggest_move) + 1);

constexpr const char* reason_names[] = {"no_movable_extension", "schema_rule", "already_installed",
                                        "installed_in_several_schemas", "from_schema_missing", "nothing_found"};
static_assert(std::size(reason_names) == static_cast<std::size_t>(suggestion_reason::nothing_found) + 1);

template <typename Enum, std::size_t Size>
const char* name_of(const char* const (&names)[Size], Enum value) noexcept {
  const auto index = static_cast<std::size_t>(value);
  return index < Size ? names[index] : "unknown";
}

} // namespace

const char* to_string(preflight_check check) noexcept { return name_of(check_names, check); }
const char* to_string(preflight_code code) noexcept { return name_of(code_names, code); }
const char* to_string(suggestion_reason reason) noexcept { return name_of(reason_names, reason); }

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
  auto& out = report.findings;
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
