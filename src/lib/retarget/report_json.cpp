// SPDX-License-Identifier: PostgreSQL
// The retarget report as JSON; see format_report_json in retarget.hpp.
#include "pgarc/retarget.hpp"

#include "text/json.hpp"

namespace pgarc {

namespace {

/// `{"id": N, "desc": "...", "tag": "..."` of an entry, left open.
void append_entry_head(std::string& out, std::int64_t dump_id, const std::string& desc, const std::string& tag) {
  out += "{\"id\": " + std::to_string(dump_id) + ", \"desc\": ";
  detail::append_json_string(out, desc);
  out += ", \"tag\": ";
  detail::append_json_string(out, tag);
}

const char* reason_key(keep_reason reason) {
  switch (reason) {
  case keep_reason::not_named: return "not_named";
  case keep_reason::excluded: return "excluded";
  case keep_reason::exempt: return "exempt";
  }
  return "";
}

const char* schema_key(schema_outcome outcome) {
  switch (outcome) {
  case schema_outcome::none: return "";
  case schema_outcome::added: return "added";
  case schema_outcome::made_conditional: return "made_conditional";
  case schema_outcome::kept_placeholder: return "kept_placeholder";
  }
  return "";
}

const char* search_path_key(search_path_outcome outcome) {
  switch (outcome) {
  case search_path_outcome::none: return "";
  case search_path_outcome::added: return "added";
  case search_path_outcome::merged: return "merged";
  case search_path_outcome::already_present: return "already_present";
  }
  return "";
}

void append_names(std::string& out, const char* key, const std::vector<std::string>& names) {
  out += ", \"";
  out += key;
  out += "\": [";
  for (std::size_t index = 0; index < names.size(); ++index) {
    out += index ? ", " : "";
    detail::append_json_string(out, names[index]);
  }
  out += "]";
}

const char* action_key(portable_action action) {
  switch (action) {
  case portable_action::dropped: return "dropped";
  case portable_action::rewritten: return "rewritten";
  case portable_action::owner_removed: return "owner_removed";
  }
  return "";
}

const char* retained_key(retained_reason reason) {
  switch (reason) {
  case retained_reason::carries_data: return "carries_data";
  case retained_reason::needed_by: return "needed_by";
  }
  return "";
}

const char* data_order_key(data_order_source source) {
  switch (source) {
  case data_order_source::extension_configuration: return "extension_configuration";
  }
  return "";
}

} // namespace

const char* to_string(entry_field field) noexcept {
  switch (field) {
  case entry_field::defn: return "defn";
  case entry_field::drop: return "drop";
  case entry_field::copy_stmt: return "copy_stmt";
  case entry_field::namespace_name: return "namespace";
  case entry_field::tag: return "tag";
  case entry_field::deps: return "deps";
  case entry_field::owner: return "owner";
  case entry_field::data: return "data";
  }
  return "";
}

const char* portable_reason_key(portable_reason reason) {
  switch (reason) {
  case portable_reason::schema_in_every_database: return "schema_in_every_database";
  case portable_reason::default_schema_comment: return "default_schema_comment";
  case portable_reason::builtin_plpgsql: return "builtin_plpgsql";
  case portable_reason::extension_comment: return "extension_comment";
  case portable_reason::extension_owner: return "extension_owner";
  case portable_reason::heroku_event_trigger: return "heroku_event_trigger";
  case portable_reason::heroku_object: return "heroku_object";
  case portable_reason::about_dropped_entry: return "about_dropped_entry";
  case portable_reason::no_owner: return "no_owner";
  case portable_reason::no_acl: return "no_acl";
  case portable_reason::not_in_list: return "not_in_list";
  }
  return "";
}

const char* to_string(decision_source source) noexcept {
  return source == decision_source::catalog ? "catalog" : "archive_evidence";
}

const char* to_string(warning_kind kind) noexcept {
  switch (kind) {
  case warning_kind::search_path_reset: return "search_path_reset";
  case warning_kind::earthdistance_index: return "earthdistance_index";
  case warning_kind::shared_member_name: return "shared_member_name";
  case warning_kind::member_and_user_object: return "member_and_user_object";
  case warning_kind::name_in_string: return "name_in_string";
  case warning_kind::name_in_other_language: return "name_in_other_language";
  }
  return "";
}


std::string format_portable_json(const portable_report& report) {
  using detail::append_json_nullable;
  using detail::append_json_string;
  std::string out = "{\"changes\": [";
  for (std::size_t index = 0; index < report.changes.size(); ++index) {
    const auto& change = report.changes[index];
    out += index ? ",\n  " : "\n  ";
    append_entry_head(out, change.dump_id, change.desc, change.tag);
    out += ", \"namespace\": ";
    append_json_string(out, change.namespace_name);
    out += ", \"owner\": ";
    append_json_string(out, change.owner);
    out += ", \"action\": ";
    append_json_string(out, action_key(change.action));
    out += ", \"reason\": ";
    append_json_string(out, portable_reason_key(change.reason));
    if (change.related)
      out += ", \"about\": " + std::to_string(change.related);
    if (change.action != portable_action::dropped) {
      out += ", \"before\": ";
      append_json_nullable(out, change.before);
      out += ", \"after\": ";
      append_json_nullable(out, change.after);
    }
    out += "}";
  }
  out += "],\n\"retained\": [";
  for (std::size_t index = 0; index < report.retained.size(); ++index) {
    const auto& kept = report.retained[index];
    out += index ? ",\n  " : "\n  ";
    append_entry_head(out, kept.dump_id, kept.desc, kept.tag);
    out += ", \"would_drop_for\": ";
    append_json_string(out, portable_reason_key(kept.wanted));
    out += ", \"reason\": ";
    append_json_string(out, retained_key(kept.why));
    if (kept.why == retained_reason::needed_by) {
      out += ", \"needed_by\": ";
      append_entry_head(out, kept.needed_by, kept.needed_by_desc, kept.needed_by_tag);
      out += "}";
    }
    out += "}";
  }
  out += "],\n\"ignored_list_lines\": [";
  for (std::size_t index = 0; index < report.ignored_list_lines.size(); ++index) {
    out += index ? ", " : "";
    append_json_string(out, report.ignored_list_lines[index]);
  }
  out += "], \"listed_but_absent\": [";
  for (std::size_t index = 0; index < report.listed_but_absent.size(); ++index)
    out += (index ? ", " : "") + std::to_string(report.listed_but_absent[index]);
  out += "]}";
  return out;
}


std::string format_report_json(const retarget_report& report, const std::vector<std::string>& warning_messages) {
  using detail::append_json_nullable;
  using detail::append_json_string;
  std::string out = "{\"from\": ";
  append_json_string(out, report.from_schema);
  out += ", \"to\": ";
  append_json_string(out, report.to_schema);
  out += ", \"changed\": ";
  out += report.changed() ? "true" : "false";
  out += ",\n\"moved_extensions\": [";
  for (std::size_t index = 0; index < report.moved_extensions.size(); ++index) {
    out += index ? ", " : "";
    append_json_string(out, report.moved_extensions[index]);
  }
  out += "],\n\"kept_extensions\": [";
  for (std::size_t index = 0; index < report.kept_extensions.size(); ++index) {
    out += index ? ", " : "";
    out += "{\"name\": ";
    append_json_string(out, report.kept_extensions[index].name);
    out += ", \"reason\": ";
    append_json_string(out, reason_key(report.kept_extensions[index].reason));
    out += "}";
  }
  out += "],\n\"schema_action\": ";
  append_json_string(out, schema_key(report.schema_action));
  out += ", \"schema_entry\": " + std::to_string(report.schema_entry);
  out += ",\n\"decisions\": [";
  for (std::size_t index = 0; index < report.decisions.size(); ++index) {
    const auto& decision = report.decisions[index];
    out += index ? ",\n  " : "\n  ";
    out += "{\"name\": ";
    append_json_string(out, decision.name);
    out += ", \"extension\": ";
    append_json_string(out, decision.extension);
    out += ", \"source\": ";
    append_json_string(out, to_string(decision.source));
    out += ", \"catalog\": ";
    append_json_string(out, decision.catalog);
    out += ", \"by_argument_count\": ";
    out += decision.by_argument_count ? "true" : "false";
    out += ", \"uses\": " + std::to_string(decision.uses) + "}";
  }
  out += "],\n\"warnings\": [";
  for (std::size_t index = 0; index < report.warnings.size(); ++index) {
    const auto& warning = report.warnings[index];
    out += index ? ",\n  " : "\n  ";
    append_entry_head(out, warning.dump_id, warning.desc, warning.tag);
    out += ", \"kind\": ";
    append_json_string(out, to_string(warning.kind));
    out += ", \"name\": ";
    append_json_string(out, warning.name);
    out += ", \"extension\": ";
    append_json_string(out, warning.extension);
    append_names(out, "needs", warning.needs);
    out += ", \"detail\": ";
    append_json_string(out, warning.detail);
    if (index < warning_messages.size()) {
      out += ", \"message\": ";
      append_json_string(out, warning_messages[index]);
    }
    out += "}";
  }
  out += "],\n\"bodies\": [";
  for (std::size_t index = 0; index < report.bodies.size(); ++index) {
    const auto& body = report.bodies[index];
    out += index ? ",\n  " : "\n  ";
    out += "{\"id\": " + std::to_string(body.dump_id) + ", \"tag\": ";
    append_json_string(out, body.tag);
    out += ", \"language\": ";
    append_json_string(out, body.language);
    out += ", \"rewritten\": ";
    out += body.rewritten ? "true" : "false";
    append_names(out, "names", body.names);
    append_names(out, "left_unchanged", body.left_unchanged);
    out += "}";
  }
  out += "],\n\"search_paths\": [";
  for (std::size_t index = 0; index < report.search_paths.size(); ++index) {
    const auto& path = report.search_paths[index];
    out += index ? ", " : "";
    append_entry_head(out, path.dump_id, path.desc, path.tag);
    out += "}";
  }
  out += "],\n\"search_path_action\": ";
  append_json_string(out, search_path_key(report.search_path_action));
  out += ", \"search_path_value\": ";
  append_json_string(out, report.search_path_value);
  out += ",\n\"rewritten_data\": [";
  bool first = true;
  for (const auto id : report.rewritten_data) {
    out += first ? "" : ", ";
    first = false;
    out += std::to_string(id);
  }
  out += "],\n\"data_dependencies\": [";
  for (std::size_t index = 0; index < report.data_dependencies.size(); ++index) {
    const auto& added = report.data_dependencies[index];
    out += index ? ",\n  " : "\n  ";
    out += "{\"id\": " + std::to_string(added.dump_id) + ", \"namespace\": ";
    append_json_string(out, added.namespace_name);
    out += ", \"tag\": ";
    append_json_string(out, added.tag);
    out += ", \"after\": " + std::to_string(added.after) + ", \"after_tag\": ";
    append_json_string(out, added.after_tag);
    out += ", \"extension\": ";
    append_json_string(out, added.extension);
    out += ", \"source\": ";
    append_json_string(out, data_order_key(added.source));
    out += "}";
  }
  out += "],\n\"portable\": " + format_portable_json(report.portable);
  out += ",\n\"changes\": [";
  for (std::size_t index = 0; index < report.changes.size(); ++index) {
    const auto& change = report.changes[index];
    out += index ? ",\n  " : "\n  ";
    append_entry_head(out, change.dump_id, change.desc, change.tag);
    out += ", \"added\": ";
    out += change.added ? "true" : "false";
    out += ", \"fields\": [";
    for (std::size_t field = 0; field < change.fields.size(); ++field) {
      out += field ? ", " : "";
      out += "{\"field\": ";
      append_json_string(out, to_string(change.fields[field].field));
      out += ", \"before\": ";
      append_json_nullable(out, change.fields[field].before);
      out += ", \"after\": ";
      append_json_nullable(out, change.fields[field].after);
      out += "}";
    }
    out += "]}";
  }
  out += "]}\n";
  return out;
}

} // namespace pgarc
