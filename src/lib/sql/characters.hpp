// SPDX-License-Identifier: PostgreSQL
// Byte classes of PostgreSQL's scanner (the definitions at the top of
// scan.l), shared by the lexer and the value decoders in src/lib/sql.
#pragma once

#include <cstddef>
#include <string_view>

namespace pgarc::detail::sql_chars {

inline constexpr bool is_newline(char byte) noexcept { return byte == '\n' || byte == '\r'; }

/// {space}: PostgreSQL 16 added \v; older servers treat it as a stray byte.
inline constexpr bool is_space(char byte) noexcept {
  return byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r' || byte == '\f' ||
         byte == '\v';
}

inline constexpr bool is_non_newline_space(char byte) noexcept {
  return byte == ' ' || byte == '\t' || byte == '\f' || byte == '\v';
}

inline constexpr bool is_high_bit(char byte) noexcept {
  return static_cast<unsigned char>(byte) >= 0x80;
}

inline constexpr bool is_ascii_letter(char byte) noexcept {
  return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z');
}

inline constexpr bool is_digit(char byte) noexcept { return byte >= '0' && byte <= '9'; }

inline constexpr bool is_hex_digit(char byte) noexcept {
  return is_digit(byte) || (byte >= 'a' && byte <= 'f') || (byte >= 'A' && byte <= 'F');
}

inline constexpr unsigned hex_value(char byte) noexcept {
  if (is_digit(byte))
    return static_cast<unsigned>(byte - '0');
  if (byte >= 'a' && byte <= 'f')
    return static_cast<unsigned>(byte - 'a' + 10);
  return static_cast<unsigned>(byte - 'A' + 10);
}

/// {ident_start}, which is also {dolq_start}.
inline constexpr bool is_ident_start(char byte) noexcept {
  return is_ascii_letter(byte) || byte == '_' || is_high_bit(byte);
}

/// {ident_cont}: identifiers may contain $, dollar-quote tags may not.
inline constexpr bool is_ident_cont(char byte) noexcept {
  return is_ident_start(byte) || is_digit(byte) || byte == '$';
}

/// {dolq_cont}
inline constexpr bool is_dollar_tag_cont(char byte) noexcept {
  return is_ident_start(byte) || is_digit(byte);
}

/// {op_chars}
inline constexpr bool is_operator_char(char byte) noexcept {
  switch (byte) {
  case '~': case '!': case '@': case '#': case '^': case '&': case '|': case '`': case '?':
  case '+': case '-': case '*': case '/': case '%': case '<': case '>': case '=':
    return true;
  default:
    return false;
  }
}

inline constexpr char ascii_lower(char byte) noexcept {
  return (byte >= 'A' && byte <= 'Z') ? static_cast<char>(byte - 'A' + 'a') : byte;
}

/// Whether `text` is `lower` (written in lower case) but for ASCII case, as
/// an unquoted keyword is compared; nothing is copied.
inline constexpr bool equals_ignoring_case(std::string_view text, std::string_view lower) noexcept {
  if (text.size() != lower.size())
    return false;
  for (std::size_t at = 0; at < text.size(); ++at)
    if (ascii_lower(text[at]) != lower[at])
      return false;
  return true;
}

} // namespace pgarc::detail::sql_chars
