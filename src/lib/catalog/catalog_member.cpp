// SPDX-License-Identifier: PostgreSQL
// Names of member kinds, spelled as members.sql writes them.
#include "catalog/catalog_member.hpp"

#include <array>
#include <cstddef>

namespace pgarc::detail {

namespace {

// In enum order, so that member_kind_name can index it.
constexpr std::array<std::string_view, static_cast<std::size_t>(member_kind::other) + 1>
    kind_names = {
        "extension",
        "type",
        "domain",
        "function",
        "procedure",
        "aggregate",
        "operator",
        "operator class",
        "operator family",
        "cast",
        "table",
        "sequence",
        "view",
        "materialized view",
        "foreign table",
        "index",
        "collation",
        "conversion",
        "text search dictionary",
        "text search template",
        "text search parser",
        "text search configuration",
        "event trigger",
        "foreign data wrapper",
        "server",
        "user mapping",
        "access method",
        "language",
        "transform",
        "schema",
        "statistics object",
        "publication",
        "other",
};

} // namespace

std::string_view member_kind_name(member_kind kind) noexcept {
  return kind_names[static_cast<std::size_t>(kind)];
}

std::optional<member_kind> parse_member_kind(std::string_view name) noexcept {
  // "other" is what we call what we could not name, never a kind we read.
  for (std::size_t kind_index = 0; kind_index + 1 < kind_names.size(); ++kind_index) {
    if (kind_names[kind_index] == name)
      return static_cast<member_kind>(kind_index);
  }
  return std::nullopt;
}

} // namespace pgarc::detail
