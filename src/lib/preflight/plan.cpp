// SPDX-License-Identifier: PostgreSQL
// plan_preflight: what an archive will ask of the database it is restored
// into, read from its TOC alone (after retargeting a copy when asked).
#include "pgarc/preflight.hpp"

#include "sql/lexer.hpp"
#include "sql/qualified_names.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace pgarc {

namespace {

bool same_word(std::string_view text, std::string_view upper) {
  return text.size() == upper.size() &&
         std::equal(text.begin(), text.end(), upper.begin(), [](char left, char right) {
           return std::toupper(static_cast<unsigned char>(left)) == right;
         });
}

/// The significant (not white space or comment) tokens of `sql`, as text.
std::vector<std::string_view> words_of(std::string_view sql) {
  std::vector<std::string_view> words;
  for (const auto& token : detail::tokenize(sql))
    if (!detail::is_insignificant(token.kind))
      words.push_back(token.text(sql));
  return words;
}

struct schema_statement {
  bool creates = false;
  bool if_not_exists = false;
};

/// Whether a SCHEMA entry's SQL creates the schema: pg_dump's entry for
/// public is only a comment ("*not* creating schema"), retargeting writes
/// CREATE SCHEMA IF NOT EXISTS after a comment.
schema_statement read_schema_statement(const toc_entry& entry) {
  const auto words = words_of(text_of(entry.defn));
  schema_statement statement;
  statement.creates = words.size() >= 2 && same_word(words[0], "CREATE") && same_word(words[1], "SCHEMA");
  statement.if_not_exists = statement.creates && words.size() >= 5 && same_word(words[2], "IF") &&
                            same_word(words[3], "NOT") && same_word(words[4], "EXISTS");
  return statement;
}

/// The schema an EXTENSION entry's CREATE EXTENSION names, or "".
std::string extension_schema(const toc_entry& entry) {
  const std::string& sql = std::string(text_of(entry.defn));
  const auto tokens = detail::tokenize(sql);
  const auto clauses = detail::find_extension_schema_clauses(sql, tokens);
  return clauses.size() == 1 ? clauses.front().schema : std::string();
}

/// Entry types that create an object inside a schema, which needs CREATE on
/// it. (Indexes, constraints and triggers need the table's owner instead.)
bool creates_schema_object(const std::string& desc) {
  static const std::vector<std::string> kinds = {
      "TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "FOREIGN TABLE", "FUNCTION", "PROCEDURE",
      "AGGREGATE", "TYPE", "DOMAIN", "SHELL TYPE", "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY",
      "COLLATION", "CONVERSION", "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY",
      "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "STATISTICS"};
  return std::find(kinds.begin(), kinds.end(), desc) != kinds.end();
}

} // namespace

const planned_schema* preflight_plan::schema(const std::string& name) const noexcept {
  for (const auto& planned : schemas)
    if (planned.name == name)
      return &planned;
  return nullptr;
}

preflight_plan plan_preflight(const archive& contents, const preflight_options& options) {
  preflight_plan plan;
  plan.version = contents.header.version;
  plan.server_version = text_of(contents.header.server_version);
  plan.pg_dump_version = text_of(contents.header.pg_dump_version);
  plan.retargeted = options.retargeted;
  plan.from_schema = options.retarget.from_schema;
  plan.to_schema = options.retarget.to_schema;

  std::map<std::int64_t, std::string> original_schema;
  for (const auto& entry : contents.entries) {
    if (entry.desc_text() == "EXTENSION")
      original_schema[entry.dump_id] = extension_schema(entry);
    else if (entry.desc_text() == "SCHEMA" && read_schema_statement(entry).creates)
      plan.original_schemas.push_back(std::string(entry.tag_text()));
  }

  archive retargeted;
  if (options.retargeted) {
    retargeted.header = contents.header;
    retargeted.entries = contents.entries;
    retarget(retargeted, options.retarget);
  }
  const archive& judged = options.retargeted ? retargeted : contents;

  std::vector<std::string> schema_names;
  auto note_schema = [&](const std::string& name) {
    if (!name.empty() && std::find(schema_names.begin(), schema_names.end(), name) == schema_names.end())
      schema_names.push_back(name);
  };
  for (const auto& entry : judged.entries) {
    if (entry.desc_text() == "EXTENSION") {
      planned_extension extension;
      extension.name = entry.tag_text();
      extension.dump_id = entry.dump_id;
      extension.archive_schema = original_schema[entry.dump_id];
      extension.restore_schema = extension_schema(entry);
      note_schema(extension.restore_schema);
      plan.extensions.push_back(std::move(extension));
    } else if (entry.desc_text() == "DATABASE SEARCH PATH") {
      plan.search_path_schema = entry.tag_text();
    }
  }
  note_schema(plan.to_schema);
  for (const auto& extension : plan.extensions)
    note_schema(extension.archive_schema);

  for (const auto& name : schema_names) {
    planned_schema schema;
    schema.name = name;
    for (const auto& entry : judged.entries) {
      if (entry.desc_text() == "SCHEMA" && entry.tag_text() == name) {
        const schema_statement statement = read_schema_statement(entry);
        schema.created_by_archive = schema.created_by_archive || statement.creates;
        schema.created_if_missing = schema.created_if_missing || statement.if_not_exists;
      } else if (text_of(entry.namespace_name) == name && creates_schema_object(std::string(entry.desc_text()))) {
        ++schema.objects;
      }
    }
    plan.schemas.push_back(std::move(schema));
  }
  return plan;
}

} // namespace pgarc
