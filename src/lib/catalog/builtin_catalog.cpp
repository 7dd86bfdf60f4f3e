// SPDX-License-Identifier: PostgreSQL
// The built-in extension catalog: the generated tables turned into a
// member_catalog once. Their text is a string literal, so the catalog needs
// no owner for it.
#include "catalog/builtin_catalog.hpp"

#include <utility>
#include <vector>

namespace pgarc::detail {

namespace {

member_catalog unpack(const builtin_tables& tables) {
  const auto text = [&tables](packed_text at) { return tables.text.substr(at.offset, at.length); };
  std::vector<catalog_member> members;
  members.reserve(tables.members.size());
  for (const packed_member& member : tables.members)
    members.push_back({static_cast<member_kind>(member.kind), text(member.schema), text(member.name),
                       text(member.identity)});
  std::vector<sorted_extension> extensions;
  extensions.reserve(tables.extensions.size());
  for (const packed_extension& extension : tables.extensions)
    extensions.push_back({text(extension.name), text(extension.version), extension.member_count});
  return make_sorted_member_catalog(std::move(extensions), std::move(members));
}

} // namespace

const member_catalog& builtin_catalog() {
  static const member_catalog catalog = unpack(builtin_catalog_tables());
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
