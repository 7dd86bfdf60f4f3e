// SPDX-License-Identifier: PostgreSQL
// Reference rewriting over the lexer's tokens; see sql_rewrite.hpp.
#include "retarget/sql_rewrite.hpp"

#include "sql/characters.hpp"
#include "sql/identifiers.hpp"
#include "sql/literals.hpp"
#include "sql/qualified_names.hpp"
#include "retarget/text_references.hpp"

#include <algorithm>
#include <set>

namespace pgarc::detail {

namespace {

using replacement = text_replacement;

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

int count_call_arguments(std::string_view sql, const std::vector<token>& tokens, std::size_t open) {
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

namespace {

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& character : out)
    character = sql_chars::ascii_lower(character);
  return out;
}

/// The body of a CREATE FUNCTION or CREATE PROCEDURE statement written as a
/// string (AS $$...$$, AS '...'), and its language.
struct function_body {
  std::size_t token = 0;
  std::string language;
  bool has_link_symbol = false; ///< AS 'file', 'symbol': C
};

/// Bodies of the CREATE FUNCTION/PROCEDURE statements in `sql`. pg_dump
/// writes LANGUAGE before AS; a user may write them in either order.
std::vector<function_body> find_function_bodies(std::string_view sql, const std::vector<token>& tokens) {
  std::vector<function_body> bodies;
  // Most SQL creates no function: a look for the word first, before the
  // walk below (which must then find CREATE [OR REPLACE] before it).
  const bool names_one = std::any_of(tokens.begin(), tokens.end(), [&sql](const token& current) {
    return current.kind == token_kind::identifier &&
           (sql_chars::equals_ignoring_case(current.text(sql), "function") ||
            sql_chars::equals_ignoring_case(current.text(sql), "procedure"));
  });
  if (!names_one)
    return bodies;
  std::vector<std::size_t> significant;
  for (std::size_t index = 0; index < tokens.size(); ++index)
    if (!is_insignificant(tokens[index].kind))
      significant.push_back(index);
  // Whether the significant token at `position` is the unquoted word `lower`.
  auto word = [&](std::size_t position, std::string_view lower) {
    return position < significant.size() && tokens[significant[position]].kind == token_kind::identifier &&
           sql_chars::equals_ignoring_case(tokens[significant[position]].text(sql), lower);
  };
  auto is_text = [&](std::size_t position, std::string_view text) {
    return position < significant.size() && tokens[significant[position]].text(sql) == text &&
           tokens[significant[position]].kind == token_kind::punctuation;
  };
  for (std::size_t position = 0; position < significant.size(); ++position) {
    if (!word(position, "create"))
      continue;
    std::size_t at = position + 1;
    if (word(at, "or") && word(at + 1, "replace"))
      at += 2;
    if (!word(at, "function") && !word(at, "procedure"))
      continue;
    function_body body;
    std::optional<std::size_t> body_position;
    int depth = 0;
    for (++at; at < significant.size(); ++at) {
      const token& current = tokens[significant[at]];
      if (current.kind == token_kind::punctuation) {
        const std::string_view text = current.text(sql);
        if (text == "(")
          ++depth;
        else if (text == ")")
          --depth;
        else if (text == ";" && depth <= 0)
          break;
        continue;
      }
      if (depth > 0)
        continue;
      if (word(at, "language") && at + 1 < significant.size()) {
        const token& name = tokens[significant[at + 1]];
        if (name.kind == token_kind::identifier || name.kind == token_kind::quoted_identifier)
          body.language = normalize_identifier(name.text(sql)).value_or("");
        else if (name.kind == token_kind::string)
          body.language = lowered(decode_string_literal(name.text(sql), name.kind).value_or(""));
        ++at;
      } else if (word(at, "as") && at + 1 < significant.size() && !body_position) {
        const token_kind kind = tokens[significant[at + 1]].kind;
        if (kind == token_kind::dollar_string || kind == token_kind::string ||
            kind == token_kind::escape_string) {
          body_position = at + 1;
          body.has_link_symbol = is_text(at + 2, ",");
          ++at;
        }
      }
    }
    if (body_position) {
      body.token = significant[*body_position];
      bodies.push_back(std::move(body));
    }
    position = at;
  }
  return bodies;
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end())
    list.push_back(std::move(value));
}

/// Qualified names with the source schema that are moved members, anywhere
/// in `text` taken as SQL (strings inside it not opened).
std::vector<std::string> member_names_in(std::string_view text, const rewrite_settings& settings,
                                         const member_index& index) {
  std::vector<std::string> found;
  const auto tokens = tokenize(text, settings.lexer);
  for (const auto& name : find_qualified_names(text, tokens, settings.lexer))
    if (name.parts.size() >= 2 && name.schema().value == settings.from_schema &&
        index.is_member_name(name.name().value))
      add_unique(found, settings.from_schema + "." + name.name().value);
  return found;
}

/// Names written "schema.name" in text that is not SQL (a plpython or
/// plperl body): a plain scan for the source schema and a dot.
std::vector<std::string> member_names_in_text(std::string_view text, const rewrite_settings& settings,
                                              const member_index& index) {
  std::vector<std::string> found;
  const std::string_view schema = settings.from_schema;
  for (std::size_t at = text.find(schema); at != std::string_view::npos; at = text.find(schema, at + 1)) {
    if ((at > 0 && sql_chars::is_ident_cont(text[at - 1])) || at + schema.size() >= text.size() ||
        text[at + schema.size()] != '.')
      continue;
    std::string name;
    for (std::size_t next = at + schema.size() + 1; next < text.size() && sql_chars::is_ident_cont(text[next]); ++next)
      name.push_back(sql_chars::ascii_lower(text[next]));
    if (index.is_member_name(name))
      add_unique(found, std::string(schema) + "." + name);
  }
  return found;
}

/// The text of a string or dollar-quoted constant, if it decodes.
std::optional<std::string> constant_value(std::string_view token_text, token_kind kind,
                                          const lexer_options& options) {
  if (kind == token_kind::dollar_string)
    return std::string(dollar_quote_body(token_text));
  if (kind == token_kind::string || kind == token_kind::escape_string || kind == token_kind::national_string)
    return decode_string_literal(token_text, kind, options);
  return std::nullopt;
}

/// Rewrites `sql` into `outcome`; `in_body`: the text is a function body,
/// where only names of members are rewritten (no archive evidence: bodies
/// are not covered by pg_dump's dependencies) and strings that are not reg*
/// literals are dynamic SQL, reported and left alone.
std::string rewrite_text(std::string_view sql, const rewrite_settings& settings, const member_index& index,
                         const toc_entry& entry, bool in_body, rewrite_outcome& outcome,
                         body_finding* finding) {
  const std::vector<token> tokens = tokenize(sql, settings.lexer);
  std::vector<replacement> replacements;
  for (const auto& name : find_qualified_names(sql, tokens, settings.lexer)) {
    if (name.parts.size() < 2 || name.schema().is_operator() ||
        name.schema().value != settings.from_schema)
      continue;
    if (in_body && !index.is_member_name(name.name().value))
      continue;
    name_use use;
    use.is_operator = name.name().is_operator();
    if (name.is_followed_by_parenthesis && name.next_token)
      use.call_arity = count_call_arguments(sql, tokens, *name.next_token);
    if (name.previous_token && tokens[*name.previous_token].kind == token_kind::identifier)
      use.is_relation_position = is_relation_keyword(tokens[*name.previous_token].text(sql));
    member_ambiguity ambiguity;
    const auto verdict = index.decide(name.name().value, use, entry, &ambiguity);
    if (!verdict) {
      ++outcome.kept;
      if (!ambiguity.name.empty())
        outcome.ambiguities.push_back(std::move(ambiguity));
      continue;
    }
    ++outcome.rewritten;
    outcome.decisions.emplace_back(name.name().value, *verdict);
    if (finding)
      add_unique(finding->names, settings.from_schema + "." + name.name().value);
    replacements.push_back({name.schema().range, schema_text(name.schema(), settings)});
  }

  std::vector<function_body> bodies;
  if (!in_body)
    bodies = find_function_bodies(sql, tokens);
  for (std::size_t token_index = 0; token_index < tokens.size(); ++token_index) {
    const token& current = tokens[token_index];
    if (current.kind != token_kind::string && current.kind != token_kind::escape_string &&
        current.kind != token_kind::national_string && current.kind != token_kind::dollar_string)
      continue;
    const std::string reg_type = reg_cast_type(sql, tokens, token_index);
    if (!reg_type.empty()) {
      if (auto literal = rewrite_reg_literal(sql, current, reg_type, settings, index, entry)) {
        for (auto& decision : literal->decisions) {
          ++outcome.rewritten;
          if (finding)
            add_unique(finding->names, settings.from_schema + "." + decision.first);
          outcome.decisions.push_back(std::move(decision));
        }
        replacements.push_back({literal->replacement.range, std::move(literal->replacement.text)});
      }
      continue;
    }
    const std::string_view text = current.text(sql);
    if (in_body) {
      // Dynamic SQL (EXECUTE 'select public.x()'): reported, never changed.
      if (auto value = constant_value(text, current.kind, settings.lexer))
        for (auto& named : member_names_in(*value, settings, index))
          if (finding)
            add_unique(finding->left_in_strings, std::move(named));
      continue;
    }
    const auto body = std::find_if(bodies.begin(), bodies.end(),
                                   [&](const function_body& found) { return found.token == token_index; });
    if (body == bodies.end() || current.is_unterminated)
      continue;
    if (body->language == "c" || body->language == "internal" || body->has_link_symbol)
      continue;
    const auto value = constant_value(text, current.kind, settings.lexer);
    if (!value)
      continue;
    body_finding found;
    found.language = body->language;
    if (body->language != "sql" && body->language != "plpgsql") {
      found.left_in_other_language = member_names_in_text(*value, settings, index);
      if (!found.left_in_other_language.empty())
        outcome.bodies.push_back(std::move(found));
      continue;
    }
    if (value->find(settings.from_schema) == std::string::npos)
      continue;
    const std::string rewritten = rewrite_text(*value, settings, index, entry, true, outcome, &found);
    if (rewritten != *value) {
      found.rewritten = true;
      replacements.push_back({current.range, requote_like(text, current.kind, rewritten, settings.lexer)});
    }
    if (found.rewritten || !found.left_in_strings.empty())
      outcome.bodies.push_back(std::move(found));
  }
  return replacements.empty() ? std::string(sql) : apply_replacements(sql, std::move(replacements));
}

} // namespace

rewrite_outcome rewrite_references(std::string_view sql, const rewrite_settings& settings,
                                   const member_index& index, const toc_entry& entry) {
  rewrite_outcome outcome;
  outcome.text = rewrite_text(sql, settings, index, entry, false, outcome, nullptr);
  outcome.changed = outcome.text != sql;
  return outcome;
}

rewrite_outcome rewrite_relation_literals(std::string_view sql, const rewrite_settings& settings,
                                          const member_index& index, const toc_entry& entry) {
  rewrite_outcome outcome;
  const std::vector<token> tokens = tokenize(sql, settings.lexer);
  const std::vector<string_literal> literals = find_string_literals(sql, tokens, settings.lexer);
  std::vector<replacement> replacements;
  auto member = [&](const std::string& relation) {
    return index.decide(relation, name_use{}, entry, nullptr);
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
  outcome.text = outcome.changed ? apply_replacements(sql, std::move(replacements)) : std::string(sql);
  return outcome;
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
