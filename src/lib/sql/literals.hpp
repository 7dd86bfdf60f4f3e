// SPDX-License-Identifier: PostgreSQL
// Values of string constants as the server reads them: quote doubling,
// backslash escapes (E'...', or '...' with standard_conforming_strings off),
// Unicode escapes (U&'...', U&"..." and UESCAPE), and the reverse quoting
// that pg_dump applies. Escapes that produce characters are decoded to UTF-8.
#pragma once

#include "sql/lexer.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pgarc::detail {

/// The value of a constant token's text: string, escape_string,
/// national_string, unicode_string, bit_string and hex_string (their digits,
/// without the B or X), and dollar_string (its body). Continued strings
/// ('a'\n'b') give their parts joined. `unicode_escape` is the UESCAPE
/// character of a unicode_string (see find_unicode_escape_clause).
///
/// Nothing for other kinds, for text that is not exactly one complete token
/// (an unterminated one, say), and for escapes the server rejects: \u or \U
/// with too few digits, code points 0 or above 10FFFF, unpaired surrogates,
/// and \0 or \x00 (a zero byte). Bytes produced by octal and hex escapes are
/// not checked against any encoding.
std::optional<std::string> decode_string_literal(std::string_view token_text, token_kind kind,
                                                 const lexer_options& options = {},
                                                 char unicode_escape = '\\');

/// Replaces the escapes of a U& string or identifier body (already stripped
/// of quotes and doubled quotes): `escape` and 4 hex digits, `escape` "+" and
/// 6 hex digits, or `escape` twice. Nothing if an escape is malformed, a code
/// point is out of range, or a surrogate is unpaired (str_udeescape in
/// parser.c).
std::optional<std::string> decode_unicode_escapes(std::string_view text, char escape);

/// Whether UESCAPE may name `escape`: not a hex digit, "+", a quote, a double
/// quote or white space (check_uescapechar in parser.c).
bool is_valid_unicode_escape_char(char escape) noexcept;

/// The escape character of a U&"..." or U&'...' token: the one-character
/// string of a following "UESCAPE '!'" clause, or a backslash without one.
struct unicode_escape_clause {
  char escape = '\\';
  /// The last token of the construct: the U& token itself, or the clause's string.
  std::size_t last_token = 0;
  /// False if UESCAPE is followed by something other than a one-character
  /// string of an allowed character; the server rejects that.
  bool is_valid = true;
};

/// Looks for a UESCAPE clause after `tokens[token_index]` (tokens of `sql`).
/// For a token that is not U&'...' or U&"...", returns the default.
unicode_escape_clause find_unicode_escape_clause(std::string_view sql,
                                                 std::span<const token> tokens,
                                                 std::size_t token_index,
                                                 const lexer_options& options = {});

/// `value` as a single-quoted literal, as pg_dump's appendStringLiteral
/// writes it: quotes doubled, and backslashes doubled too when
/// standard_conforming_strings is off. No E prefix is ever added.
std::string quote_string_literal(std::string_view value, bool standard_conforming_strings = true);

} // namespace pgarc::detail
