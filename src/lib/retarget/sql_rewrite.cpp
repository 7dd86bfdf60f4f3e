// SPDX-License-Identifier: PostgreSQL
// Reference rewriting over the lexer's tokens; see sql_rewrite.hpp.
#include "retarget/sql_rewrite.hpp"

#include "sql/characters.hpp"
#include "sql/identifiers.hpp"
#include "sql/literals.hpp"
#include "sql/qualified_names.hpp"

#include <algorithm>
#include <set>

namespace pgarc::detail {

namespace {

struct replacement {
  byte_range range;
  std::string text;
};

std::string apply(std::string_view sql, std::vector<replacement> replacements) {
  std::sort(replacements.begin(), replacements.end(),
            [](const replacement& a, const replacement& b) { return a.range.begin < b.range.begin; });
  std::string out;
  out.reserve(sql.size() + replacements.size() * 16);
  std::size_t position = 0;
  for (const auto& change : replacements) {
    out.append(sql.substr(position, change.range.begin - position));
    out.append(change.text);
    position = change.range.end;
  }
  out.append(sql.substr(position));
  return out;
}

/// Arguments written between the "(" at `open` and its ")": -1 if unclosed.
int count_arguments(std::string_view sql, const std::vector<token>& tokens, std::size_t open) {
  int depth = 0, commas = 0;
  bool any = false;
  for (std::size_t index = open; index < tokens.size(); ++index) {
    const token& current = tokens[index];
    if (is_insignificant(current.kind))
      continue;
    const std::string_view text = current.text(sql);
    if (current.kind == token_kind::punctuation && (text == "(" || text == "[")) {
      if (depth > 0)
        any = true;
      ++depth;
      continue;
    }
    if (current.kind == token_kind::punctuation && (text == ")" || text == "]")) {
      if (--depth == 0)
        return any ? commas + 1 : 0;
      continue;
    }
    any = true;
    if (depth == 1 && current.kind == token_kind::punctuation && text == ",")
      ++commas;
  }
  return -1;
}

/// Keywords after which SQL names a relation (or a column's table).
bool is_relation_keyword(std::string_view word) {
  static const std::set<std::string, std::less<>> words = {
      "from", "join", "on", "only", "table", "into", "update", "references", "view", "sequence",
      "index", "inherits", "like", "exists", "lateral"};
  std::string lower(word);
  for (char& character : lower)
    if (character >= 'A' && character <= 'Z')
      character = static_cast<char>(character - 'A' + 'a');
  return words.count(lower) > 0;
}

/// The schema part rewritten: quoted if the original was (quote-all archives).
std::string schema_text(const name_part& part, const rewrite_settings& settings) {
  return quote_identifier(settings.to_schema, part.kind != token_kind::identifier);
}

} // namespace

namespace {

bool is_plain_lower_word(std::string_view word) {
  if (word.empty() || !sql_chars::is_ident_start(word.front()))
    return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || sql_chars::is_digit(c) || c == '_';
  });
}

/// Whether `text` at `at` holds `word` in any ASCII case.
bool word_at(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size())
    return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (sql_chars::ascii_lower(text[at + i]) != word[i])
      return false;
  return true;
}

} // namespace

bool may_name_member(std::string_view sql, const rewrite_settings& settings,
                     const member_index& index) {
  using namespace sql_chars;
  const std::string_view schema = settings.from_schema;
  if (!is_plain_lower_word(schema))
    return true;
  std::string name;
  for (std::size_t at = 0; at + schema.size() <= sql.size(); ++at) {
    if (!word_at(sql, at, schema))
      continue;
    std::size_t end = at + schema.size();
    const char before = at > 0 ? sql[at - 1] : ' ';
    if (before == '"') {
      // "public"."name": the quoted form, unless it is U&"..." or longer.
      if (end >= sql.size() || sql[end] != '"' || (at >= 2 && sql[at - 2] == '&'))
        continue;
      ++end;
    } else if (is_ident_cont(before) || (end < sql.size() && is_ident_cont(sql[end]))) {
      continue; // part of a longer word
    }
    if (end >= sql.size())
      continue;
    if (sql[end] != '.') {
      if (is_space(sql[end]) || sql[end] == '/' || sql[end] == '-')
        return true; // "public . name" or a comment before the dot: let the lexer judge
      continue;
    }
    std::size_t next = end + 1;
    name.clear();
    if (next < sql.size() && sql[next] == '"') {
      const std::size_t close = sql.find('"', next + 1);
      if (close == std::string_view::npos || (close + 1 < sql.size() && sql[close + 1] == '"'))
        return true; // unclosed, or a doubled quote inside
      name.assign(sql.substr(next + 1, close - next - 1));
    } else if (next < sql.size() && is_ident_start(sql[next])) {
      while (next < sql.size() && is_ident_cont(sql[next])) {
        if (is_high_bit(sql[next]))
          return true;
        name.push_back(ascii_lower(sql[next++]));
      }
    } else {
      return true; // an operator (OPERATOR(public.->)) or something odd
    }
    if (index.is_member_name(name))
      return true;
  }
  return false;
}

rewrite_outcome rewrite_references(std::string_view sql, const rewrite_settings& settings,
                                   const member_index& index, const toc_entry& entry) {
  rewrite_outcome outcome;
  const std::vector<token> tokens = tokenize(sql, settings.lexer);
  std::vector<replacement> replacements;
  for (const auto& name : find_qualified_names(sql, tokens, settings.lexer)) {
    if (name.parts.size() < 2 || name.schema().is_operator() ||
        name.schema().value != settings.from_schema)
      continue;
    name_use use;
    use.is_operator = name.name().is_operator();
    if (name.is_followed_by_parenthesis && name.next_token)
      use.call_arity = count_arguments(sql, tokens, *name.next_token);
    if (name.previous_token && tokens[*name.previous_token].kind == token_kind::identifier)
      use.is_relation_position = is_relation_keyword(tokens[*name.previous_token].text(sql));
    std::string ambiguity;
    const auto verdict = index.decide(name.name().value, use, entry, &ambiguity);
    if (!verdict) {
      ++outcome.kept;
      if (!ambiguity.empty())
        outcome.ambiguities.push_back(std::move(ambiguity));
      continue;
    }
    ++outcome.rewritten;
    outcome.decisions.emplace_back(name.name().value, *verdict);
    replacements.push_back({name.schema().range, schema_text(name.schema(), settings)});
  }
  outcome.changed = !replacements.empty();
  outcome.text = outcome.changed ? apply(sql, std::move(replacements)) : std::string(sql);
  return outcome;
}

rewrite_outcome rewrite_relation_literals(std::string_view sql, const rewrite_settings& settings,
                                          const member_index& index, const toc_entry& entry) {
  rewrite_outcome outcome;
  const std::vector<token> tokens = tokenize(sql, settings.lexer);
  const std::vector<string_literal> literals = find_string_literals(sql, tokens, settings.lexer);
  std::vector<replacement> replacements;
  auto member = [&](const std::string& relation) {
    std::string ambiguity;
    return index.decide(relation, name_use{}, entry, &ambiguity);
  };
  for (std::size_t at = 0; at < literals.size(); ++at) {
    const auto& literal = literals[at];
    if (!literal.value)
      continue;
    // setval('schema.relation', ...): the literal is a qualified name.
    const std::vector<token> inner = tokenize(*literal.value, settings.lexer);
    const auto names = find_qualified_names(*literal.value, inner, settings.lexer);
    if (names.size() == 1 && names[0].parts.size() == 2 && names[0].range.begin == 0 &&
        names[0].range.end == literal.value->size() &&
        names[0].schema().value == settings.from_schema) {
      if (auto verdict = member(names[0].name().value)) {
        std::string value = *literal.value;
        const name_part& schema = names[0].schema();
        value.replace(schema.range.begin, schema.range.size(), schema_text(schema, settings));
        replacements.push_back({literal.range, quote_string_literal(value, settings.lexer.standard_conforming_strings)});
        outcome.decisions.emplace_back(names[0].name().value, *verdict);
        ++outcome.rewritten;
      } else {
        ++outcome.kept;
      }
      continue;
    }
    // 'schemaname', 'public', 'relname', 'spatial_ref_sys' (pg_restore_*_stats).
    if (*literal.value == "schemaname" && at + 3 < literals.size() &&
        literals[at + 1].value == settings.from_schema && literals[at + 2].value == "relname" &&
        literals[at + 3].value) {
      if (auto verdict = member(*literals[at + 3].value)) {
        replacements.push_back({literals[at + 1].range,
                                quote_string_literal(settings.to_schema,
                                                     settings.lexer.standard_conforming_strings)});
        outcome.decisions.emplace_back(*literals[at + 3].value, *verdict);
        ++outcome.rewritten;
      } else {
        ++outcome.kept;
      }
    }
  }
  outcome.changed = !replacements.empty();
  outcome.text = outcome.changed ? apply(sql, std::move(replacements)) : std::string(sql);
  return outcome;
}

std::vector<std::string> members_named_in_bodies(std::string_view sql,
                                                 const rewrite_settings& settings,
                                                 const member_index& index) {
  std::vector<std::string> found;
  for (const auto& current : tokenize(sql, settings.lexer)) {
    std::optional<std::string> body;
    if (current.kind == token_kind::dollar_string)
      body = std::string(dollar_quote_body(current.text(sql)));
    else if (current.kind == token_kind::string || current.kind == token_kind::escape_string)
      body = decode_string_literal(current.text(sql), current.kind, settings.lexer);
    if (!body || body->size() < settings.from_schema.size() + 2)
      continue;
    const auto inner = tokenize(*body, settings.lexer);
    for (const auto& name : find_qualified_names(*body, inner, settings.lexer)) {
      if (name.parts.size() >= 2 && name.schema().value == settings.from_schema &&
          index.is_member_name(name.name().value)) {
        const std::string text = settings.from_schema + "." + name.name().value;
        if (std::find(found.begin(), found.end(), text) == found.end())
          found.push_back(text);
      }
    }
  }
  return found;
}

bool names_member_unqualified(std::string_view sql, const rewrite_settings& settings,
                              const member_index& index) {
  const auto tokens = tokenize(sql, settings.lexer);
  for (const auto& current : tokens) {
    if (current.kind == token_kind::identifier || current.kind == token_kind::quoted_identifier ||
        current.kind == token_kind::operator_symbol) {
      const std::string_view text = current.text(sql);
      std::optional<std::string> value = current.kind == token_kind::operator_symbol
                                             ? std::optional<std::string>(std::string(text))
                                             : normalize_identifier(text);
      if (value && index.is_member_name(*value))
        return true;
    }
  }
  return false;
}

} // namespace pgarc::detail
