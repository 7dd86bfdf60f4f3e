// SPDX-License-Identifier: PostgreSQL
// Identifier values and quoting: what name an identifier token stands for
// (scan.l's downcasing and de-quoting), and how pg_dump writes a name back
// (fmtId in src/fe_utils/string_utils.c).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pgarc::detail {

/// The name an identifier token's text stands for:
/// - unquoted (`Public`, `a$b`): ASCII letters lowercased, other bytes kept,
///   as the server does in UTF-8 databases;
/// - quoted (`"Ext Schema"`): the text between the quotes with "" read as ";
/// - Unicode (`U&"d\0061t"`): as quoted, then escapes decoded to UTF-8 with
///   `unicode_escape` (the UESCAPE character; see find_unicode_escape_clause).
/// Nothing if the text is not exactly one complete identifier token, is the
/// zero-length "" (an error in the server), or has a bad Unicode escape.
/// Names longer than 63 bytes are not truncated.
std::optional<std::string> normalize_identifier(std::string_view token_text,
                                                char unicode_escape = '\\');

/// `name` as pg_dump's fmtId writes it: bare if it is lowercase ASCII letters,
/// digits and underscores, does not start with a digit, and is not a keyword
/// other than an unreserved one; otherwise in double quotes with " doubled.
/// `force` quotes every name, as pg_dump --quote-all-identifiers does.
std::string quote_identifier(std::string_view name, bool force = false);

} // namespace pgarc::detail
