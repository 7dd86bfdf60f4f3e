// SPDX-License-Identifier: PostgreSQL
// PostgreSQL's keywords and their categories, as in src/include/parser/kwlist.h
// of a recent server (development branch of 2025: PostgreSQL 18 plus what
// 19 added so far). Used to decide whether an identifier needs quoting.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace pgarc::detail {

/// The grammar's four classes of keyword. Only unreserved keywords can be
/// used as bare identifiers everywhere; pg_dump's fmtId quotes all others.
enum class keyword_category : std::uint8_t {
  unreserved,         ///< UNRESERVED_KEYWORD: "schema", "extension", "name"
  column_name,        ///< COL_NAME_KEYWORD: "int", "json", "values"
  type_function_name, ///< TYPE_FUNC_NAME_KEYWORD: "left", "join", "is"
  reserved,           ///< RESERVED_KEYWORD: "select", "table", "user"
};

struct keyword {
  std::string_view name; ///< lowercase
  keyword_category category;
};

/// The category of `word` if it is a keyword. ASCII letters match in either
/// case, as in ScanKeywordLookup; other bytes must match exactly.
std::optional<keyword_category> find_keyword(std::string_view word) noexcept;

/// Every keyword, sorted by name in byte order.
std::span<const keyword> keyword_list() noexcept;

} // namespace pgarc::detail
