// SPDX-License-Identifier: PostgreSQL
// String constant values; see literals.hpp. The escape rules are those of the
// xe state in scan.l and of str_udeescape in parser.c.
#include "sql/literals.hpp"

#include "sql/characters.hpp"

#include <cstdint>

namespace pgarc::detail {

using namespace sql_chars;

namespace {

constexpr bool is_surrogate_first(std::uint32_t code) noexcept {
  return code >= 0xd800 && code <= 0xdbff;
}
constexpr bool is_surrogate_second(std::uint32_t code) noexcept {
  return code >= 0xdc00 && code <= 0xdfff;
}
constexpr bool is_valid_code_point(std::uint32_t code) noexcept {
  return code > 0 && code <= 0x10ffff;
}
constexpr std::uint32_t combine_surrogates(std::uint32_t first, std::uint32_t second) noexcept {
  return ((first & 0x3ff) << 10) + 0x10000 + (second & 0x3ff);
}

void append_utf8(std::string& out, std::uint32_t code) {
  const auto put = [&](std::uint32_t byte) { out.push_back(static_cast<char>(byte)); };
  if (code < 0x80) {
    put(code);
  } else if (code < 0x800) {
    put(0xc0 | (code >> 6));
    put(0x80 | (code & 0x3f));
  } else if (code < 0x10000) {
    put(0xe0 | (code >> 12));
    put(0x80 | ((code >> 6) & 0x3f));
    put(0x80 | (code & 0x3f));
  } else {
    put(0xf0 | (code >> 18));
    put(0x80 | ((code >> 12) & 0x3f));
    put(0x80 | ((code >> 6) & 0x3f));
    put(0x80 | (code & 0x3f));
  }
}

/// `count` hex digits at `position`, if they are all there.
std::optional<std::uint32_t> read_hex(std::string_view text, std::size_t position,
                                      std::size_t count) noexcept {
  if (position > text.size() || text.size() - position < count)
    return std::nullopt;
  std::uint32_t value = 0;
  for (std::size_t offset = 0; offset < count; ++offset) {
    const char digit = text[position + offset];
    if (!is_hex_digit(digit))
      return std::nullopt;
    value = (value << 4) | hex_value(digit);
  }
  return value;
}

/// Reads \uXXXX or \UXXXXXXXX at `position` (on the backslash); advances
/// `position` past it. Nothing if it is not one ({xeunicodefail}).
std::optional<std::uint32_t> read_backslash_unicode(std::string_view text,
                                                    std::size_t& position) noexcept {
  if (text.size() - position < 2 || text[position] != '\\')
    return std::nullopt;
  const std::size_t digits = text[position + 1] == 'u' ? 4 : text[position + 1] == 'U' ? 8 : 0;
  if (digits == 0)
    return std::nullopt;
  const std::optional<std::uint32_t> code = read_hex(text, position + 2, digits);
  if (code)
    position += 2 + digits;
  return code;
}

/// One backslash escape of an E'' string at `position` (on the backslash,
/// which is not the last byte); appends its value and advances past it.
/// False for an escape the server rejects.
bool decode_backslash_escape(std::string_view text, std::size_t& position, std::string& out) {
  const char escaped = text[position + 1];
  switch (escaped) {
  case 'b': out.push_back('\b'); position += 2; return true;
  case 'f': out.push_back('\f'); position += 2; return true;
  case 'n': out.push_back('\n'); position += 2; return true;
  case 'r': out.push_back('\r'); position += 2; return true;
  case 't': out.push_back('\t'); position += 2; return true;
  case 'v': out.push_back('\v'); position += 2; return true;
  default: break;
  }
  if (escaped >= '0' && escaped <= '7') {
    // {xeoctesc}: up to three digits; the value is cut to a byte, as the
    // scanner's cast to unsigned char does ("\777" is 0xFF).
    unsigned value = 0;
    std::size_t next = position + 1;
    while (next < text.size() && next < position + 4 && text[next] >= '0' && text[next] <= '7')
      value = value * 8 + static_cast<unsigned>(text[next++] - '0');
    position = next;
    if ((value & 0xff) == 0)
      return false;
    out.push_back(static_cast<char>(value & 0xff));
    return true;
  }
  if (escaped == 'x' && position + 2 < text.size() && is_hex_digit(text[position + 2])) {
    // {xehexesc}: one or two hex digits
    unsigned value = hex_value(text[position + 2]);
    std::size_t next = position + 3;
    if (next < text.size() && is_hex_digit(text[next]))
      value = value * 16 + hex_value(text[next++]);
    position = next;
    if (value == 0)
      return false;
    out.push_back(static_cast<char>(value));
    return true;
  }
  if (escaped == 'u' || escaped == 'U') {
    const std::optional<std::uint32_t> code = read_backslash_unicode(text, position);
    if (!code || is_surrogate_second(*code))
      return false;
    std::uint32_t value = *code;
    if (is_surrogate_first(value)) {
      // The xeu state: the low surrogate must follow at once.
      const std::optional<std::uint32_t> second = read_backslash_unicode(text, position);
      if (!second || !is_surrogate_second(*second))
        return false;
      value = combine_surrogates(value, *second);
    }
    if (!is_valid_code_point(value))
      return false;
    append_utf8(out, value);
    return true;
  }
  // {xeescape}: any other byte stands for itself (\' \\ \" and so on).
  out.push_back(escaped);
  position += 2;
  return true;
}

} // namespace

std::optional<std::string> decode_string_literal(std::string_view token_text, token_kind kind,
                                                 const lexer_options& options,
                                                 char unicode_escape) {
  std::size_t prefix = 0;
  bool backslash_escapes = false;
  bool doubled_quotes = true;
  switch (kind) {
  case token_kind::string:
    backslash_escapes = !options.standard_conforming_strings;
    break;
  case token_kind::national_string:
    prefix = 1;
    backslash_escapes = !options.standard_conforming_strings;
    break;
  case token_kind::escape_string:
    prefix = 1;
    backslash_escapes = true;
    break;
  case token_kind::unicode_string:
    prefix = 2;
    break;
  case token_kind::bit_string:
  case token_kind::hex_string:
    prefix = 1;
    doubled_quotes = false;
    break;
  case token_kind::dollar_string: {
    const std::size_t delimiter_length = dollar_quote_tag(token_text).size() + 2;
    if (token_text.size() < 2 * delimiter_length ||
        !token_text.ends_with(token_text.substr(0, delimiter_length)))
      return std::nullopt;
    return std::string(dollar_quote_body(token_text));
  }
  default:
    return std::nullopt;
  }
  if (token_text.size() <= prefix || token_text[prefix] != '\'')
    return std::nullopt;

  std::string value;
  std::size_t position = prefix + 1;
  for (;;) {
    if (position >= token_text.size())
      return std::nullopt; // no closing quote
    const char byte = token_text[position];
    if (backslash_escapes && byte == '\\') {
      if (position + 1 >= token_text.size() ||
          !decode_backslash_escape(token_text, position, value))
        return std::nullopt;
      continue;
    }
    if (byte != '\'') {
      value.push_back(byte);
      ++position;
      continue;
    }
    if (doubled_quotes && position + 1 < token_text.size() && token_text[position + 1] == '\'') {
      value.push_back('\'');
      position += 2;
      continue;
    }
    const std::size_t continued = find_quote_continuation(token_text, position + 1);
    if (continued != 0) {
      position = continued;
      continue;
    }
    if (position + 1 != token_text.size())
      return std::nullopt; // text goes on past the closing quote
    break;
  }
  if (kind == token_kind::unicode_string)
    return decode_unicode_escapes(value, unicode_escape);
  return value;
}

std::optional<std::string> decode_unicode_escapes(std::string_view text, char escape) {
  std::string out;
  std::uint32_t pending_first = 0; // first half of a surrogate pair
  std::size_t position = 0;
  while (position < text.size()) {
    if (text[position] != escape) {
      if (pending_first != 0)
        return std::nullopt;
      out.push_back(text[position++]);
      continue;
    }
    std::optional<std::uint32_t> code;
    if (position + 1 < text.size() && text[position + 1] == escape) {
      if (pending_first != 0)
        return std::nullopt;
      out.push_back(escape);
      position += 2;
      continue;
    }
    if ((code = read_hex(text, position + 1, 4))) {
      position += 5;
    } else if (position + 1 < text.size() && text[position + 1] == '+' &&
               (code = read_hex(text, position + 2, 6))) {
      position += 8;
    } else {
      return std::nullopt;
    }
    if (!is_valid_code_point(*code))
      return std::nullopt;
    if (pending_first != 0) {
      if (!is_surrogate_second(*code))
        return std::nullopt;
      append_utf8(out, combine_surrogates(pending_first, *code));
      pending_first = 0;
    } else if (is_surrogate_second(*code)) {
      return std::nullopt;
    } else if (is_surrogate_first(*code)) {
      pending_first = *code;
    } else {
      append_utf8(out, *code);
    }
  }
  if (pending_first != 0)
    return std::nullopt;
  return out;
}

bool is_valid_unicode_escape_char(char escape) noexcept {
  return !(is_hex_digit(escape) || escape == '+' || escape == '\'' || escape == '"' ||
           is_space(escape));
}

unicode_escape_clause find_unicode_escape_clause(std::string_view sql,
                                                 std::span<const token> tokens,
                                                 std::size_t token_index,
                                                 const lexer_options& options) {
  unicode_escape_clause clause;
  clause.last_token = token_index;
  if (token_index >= tokens.size())
    return clause;
  const token_kind kind = tokens[token_index].kind;
  if (kind != token_kind::unicode_identifier && kind != token_kind::unicode_string)
    return clause;

  const auto next_significant = [&](std::size_t index) -> std::optional<std::size_t> {
    for (++index; index < tokens.size(); ++index) {
      if (!is_insignificant(tokens[index].kind))
        return index;
    }
    return std::nullopt;
  };
  const std::optional<std::size_t> keyword = next_significant(token_index);
  if (!keyword || tokens[*keyword].kind != token_kind::identifier)
    return clause;
  const std::string_view word = tokens[*keyword].text(sql);
  constexpr std::string_view uescape = "uescape";
  if (word.size() != uescape.size())
    return clause;
  for (std::size_t offset = 0; offset < word.size(); ++offset) {
    if (ascii_lower(word[offset]) != uescape[offset])
      return clause;
  }

  // parser.c's base_yylex wants SCONST here: a plain, E'' or dollar string.
  clause.is_valid = false;
  clause.last_token = *keyword;
  const std::optional<std::size_t> argument = next_significant(*keyword);
  if (!argument)
    return clause;
  const token& string_token = tokens[*argument];
  if (string_token.kind != token_kind::string && string_token.kind != token_kind::escape_string &&
      string_token.kind != token_kind::dollar_string)
    return clause;
  clause.last_token = *argument;
  const std::optional<std::string> value =
      decode_string_literal(string_token.text(sql), string_token.kind, options);
  if (value && value->size() == 1 && is_valid_unicode_escape_char(value->front())) {
    clause.escape = value->front();
    clause.is_valid = true;
  }
  return clause;
}

std::string quote_string_literal(std::string_view value, bool standard_conforming_strings) {
  std::string quoted;
  quoted.reserve(value.size() + 2);
  quoted.push_back('\'');
  for (const char byte : value) {
    if (byte == '\'' || (byte == '\\' && !standard_conforming_strings))
      quoted.push_back(byte);
    quoted.push_back(byte);
  }
  quoted.push_back('\'');
  return quoted;
}

} // namespace pgarc::detail
