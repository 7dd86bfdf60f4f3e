// SPDX-License-Identifier: PostgreSQL
// reg* literals and search_path lists; see text_references.hpp. Function
// bodies are rewritten in sql_rewrite.cpp with the same rules as definitions.
#include "retarget/text_references.hpp"

#include "retarget/sql_rewrite.hpp"
#include "sql/characters.hpp"
#include "sql/identifiers.hpp"
#include "sql/literals.hpp"
#include "sql/qualified_names.hpp"

#include <algorithm>
#include <set>

namespace pgarc::detail {

namespace {

std::optional<std::size_t> next_significant(const std::vector<token>& tokens, std::size_t index) {
  for (++index; index < tokens.size(); ++index)
    if (!is_insignificant(tokens[index].kind))
      return index;
  return std::nullopt;
}

std::optional<std::size_t> previous_significant(const std::vector<token>& tokens, std::size_t index) {
  while (index > 0)
    if (!is_insignificant(tokens[--index].kind))
      return index;
  return std::nullopt;
}

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& character : out)
    character = sql_chars::ascii_lower(character);
  return out;
}

bool is_word(std::string_view sql, const std::vector<token>& tokens, std::optional<std::size_t> index,
             std::string_view word) {
  return index && tokens[*index].kind == token_kind::identifier &&
         lowered(tokens[*index].text(sql)) == word;
}

bool is_punctuation(std::string_view sql, const std::vector<token>& tokens,
                    std::optional<std::size_t> index, std::string_view text) {
  return index && tokens[*index].kind == token_kind::punctuation && tokens[*index].text(sql) == text;
}

/// The types whose input functions look names up (regnamespace and regrole
/// name schemas and roles, which never move).
bool is_reg_type(std::string_view name) {
  static const std::set<std::string_view> types = {
      "regclass", "regtype",   "regproc",     "regprocedure",  "regoper",
      "regoperator", "regconfig", "regdictionary", "regcollation"};
  return types.count(name) > 0;
}

/// A type name starting at `index`: regclass, "regclass" or
/// pg_catalog.regclass. Its value when it is a reg* type, else empty.
std::string reg_type_at(std::string_view sql, const std::vector<token>& tokens,
                        std::optional<std::size_t> index) {
  if (!index)
    return {};
  auto value_of = [&](std::size_t at) -> std::optional<std::string> {
    const token& current = tokens[at];
    if (current.kind != token_kind::identifier && current.kind != token_kind::quoted_identifier)
      return std::nullopt;
    return normalize_identifier(current.text(sql));
  };
  std::optional<std::string> first = value_of(*index);
  if (!first)
    return {};
  const auto dot = next_significant(tokens, *index);
  if (*first == "pg_catalog" && is_punctuation(sql, tokens, dot, ".")) {
    const auto second = next_significant(tokens, *dot);
    if (!second)
      return {};
    first = value_of(*second);
    if (!first)
      return {};
  }
  return is_reg_type(*first) ? *first : std::string();
}

bool is_string_kind(token_kind kind) {
  return kind == token_kind::string || kind == token_kind::escape_string ||
         kind == token_kind::national_string;
}

} // namespace

std::string apply_replacements(std::string_view text, std::vector<text_replacement> replacements) {
  std::sort(replacements.begin(), replacements.end(),
            [](const text_replacement& a, const text_replacement& b) { return a.range.begin < b.range.begin; });
  std::string out;
  out.reserve(text.size() + replacements.size() * 16);
  std::size_t position = 0;
  for (const auto& change : replacements) {
    out.append(text.substr(position, change.range.begin - position));
    out.append(change.text);
    position = change.range.end;
  }
  out.append(text.substr(position));
  return out;
}

std::string reg_cast_type(std::string_view sql, const std::vector<token>& tokens,
                          std::size_t literal_token) {
  const token& literal = tokens[literal_token];
  if ((!is_string_kind(literal.kind) && literal.kind != token_kind::dollar_string) ||
      literal.is_unterminated)
    return {};
  const auto after = next_significant(tokens, literal_token);
  if (is_punctuation(sql, tokens, after, "::"))
    return reg_type_at(sql, tokens, next_significant(tokens, *after));
  // CAST('...' AS regtype)
  const auto open = previous_significant(tokens, literal_token);
  if (is_punctuation(sql, tokens, open, "(") &&
      is_word(sql, tokens, previous_significant(tokens, *open), "cast") &&
      is_word(sql, tokens, after, "as"))
    return reg_type_at(sql, tokens, next_significant(tokens, *after));
  return {};
}

std::string requote_like(std::string_view original, token_kind kind, std::string_view value,
                         const lexer_options& options) {
  if (kind == token_kind::dollar_string) {
    std::string tag(dollar_quote_tag(original));
    std::string delimiter = "$" + tag + "$";
    for (int attempt = 0; value.find(delimiter) != std::string_view::npos; ++attempt)
      delimiter = "$" + tag + "pgarc" + std::to_string(attempt) + "$";
    return delimiter + std::string(value) + delimiter;
  }
  if (kind == token_kind::escape_string) {
    std::string quoted(1, original.front()); // E or e
    quoted.push_back('\'');
    for (char character : value) {
      if (character == '\'' || character == '\\')
        quoted.push_back(character);
      quoted.push_back(character);
    }
    quoted.push_back('\'');
    return quoted;
  }
  const std::string quoted = quote_string_literal(value, options.standard_conforming_strings);
  return kind == token_kind::national_string ? std::string(1, original.front()) + quoted : quoted;
}

std::optional<literal_rewrite> rewrite_reg_literal(std::string_view sql, const token& literal,
                                                   std::string_view reg_type,
                                                   const rewrite_settings& settings,
                                                   const member_index& index, const toc_entry& entry) {
  const std::string_view text = literal.text(sql);
  std::optional<std::string> value;
  if (literal.kind == token_kind::dollar_string)
    value = std::string(dollar_quote_body(text));
  else
    value = decode_string_literal(text, literal.kind, settings.lexer);
  if (!value)
    return std::nullopt;
  // The reg* input functions split names the way the scanner does
  // (stringToQualifiedNameList, parseNameAndArgTypes).
  const std::vector<token> inner = tokenize(*value);
  literal_rewrite result;
  std::vector<text_replacement> changes;
  for (const auto& name : find_qualified_names(*value, inner)) {
    if (name.parts.size() != 2 || name.schema().is_operator() ||
        name.schema().value != settings.from_schema || !index.is_member_name(name.name().value))
      continue;
    name_use use;
    use.is_operator = name.name().is_operator();
    if (reg_type == "regprocedure" && name.is_followed_by_parenthesis && name.next_token)
      use.call_arity = count_call_arguments(*value, inner, *name.next_token);
    use.is_relation_position = reg_type == "regclass";
    const auto verdict = index.decide(name.name().value, use, entry, nullptr);
    if (!verdict)
      continue;
    changes.push_back({name.schema().range,
                       quote_identifier(settings.to_schema, name.schema().kind != token_kind::identifier)});
    result.decisions.emplace_back(name.name().value, *verdict);
  }
  if (changes.empty())
    return std::nullopt;
  const std::string rewritten = apply_replacements(*value, std::move(changes));
  result.replacement = {literal.range, requote_like(text, literal.kind, rewritten, settings.lexer)};
  return result;
}

namespace {

struct path_element {
  std::string value;
  std::size_t last_token = 0;
  bool is_string = false;
};

/// Each `SET search_path {TO | =} element, ...` list in `sql`.
std::vector<std::vector<path_element>> search_path_lists(std::string_view sql,
                                                         const std::vector<token>& tokens,
                                                         const lexer_options& options) {
  std::vector<std::vector<path_element>> lists;
  for (std::size_t index = 0; index < tokens.size(); ++index) {
    if (!is_word(sql, tokens, index, "set"))
      continue;
    // pg_dump writes the name with fmtId: "search_path" with --quote-all-identifiers.
    const auto name = next_significant(tokens, index);
    if (!name || !(is_word(sql, tokens, name, "search_path") ||
                   (tokens[*name].kind == token_kind::quoted_identifier && tokens[*name].text(sql) == "\"search_path\"")))
      continue;
    const auto to = next_significant(tokens, *name);
    if (!to || !(is_word(sql, tokens, to, "to") ||
                 (tokens[*to].kind == token_kind::operator_symbol && tokens[*to].text(sql) == "=")))
      continue;
    std::vector<path_element> list;
    std::optional<std::size_t> at = next_significant(tokens, *to);
    while (at) {
      const token& current = tokens[*at];
      std::optional<std::string> value;
      if (is_string_kind(current.kind) && !current.is_unterminated)
        value = decode_string_literal(current.text(sql), current.kind, options);
      else if (current.kind == token_kind::identifier || current.kind == token_kind::quoted_identifier)
        value = normalize_identifier(current.text(sql));
      if (!value)
        break;
      list.push_back({*value, *at, is_string_kind(current.kind)});
      const auto comma = next_significant(tokens, *at);
      if (!is_punctuation(sql, tokens, comma, ","))
        break;
      at = next_significant(tokens, *comma);
    }
    if (!list.empty())
      lists.push_back(std::move(list));
    index = list.empty() ? *to : list.back().last_token;
  }
  return lists;
}

} // namespace

std::optional<std::string> rewrite_search_paths(std::string_view sql, const rewrite_settings& settings,
                                                bool append_if_missing) {
  const std::vector<token> tokens = tokenize(sql, settings.lexer);
  std::vector<text_replacement> inserts;
  for (const auto& list : search_path_lists(sql, tokens, settings.lexer)) {
    auto has = [&](const std::string& schema) {
      return std::any_of(list.begin(), list.end(), [&](const path_element& element) { return element.value == schema; });
    };
    if (has(settings.to_schema))
      continue;
    const auto source = std::find_if(list.begin(), list.end(), [&](const path_element& element) {
      return element.value == settings.from_schema;
    });
    if (source == list.end() && !append_if_missing)
      continue;
    const path_element& after = source == list.end() ? list.back() : *source;
    const std::size_t at = tokens[after.last_token].range.end;
    const std::string written = after.is_string
                                    ? quote_string_literal(settings.to_schema, settings.lexer.standard_conforming_strings)
                                    : quote_identifier(settings.to_schema);
    inserts.push_back({{at, at}, ", " + written});
  }
  if (inserts.empty())
    return std::nullopt;
  return apply_replacements(sql, std::move(inserts));
}

std::optional<std::vector<std::string>> search_path_values(std::string_view sql,
                                                           const lexer_options& options) {
  const std::vector<token> tokens = tokenize(sql, options);
  const auto lists = search_path_lists(sql, tokens, options);
  if (lists.empty())
    return std::nullopt;
  std::vector<std::string> values;
  for (const auto& element : lists.front())
    values.push_back(element.value);
  return values;
}

} // namespace pgarc::detail
