// SPDX-License-Identifier: PostgreSQL
// References to moved extensions' objects that SQL writes as text: literals
// cast to reg* types ('public.unaccent'::regdictionary), the bodies of
// LANGUAGE sql and plpgsql functions, and search_path lists (SET search_path
// TO 'public', 'pg_temp' in CREATE FUNCTION, ALTER DATABASE/ROLE ... SET).
// Used by sql_rewrite.cpp and retarget.cpp; see issue 12 in the README.
#pragma once

#include "retarget/member_index.hpp"
#include "sql/lexer.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pgarc::detail {

struct rewrite_settings;

/// What a function body held and what became of it.
struct body_finding {
  std::string language;           ///< as written after LANGUAGE, lowercased
  bool rewritten = false;         ///< the body's text changed
  std::vector<std::string> names; ///< rewritten references, "public.unaccent" as written before
  /// Moved members named where the body was left as it is: strings inside a
  /// body (dynamic SQL for EXECUTE), or a body in another language.
  std::vector<std::string> left_in_strings;
  std::vector<std::string> left_in_other_language;
};

/// A replacement of one byte range of the text being rewritten.
struct text_replacement {
  byte_range range;
  std::string text;
};

/// `text` with each replacement applied (ranges must not overlap; any order).
std::string apply_replacements(std::string_view text, std::vector<text_replacement> replacements);

/// Names in a reg* literal's value, and what to write instead.
struct literal_rewrite {
  text_replacement replacement;
  std::vector<std::pair<std::string, member_verdict>> decisions;
};

/// The reg* type a literal is cast to right after it (`'x'::regclass`,
/// `'x'::pg_catalog.regtype`) or in CAST('x' AS regtype): "regclass", ...;
/// empty when the token at `literal_token` is not such a literal.
std::string reg_cast_type(std::string_view sql, const std::vector<token>& tokens,
                          std::size_t literal_token);

/// The literal at `literal_token` (a string, E'', N'' or dollar-quoted
/// constant) cast to `reg_type`, with every name qualified with the source
/// schema that is a moved member rewritten: the replacement of the whole
/// literal, in the same quoting. Nothing if nothing in it changes.
std::optional<literal_rewrite> rewrite_reg_literal(std::string_view sql, const token& literal,
                                                   std::string_view reg_type,
                                                   const rewrite_settings& settings,
                                                   const member_index& index, const toc_entry& entry);

/// `value` quoted the way `original` (a constant token's text) was quoted.
std::string requote_like(std::string_view original, token_kind kind, std::string_view value,
                         const lexer_options& options);

/// The search_path lists in `sql` (SET search_path TO a, b / = a, b), with
/// the target schema inserted right after the source schema in each that has
/// the source and not the target. `append_if_missing`: lists without the
/// source get the target at the end too (--search-path on the database's
/// own setting). Returns the new text, or nothing if nothing changed.
std::optional<std::string> rewrite_search_paths(std::string_view sql, const rewrite_settings& settings,
                                                bool append_if_missing = false);

/// The schemas of the first `SET search_path` list in `sql` (values, not
/// quoted), or nothing if there is none.
std::optional<std::vector<std::string>> search_path_values(std::string_view sql,
                                                           const lexer_options& options);

} // namespace pgarc::detail
