// SPDX-License-Identifier: PostgreSQL
// Identifier values and quoting; see identifiers.hpp.
#include "sql/identifiers.hpp"

#include "sql/characters.hpp"
#include "sql/keywords.hpp"
#include "sql/literals.hpp"

namespace pgarc::detail {

using namespace sql_chars;

namespace {

/// The body of a double-quoted identifier whose text continues at `body`
/// (just after the opening quote), with "" read as ". Nothing unless the
/// closing quote is the last byte of `text`.
std::optional<std::string> read_delimited(std::string_view text, std::size_t body) {
  std::string value;
  std::size_t position = body;
  while (position < text.size()) {
    if (text[position] != '"') {
      value.push_back(text[position++]);
    } else if (position + 1 < text.size() && text[position + 1] == '"') {
      value.push_back('"');
      position += 2;
    } else if (position + 1 == text.size()) {
      return value;
    } else {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> normalize_identifier(std::string_view token_text, char unicode_escape) {
  if (token_text.empty())
    return std::nullopt;
  if (token_text.front() == '"') {
    std::optional<std::string> value = read_delimited(token_text, 1);
    if (!value || value->empty())
      return std::nullopt;
    return value;
  }
  if (token_text.size() >= 3 && (token_text[0] == 'u' || token_text[0] == 'U') &&
      token_text[1] == '&' && token_text[2] == '"') {
    const std::optional<std::string> escaped = read_delimited(token_text, 3);
    if (!escaped || escaped->empty())
      return std::nullopt;
    return decode_unicode_escapes(*escaped, unicode_escape);
  }

  if (!is_ident_start(token_text.front()))
    return std::nullopt;
  std::string value;
  value.reserve(token_text.size());
  for (const char byte : token_text) {
    if (!is_ident_cont(byte))
      return std::nullopt;
    value.push_back(ascii_lower(byte));
  }
  return value;
}

std::string quote_identifier(std::string_view name, bool force) {
  bool is_bare = !force && !name.empty() && ((name.front() >= 'a' && name.front() <= 'z') ||
                                             name.front() == '_');
  for (std::size_t index = 0; is_bare && index < name.size(); ++index) {
    const char byte = name[index];
    is_bare = (byte >= 'a' && byte <= 'z') || is_digit(byte) || byte == '_';
  }
  if (is_bare) {
    const std::optional<keyword_category> category = find_keyword(name);
    is_bare = !category || *category == keyword_category::unreserved;
  }
  if (is_bare)
    return std::string(name);

  std::string quoted;
  quoted.reserve(name.size() + 2);
  quoted.push_back('"');
  for (const char byte : name) {
    if (byte == '"')
      quoted.push_back('"');
    quoted.push_back(byte);
  }
  quoted.push_back('"');
  return quoted;
}

} // namespace pgarc::detail
