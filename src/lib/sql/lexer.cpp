// SPDX-License-Identifier: PostgreSQL
// The PostgreSQL lexer; see lexer.hpp. Each scan_* function mirrors a group
// of rules in scan.l and returns where its token ends. Where scan.l raises an
// error on malformed text (a "trailing junk" number, an unterminated quote)
// we still return tokens that tile the input, so callers can copy them.
#include "sql/lexer.hpp"

#include "sql/characters.hpp"

#include <cassert>

namespace pgarc::detail {

using namespace sql_chars;

namespace {

/// The byte at `index`, or NUL past the end. NUL never matches a class that
/// a lookahead tests for, so a NUL inside the text cannot be misread.
char byte_at(std::string_view sql, std::size_t index) noexcept {
  return index < sql.size() ? sql[index] : '\0';
}

bool is_base_digit(char byte, char base_letter) noexcept {
  switch (base_letter) {
  case 'x': case 'X':
    return is_hex_digit(byte);
  case 'o': case 'O':
    return byte >= '0' && byte <= '7';
  default:
    return byte == '0' || byte == '1';
  }
}

/// {decinteger} starting at a digit: digits, each optionally preceded by one
/// underscore (PostgreSQL 16). Returns the end.
std::size_t skip_decimal_integer(std::string_view sql, std::size_t position) noexcept {
  assert(is_digit(byte_at(sql, position)));
  ++position;
  for (;;) {
    if (is_digit(byte_at(sql, position)))
      ++position;
    else if (byte_at(sql, position) == '_' && is_digit(byte_at(sql, position + 1)))
      position += 2;
    else
      return position;
  }
}

/// Characters whose presence lets a multi-character operator end in + or -.
bool allows_trailing_sign(char byte) noexcept {
  switch (byte) {
  case '~': case '!': case '@': case '#': case '^': case '&': case '|': case '`': case '?':
  case '%':
    return true;
  default:
    return false;
  }
}

} // namespace

sql_lexer::sql_lexer(std::string_view sql, lexer_options options) noexcept
    : m_sql(sql), m_options(options) {}

std::optional<token> sql_lexer::next() noexcept {
  if (m_position >= m_sql.size())
    return std::nullopt;
  const scan_result scanned = scan_token(m_position);
  assert(scanned.end > m_position && scanned.end <= m_sql.size());
  token result{scanned.kind, {m_position, scanned.end}, scanned.is_unterminated};
  m_position = scanned.end;
  return result;
}

sql_lexer::scan_result sql_lexer::scan_token(std::size_t begin) const noexcept {
  const char first = m_sql[begin];
  const char second = byte_at(m_sql, begin + 1);
  const bool backslash_in_plain_strings = !m_options.standard_conforming_strings;

  if (is_space(first)) {
    std::size_t end = begin + 1;
    while (end < m_sql.size() && is_space(m_sql[end]))
      ++end;
    return {token_kind::whitespace, end};
  }
  // Comment starts come before operators: "--" and "/*" are operator
  // characters too (see the xcstart note in scan.l).
  if (first == '-' && second == '-') {
    std::size_t end = begin + 2;
    while (end < m_sql.size() && !is_newline(m_sql[end]))
      ++end;
    return {token_kind::line_comment, end};
  }
  if (first == '/' && second == '*')
    return scan_block_comment(begin);

  switch (first) {
  case 'b': case 'B':
    if (second == '\'')
      return scan_quoted(token_kind::bit_string, begin + 2, false, false);
    break;
  case 'x': case 'X':
    if (second == '\'')
      return scan_quoted(token_kind::hex_string, begin + 2, false, false);
    break;
  case 'n': case 'N':
    if (second == '\'')
      return scan_quoted(token_kind::national_string, begin + 2, backslash_in_plain_strings, true);
    break;
  case 'e': case 'E':
    if (second == '\'')
      return scan_quoted(token_kind::escape_string, begin + 2, true, true);
    break;
  case 'u': case 'U':
    // U& not followed by a quote is the identifier "u" and then "&" ({xufailed}).
    if (second == '&' && byte_at(m_sql, begin + 2) == '\'')
      return scan_quoted(token_kind::unicode_string, begin + 3, false, true);
    if (second == '&' && byte_at(m_sql, begin + 2) == '"')
      return scan_delimited_identifier(token_kind::unicode_identifier, begin + 3);
    break;
  case '\'':
    return scan_quoted(token_kind::string, begin + 1, backslash_in_plain_strings, true);
  case '"':
    return scan_delimited_identifier(token_kind::quoted_identifier, begin + 1);
  case '$':
    return scan_dollar(begin);
  case '.':
    if (second == '.')
      return {token_kind::punctuation, begin + 2};
    if (is_digit(second))
      return scan_number(begin);
    return {token_kind::punctuation, begin + 1};
  case ':':
    if (second == ':' || second == '=')
      return {token_kind::punctuation, begin + 2};
    return {token_kind::punctuation, begin + 1};
  case '(': case ')': case '[': case ']': case ',': case ';':
    return {token_kind::punctuation, begin + 1};
  default:
    break;
  }

  if (is_ident_start(first)) {
    std::size_t end = begin + 1;
    while (end < m_sql.size() && is_ident_cont(m_sql[end]))
      ++end;
    return {token_kind::identifier, end};
  }
  if (is_digit(first))
    return scan_number(begin);
  if (is_operator_char(first))
    return scan_operator(begin);
  return {token_kind::other, begin + 1};
}

/// The states xq, xe, xus, xb and xh, plus xqs for continuations.
/// `body` is just after the opening quote.
sql_lexer::scan_result sql_lexer::scan_quoted(token_kind kind, std::size_t body,
                                              bool backslash_escapes,
                                              bool doubled_quotes) const noexcept {
  std::size_t position = body;
  while (position < m_sql.size()) {
    const char byte = m_sql[position];
    if (backslash_escapes && byte == '\\') {
      // Every escape ({xeescape}, {xeoctesc}, {xehexesc}, {xeunicode}) takes
      // the byte after the backslash, and none of the longer ones can
      // contain a quote, so skipping two bytes finds the same end.
      if (position + 1 >= m_sql.size())
        break;
      position += 2;
      continue;
    }
    if (byte != '\'') {
      ++position;
      continue;
    }
    if (doubled_quotes && byte_at(m_sql, position + 1) == '\'') {
      position += 2;
      continue;
    }
    const std::size_t continued = find_quote_continuation(m_sql, position + 1);
    if (continued == 0)
      return {kind, position + 1};
    position = continued;
  }
  return {kind, m_sql.size(), true};
}

/// The states xd and xui. `body` is just after the opening double quote.
sql_lexer::scan_result sql_lexer::scan_delimited_identifier(token_kind kind,
                                                            std::size_t body) const noexcept {
  std::size_t position = body;
  while (position < m_sql.size()) {
    if (m_sql[position] != '"') {
      ++position;
    } else if (byte_at(m_sql, position + 1) == '"') {
      position += 2;
    } else {
      return {kind, position + 1};
    }
  }
  return {kind, m_sql.size(), true};
}

/// The state xc. Reading byte by byte, "/*" opens and "*/" closes, which is
/// what scan.l's {xcstart} (with its yyless(2)) and {xcstop} amount to.
sql_lexer::scan_result sql_lexer::scan_block_comment(std::size_t begin) const noexcept {
  std::size_t depth = 0;
  std::size_t position = begin + 2;
  while (position < m_sql.size()) {
    const char byte = m_sql[position];
    const char following = byte_at(m_sql, position + 1);
    if (byte == '/' && following == '*') {
      ++depth;
      position += 2;
    } else if (byte == '*' && following == '/') {
      if (depth == 0)
        return {token_kind::block_comment, position + 2};
      --depth;
      position += 2;
    } else {
      ++position;
    }
  }
  return {token_kind::block_comment, m_sql.size(), true};
}

/// {param}, {dolqdelim} and the state xdolq, or {dolqfailed}: a "$tag"
/// without its closing "$" is a lone "$" and the tag is read again.
sql_lexer::scan_result sql_lexer::scan_dollar(std::size_t begin) const noexcept {
  const char second = byte_at(m_sql, begin + 1);
  if (is_digit(second)) {
    std::size_t end = begin + 2;
    while (end < m_sql.size() && is_digit(m_sql[end]))
      ++end;
    return {token_kind::parameter, end};
  }
  std::size_t tag_end = begin + 1;
  if (is_ident_start(second)) {
    ++tag_end;
    while (tag_end < m_sql.size() && is_dollar_tag_cont(m_sql[tag_end]))
      ++tag_end;
  }
  if (byte_at(m_sql, tag_end) != '$')
    return {token_kind::other, begin + 1};
  // The body ends at the first copy of the opening delimiter. scan.l reads
  // the body a "$" at a time and puts back the last "$" of any other
  // $...$ it meets, which finds the same first occurrence.
  const std::string_view delimiter = m_sql.substr(begin, tag_end + 1 - begin);
  const std::size_t closing = m_sql.find(delimiter, tag_end + 1);
  if (closing == std::string_view::npos)
    return {token_kind::dollar_string, m_sql.size(), true};
  return {token_kind::dollar_string, closing + delimiter.size()};
}

/// {decinteger}, {hexinteger}, {octinteger}, {bininteger}, {numeric} and
/// {real}. Text that scan.l rejects as junk ("0x", "1e", "123abc") is read as
/// the longest valid number followed by whatever comes next, which is how
/// servers before PostgreSQL 15 split it.
sql_lexer::scan_result sql_lexer::scan_number(std::size_t begin) const noexcept {
  std::size_t position = begin;
  const char base_letter = byte_at(m_sql, begin + 1);
  if (m_sql[begin] == '0' && (base_letter == 'x' || base_letter == 'X' || base_letter == 'o' ||
                              base_letter == 'O' || base_letter == 'b' || base_letter == 'B')) {
    std::size_t digits = begin + 2;
    if (byte_at(m_sql, digits) == '_')
      ++digits;
    if (is_base_digit(byte_at(m_sql, digits), base_letter)) {
      position = digits + 1;
      for (;;) {
        if (is_base_digit(byte_at(m_sql, position), base_letter))
          ++position;
        else if (byte_at(m_sql, position) == '_' &&
                 is_base_digit(byte_at(m_sql, position + 1), base_letter))
          position += 2;
        else
          return {token_kind::number, position};
      }
    }
  }

  if (is_digit(m_sql[begin])) {
    position = skip_decimal_integer(m_sql, begin);
    if (byte_at(m_sql, position) == '.') {
      // {numericfail}: "1..10" is 1, "..", 10.
      if (byte_at(m_sql, position + 1) == '.')
        return {token_kind::number, position};
      ++position;
      if (is_digit(byte_at(m_sql, position)))
        position = skip_decimal_integer(m_sql, position);
    }
  } else {
    position = skip_decimal_integer(m_sql, begin + 1); // ".5"
  }

  const char exponent = byte_at(m_sql, position);
  if (exponent == 'e' || exponent == 'E') {
    std::size_t digits = position + 1;
    if (byte_at(m_sql, digits) == '+' || byte_at(m_sql, digits) == '-')
      ++digits;
    if (is_digit(byte_at(m_sql, digits)))
      position = skip_decimal_integer(m_sql, digits);
  }
  return {token_kind::number, position};
}

/// {operator}: the longest run of operator characters, cut before an
/// embedded comment start, then stripped of trailing + and - unless the
/// operator contains a character that no SQL-standard operator uses.
sql_lexer::scan_result sql_lexer::scan_operator(std::size_t begin) const noexcept {
  std::size_t run_end = begin + 1;
  while (run_end < m_sql.size() && is_operator_char(m_sql[run_end]))
    ++run_end;

  std::size_t length = run_end - begin;
  // A comment cannot start at `begin` itself: scan_token handled that.
  for (std::size_t position = begin + 1; position + 1 < run_end; ++position) {
    const char byte = m_sql[position];
    const char following = m_sql[position + 1];
    if ((byte == '/' && following == '*') || (byte == '-' && following == '-')) {
      length = position - begin;
      break;
    }
  }

  const auto is_sign = [&](std::size_t count) {
    const char last = m_sql[begin + count - 1];
    return last == '+' || last == '-';
  };
  if (length > 1 && is_sign(length)) {
    bool keeps_sign = false;
    for (std::size_t offset = 0; offset + 1 < length; ++offset)
      keeps_sign = keeps_sign || allows_trailing_sign(m_sql[begin + offset]);
    if (!keeps_sign) {
      do {
        --length;
      } while (length > 1 && is_sign(length));
    }
  }
  return {token_kind::operator_symbol, begin + length};
}

std::vector<token> tokenize(std::string_view sql, const lexer_options& options) {
  std::vector<token> tokens;
  sql_lexer lexer(sql, options);
  while (const std::optional<token> next = lexer.next())
    tokens.push_back(*next);
  return tokens;
}

bool is_insignificant(token_kind kind) noexcept {
  return kind == token_kind::whitespace || kind == token_kind::line_comment ||
         kind == token_kind::block_comment;
}

std::string_view token_kind_name(token_kind kind) noexcept {
  switch (kind) {
  case token_kind::whitespace: return "whitespace";
  case token_kind::line_comment: return "line_comment";
  case token_kind::block_comment: return "block_comment";
  case token_kind::identifier: return "identifier";
  case token_kind::quoted_identifier: return "quoted_identifier";
  case token_kind::unicode_identifier: return "unicode_identifier";
  case token_kind::string: return "string";
  case token_kind::escape_string: return "escape_string";
  case token_kind::national_string: return "national_string";
  case token_kind::unicode_string: return "unicode_string";
  case token_kind::bit_string: return "bit_string";
  case token_kind::hex_string: return "hex_string";
  case token_kind::dollar_string: return "dollar_string";
  case token_kind::parameter: return "parameter";
  case token_kind::number: return "number";
  case token_kind::operator_symbol: return "operator_symbol";
  case token_kind::punctuation: return "punctuation";
  case token_kind::other: return "other";
  }
  return "unknown";
}

std::string_view dollar_quote_tag(std::string_view token_text) noexcept {
  if (token_text.empty() || token_text.front() != '$')
    return {};
  const std::size_t closing = token_text.find('$', 1);
  if (closing == std::string_view::npos)
    return {};
  return token_text.substr(1, closing - 1);
}

std::string_view dollar_quote_body(std::string_view token_text) noexcept {
  const std::size_t delimiter_length = dollar_quote_tag(token_text).size() + 2;
  if (token_text.size() < delimiter_length)
    return {};
  const std::string_view delimiter = token_text.substr(0, delimiter_length);
  // A closed token ends with its delimiter and is long enough to hold two
  // copies of it; anything else ran to the end of the text.
  if (token_text.size() >= 2 * delimiter_length && token_text.ends_with(delimiter))
    return token_text.substr(delimiter_length, token_text.size() - 2 * delimiter_length);
  return token_text.substr(delimiter_length);
}

std::size_t find_quote_continuation(std::string_view sql, std::size_t position) noexcept {
  const auto skip_line_comment = [&](std::size_t start) {
    std::size_t end = start + 2;
    while (end < sql.size() && !is_newline(sql[end]))
      ++end;
    return end;
  };
  const auto is_comment_start = [&](std::size_t at) {
    return byte_at(sql, at) == '-' && byte_at(sql, at + 1) == '-';
  };

  // {non_newline_whitespace}* {newline}
  while (position < sql.size()) {
    if (is_non_newline_space(sql[position]))
      ++position;
    else if (is_comment_start(position))
      position = skip_line_comment(position);
    else
      break;
  }
  if (position >= sql.size() || !is_newline(sql[position]))
    return 0;
  ++position;
  // {special_whitespace}*: spaces, or a comment that ends in a newline
  while (position < sql.size()) {
    if (is_space(sql[position])) {
      ++position;
    } else if (is_comment_start(position)) {
      const std::size_t comment_end = skip_line_comment(position);
      if (comment_end >= sql.size())
        return 0;
      position = comment_end + 1;
    } else {
      break;
    }
  }
  if (position < sql.size() && sql[position] == '\'')
    return position + 1;
  return 0;
}

} // namespace pgarc::detail
