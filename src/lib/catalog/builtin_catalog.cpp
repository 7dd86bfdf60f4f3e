// SPDX-License-Identifier: PostgreSQL
// The built-in extension catalog: the generated rows turned into an
// member_catalog once. The rows are string literals, so the catalog needs
// no owner for its text.
#include "catalog/builtin_catalog.hpp"

namespace pgarc::detail {

const member_catalog& builtin_catalog() {
  static const member_catalog catalog = make_member_catalog(builtin_catalog_rows());
  return catalog;
}

std::span<const catalog_member> builtin_members(std::string_view extension) {
  return builtin_catalog().members(extension);
}

std::optional<std::string_view> builtin_version(std::string_view extension) {
  return builtin_catalog().version(extension);
}

std::span<const member_ref> builtin_members_named(member_kind kind, std::string_view name) {
  return builtin_catalog().members_named(kind, name);
}

} // namespace pgarc::detail
