// SPDX-License-Identifier: PostgreSQL
// Dotted names, CREATE EXTENSION ... SCHEMA and string literals over a token
// sequence; see qualified_names.hpp. Everything here skips whitespace and
// comments between tokens, as the grammar does.
#include "sql/qualified_names.hpp"

#include "sql/characters.hpp"
#include "sql/identifiers.hpp"
#include "sql/literals.hpp"

namespace pgarc::detail {

namespace {

class token_walker {
public:
  token_walker(std::string_view sql, std::span<const token> tokens, const lexer_options& options)
      : m_sql(sql), m_tokens(tokens), m_options(options) {}

  /// The first token at or after `index` that is not whitespace or a comment.
  std::optional<std::size_t> significant_from(std::size_t index) const noexcept {
    for (; index < m_tokens.size(); ++index) {
      if (!is_insignificant(m_tokens[index].kind))
        return index;
    }
    return std::nullopt;
  }

  std::optional<std::size_t> next_significant(std::size_t index) const noexcept {
    return significant_from(index + 1);
  }

  std::optional<std::size_t> previous_significant(std::size_t index) const noexcept {
    while (index > 0) {
      --index;
      if (!is_insignificant(m_tokens[index].kind))
        return index;
    }
    return std::nullopt;
  }

  /// An unquoted identifier spelled `word` (lowercase) in any case.
  bool is_word(std::optional<std::size_t> index, std::string_view word) const noexcept {
    if (!index || m_tokens[*index].kind != token_kind::identifier)
      return false;
    const std::string_view text = m_tokens[*index].text(m_sql);
    if (text.size() != word.size())
      return false;
    for (std::size_t offset = 0; offset < text.size(); ++offset) {
      if (sql_chars::ascii_lower(text[offset]) != word[offset])
        return false;
    }
    return true;
  }

  bool is_punctuation(std::optional<std::size_t> index, std::string_view text) const noexcept {
    return index && m_tokens[*index].kind == token_kind::punctuation &&
           m_tokens[*index].text(m_sql) == text;
  }

  /// The identifier (with any UESCAPE clause) starting at `index`, if it is
  /// a complete and valid one.
  std::optional<name_part> identifier_part(std::optional<std::size_t> index) const {
    if (!index)
      return std::nullopt;
    const token& first = m_tokens[*index];
    if ((first.kind != token_kind::identifier && first.kind != token_kind::quoted_identifier &&
         first.kind != token_kind::unicode_identifier) ||
        first.is_unterminated)
      return std::nullopt;
    const unicode_escape_clause clause =
        find_unicode_escape_clause(m_sql, m_tokens, *index, m_options);
    if (!clause.is_valid)
      return std::nullopt;
    std::optional<std::string> value = normalize_identifier(first.text(m_sql), clause.escape);
    if (!value)
      return std::nullopt;
    return name_part{first.kind, std::move(*value),
                     byte_range{first.range.begin, m_tokens[clause.last_token].range.end},
                     *index, clause.last_token};
  }

  name_part operator_part(std::size_t index) const {
    const token& symbol = m_tokens[index];
    return name_part{symbol.kind, std::string(symbol.text(m_sql)), symbol.range, index, index};
  }

  const token& at(std::size_t index) const noexcept { return m_tokens[index]; }
  std::size_t size() const noexcept { return m_tokens.size(); }

private:
  std::string_view m_sql;
  std::span<const token> m_tokens;
  const lexer_options& m_options;
};

qualified_name describe(const token_walker& walker, std::vector<name_part> parts) {
  qualified_name name;
  name.range = {parts.front().range.begin, parts.back().range.end};
  name.previous_token = walker.previous_significant(parts.front().first_token);
  name.next_token = walker.next_significant(parts.back().last_token);
  name.is_cast_target = walker.is_punctuation(name.previous_token, "::");
  name.is_followed_by_parenthesis = walker.is_punctuation(name.next_token, "(");
  name.is_in_operator_construct =
      walker.is_punctuation(name.previous_token, "(") &&
      walker.is_word(walker.previous_significant(*name.previous_token), "operator");
  name.parts = std::move(parts);
  return name;
}

} // namespace

std::vector<qualified_name> find_qualified_names(std::string_view sql,
                                                 std::span<const token> tokens,
                                                 const lexer_options& options) {
  const token_walker walker(sql, tokens, options);
  std::vector<qualified_name> names;
  std::size_t index = 0;
  while (index < walker.size()) {
    // Most identifiers are not followed by a dot: skip them before working
    // out their value (a U&"..." one may have a UESCAPE clause first).
    const token_kind kind = walker.at(index).kind;
    if (kind == token_kind::identifier || kind == token_kind::quoted_identifier) {
      if (!walker.is_punctuation(walker.next_significant(index), ".")) {
        ++index;
        continue;
      }
    }
    std::optional<name_part> first = walker.identifier_part(index);
    if (!first) {
      ++index;
      continue;
    }
    std::vector<name_part> parts;
    parts.push_back(std::move(*first));
    for (;;) {
      const std::optional<std::size_t> dot = walker.next_significant(parts.back().last_token);
      if (!walker.is_punctuation(dot, "."))
        break;
      const std::optional<std::size_t> following = walker.next_significant(*dot);
      if (std::optional<name_part> part = walker.identifier_part(following)) {
        parts.push_back(std::move(*part));
        continue;
      }
      // any_operator in gram.y: ColId '.' any_operator ends in an operator.
      if (following && walker.at(*following).kind == token_kind::operator_symbol)
        parts.push_back(walker.operator_part(*following));
      break;
    }
    index = parts.back().last_token + 1;
    if (parts.size() >= 2)
      names.push_back(describe(walker, std::move(parts)));
  }
  return names;
}

std::vector<extension_schema_clause> find_extension_schema_clauses(
    std::string_view sql, std::span<const token> tokens, const lexer_options& options) {
  const token_walker walker(sql, tokens, options);
  std::vector<extension_schema_clause> clauses;
  std::optional<std::size_t> previous;
  for (std::optional<std::size_t> current = walker.significant_from(0);
       current; previous = current, current = walker.next_significant(*current)) {
    const bool starts_statement = !previous || walker.is_punctuation(previous, ";");
    if (!starts_statement || !walker.is_word(current, "create"))
      continue;
    std::optional<std::size_t> cursor = walker.next_significant(*current);
    if (!walker.is_word(cursor, "extension"))
      continue;
    cursor = walker.next_significant(*cursor);
    if (walker.is_word(cursor, "if")) {
      const std::optional<std::size_t> word_not = walker.next_significant(*cursor);
      const std::optional<std::size_t> word_exists =
          word_not ? walker.next_significant(*word_not) : std::nullopt;
      if (!walker.is_word(word_not, "not") || !walker.is_word(word_exists, "exists"))
        continue;
      cursor = walker.next_significant(*word_exists);
    }
    const std::optional<name_part> extension = walker.identifier_part(cursor);
    if (!extension)
      continue;

    bool has_with = false;
    cursor = walker.next_significant(extension->last_token);
    while (cursor && !walker.is_punctuation(cursor, ";")) {
      if (walker.is_word(cursor, "with")) {
        has_with = true;
        cursor = walker.next_significant(*cursor);
      } else if (walker.is_word(cursor, "schema")) {
        if (const std::optional<name_part> schema =
                walker.identifier_part(walker.next_significant(*cursor))) {
          clauses.push_back({extension->value, extension->range, schema->value, schema->range,
                             schema->first_token, has_with});
        }
        break;
      } else if (walker.is_word(cursor, "version") || walker.is_word(cursor, "from")) {
        const std::optional<std::size_t> argument = walker.next_significant(*cursor);
        cursor = argument ? walker.next_significant(*argument) : std::nullopt;
      } else if (walker.is_word(cursor, "cascade")) {
        cursor = walker.next_significant(*cursor);
      } else {
        break;
      }
    }
  }
  return clauses;
}

std::vector<string_literal> find_string_literals(std::string_view sql,
                                                 std::span<const token> tokens,
                                                 const lexer_options& options) {
  std::vector<string_literal> literals;
  std::size_t index = 0;
  while (index < tokens.size()) {
    const token& current = tokens[index];
    switch (current.kind) {
    case token_kind::string:
    case token_kind::escape_string:
    case token_kind::national_string:
      literals.push_back({current.kind, current.range, index, index,
                          decode_string_literal(current.text(sql), current.kind, options)});
      ++index;
      break;
    case token_kind::unicode_string:
    case token_kind::unicode_identifier: {
      // Either way, a UESCAPE clause's string is not a literal of its own.
      const unicode_escape_clause clause = find_unicode_escape_clause(sql, tokens, index, options);
      if (current.kind == token_kind::unicode_string) {
        std::optional<std::string> value;
        if (clause.is_valid)
          value = decode_string_literal(current.text(sql), current.kind, options, clause.escape);
        literals.push_back({current.kind,
                            byte_range{current.range.begin, tokens[clause.last_token].range.end},
                            index, clause.last_token, std::move(value)});
      }
      index = clause.last_token + 1;
      break;
    }
    default:
      ++index;
      break;
    }
  }
  return literals;
}

} // namespace pgarc::detail
