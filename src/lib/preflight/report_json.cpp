// SPDX-License-Identifier: PostgreSQL
// The preflight report as JSON; see format_preflight_json in preflight.hpp.
#include "pgarc/preflight.hpp"

#include "text/json.hpp"

namespace pgarc {

namespace {

using detail::append_json_string;

class json_object {
public:
  /// `one_per_line`: each member after the first starts a new line.
  explicit json_object(std::string& out, bool one_per_line = false)
      : m_out(out), m_separator(one_per_line ? ",\n\"" : ", \"") {
    m_out += "{";
  }
  ~json_object() { m_out += "}"; }
  json_object(const json_object&) = delete;
  json_object& operator=(const json_object&) = delete;

  std::string& key(const char* name) {
    m_out += m_first ? "\"" : m_separator;
    m_first = false;
    m_out += name;
    m_out += "\": ";
    return m_out;
  }
  void text(const char* name, const std::string& value) { append_json_string(key(name), value); }
  void optional_text(const char* name, const std::optional<std::string>& value) {
    if (value)
      text(name, *value);
    else
      key(name) += "null";
  }
  void boolean(const char* name, bool value) { key(name) += value ? "true" : "false"; }
  void number(const char* name, long long value) { key(name) += std::to_string(value); }

private:
  std::string& m_out;
  const char* m_separator;
  bool m_first = true;
};

void text_array(std::string& out, const std::vector<std::string>& values) {
  out += "[";
  for (std::size_t index = 0; index < values.size(); ++index) {
    out += index ? ", " : "";
    append_json_string(out, values[index]);
  }
  out += "]";
}

void write_plan(std::string& out, const preflight_plan& plan) {
  json_object object(out);
  object.text("archive_version", std::to_string(plan.version.major) + "." + std::to_string(plan.version.minor) +
                                     "." + std::to_string(plan.version.rev));
  object.text("server_version", plan.server_version);
  object.text("pg_dump_version", plan.pg_dump_version);
  object.boolean("retargeted", plan.retargeted);
  object.text("from", plan.from_schema);
  object.text("to", plan.to_schema);
  object.key("extensions") += "[";
  for (std::size_t index = 0; index < plan.extensions.size(); ++index) {
    const auto& extension = plan.extensions[index];
    out += index ? ",\n  " : "\n  ";
    json_object item(out);
    item.text("name", extension.name);
    item.number("id", extension.dump_id);
    item.text("archive_schema", extension.archive_schema);
    item.text("restore_schema", extension.restore_schema);
  }
  out += "]";
  object.key("schemas") += "[";
  for (std::size_t index = 0; index < plan.schemas.size(); ++index) {
    const auto& schema = plan.schemas[index];
    out += index ? ", " : "";
    json_object item(out);
    item.text("name", schema.name);
    item.boolean("created_by_archive", schema.created_by_archive);
    item.boolean("created_if_missing", schema.created_if_missing);
    item.number("objects", static_cast<long long>(schema.objects));
  }
  out += "]";
  text_array(object.key("original_schemas"), plan.original_schemas);
  object.optional_text("search_path_schema", plan.search_path_schema);
}

void write_facts(std::string& out, const target_facts& facts) {
  json_object object(out);
  object.text("database", facts.database);
  object.text("role", facts.role);
  object.text("server_version", facts.server_version);
  object.number("server_version_num", facts.server_version_num);
  object.boolean("superuser", facts.is_superuser);
  object.boolean("may_create_in_database", facts.may_create_in_database);
  object.boolean("owns_database", facts.owns_database);
  object.boolean("in_recovery", facts.in_recovery);
  object.boolean("default_read_only", facts.default_read_only);
  object.text("search_path", facts.search_path);
  object.optional_text("database_search_path", facts.database_search_path);
  object.optional_text("role_search_path", facts.role_search_path);
  object.boolean("settings_readable", facts.settings_readable);
  object.key("schemas") += "[";
  for (std::size_t index = 0; index < facts.schemas.size(); ++index) {
    const auto& schema = facts.schemas[index];
    out += index ? ",\n  " : "\n  ";
    json_object item(out);
    item.text("name", schema.name);
    item.boolean("exists", schema.exists);
    item.text("owner", schema.owner);
    item.boolean("may_create", schema.may_create);
    item.boolean("may_use", schema.may_use);
  }
  out += "]";
  object.key("extensions") += "[";
  for (std::size_t index = 0; index < facts.extensions.size(); ++index) {
    const auto& extension = facts.extensions[index];
    out += index ? ",\n  " : "\n  ";
    json_object item(out);
    item.text("name", extension.name);
    item.boolean("available", extension.available);
    item.text("default_version", extension.default_version);
    item.boolean("superuser", extension.superuser_only);
    item.boolean("trusted", extension.trusted);
    item.boolean("relocatable", extension.relocatable);
    item.text("control_schema", extension.control_schema);
    text_array(item.key("requires"), extension.required);
    item.optional_text("installed_version", extension.installed_version);
    item.optional_text("installed_schema", extension.installed_schema);
  }
  out += "]";
  const enforcement_probe& probe = facts.probe;
  json_object item(object.key("probe"));
  item.boolean("attempted", probe.attempted);
  item.text("skipped_reason", probe.skipped_reason);
  item.text("extension", probe.extension);
  item.text("scratch_schema", probe.scratch_schema);
  item.boolean("extension_created", probe.extension_created);
  item.text("error", probe.error_message);
  item.text("sqlstate", probe.sqlstate);
  item.optional_text("enforced_schema", probe.enforced_schema);
  item.boolean("left_nothing_behind", probe.left_nothing_behind);
}

} // namespace

std::string format_preflight_json(const preflight_report& report, const preflight_json_words& words) {
  std::string out;
  {
    json_object object(out, true);
    object.boolean("expected_to_restore", report.expected_to_restore());
    write_plan(object.key("archive"), report.plan);
    write_facts(object.key("target"), report.target);
    object.key("findings") += "[";
    for (std::size_t index = 0; index < report.findings.size(); ++index) {
      const auto& finding = report.findings[index];
      out += index ? ",\n  " : "\n  ";
      json_object item(out);
      item.text("severity", to_string(finding.severity));
      item.text("check", to_string(finding.check));
      item.text("code", to_string(finding.code));
      item.text("subject", finding.subject);
      if (!finding.extensions.empty())
        text_array(item.key("extensions"), finding.extensions);
      if (!finding.related.empty())
        item.text("related", finding.related);
      if (finding.code == preflight_code::schema_objects_refused)
        item.number("objects", static_cast<long long>(finding.count));
      if (finding.archive_major != 0)
        item.number("archive_major", finding.archive_major);
      if (finding.target_major != 0)
        item.number("target_major", finding.target_major);
      if (finding.required_version != 0)
        item.number("required_version", finding.required_version);
      if (finding.options_agree)
        item.boolean("options_agree", *finding.options_agree);
      if (index < words.messages.size() && !words.messages[index].empty())
        item.text("message", words.messages[index]);
    }
    out += "]";
    json_object suggestion(object.key("suggestion"));
    suggestion.boolean("keep", report.suggestion.keep);
    suggestion.text("from", report.suggestion.from_schema);
    suggestion.text("to", report.suggestion.to_schema);
    if (!words.suggestion_options.empty())
      suggestion.text("options", words.suggestion_options);
    suggestion.text("reason", to_string(report.suggestion.reason));
    if (!report.suggestion.installed_extensions.empty())
      text_array(suggestion.key("installed_extensions"), report.suggestion.installed_extensions);
    if (!report.suggestion.installed_schemas.empty())
      text_array(suggestion.key("installed_schemas"), report.suggestion.installed_schemas);
  }
  out += "\n";
  return out;
}

} // namespace pgarc
