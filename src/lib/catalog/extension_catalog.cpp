// SPDX-License-Identifier: PostgreSQL
// The public catalog types: memory_catalog, and the view of the built-in
// (detail) member catalog; see include/pgarc/catalog.hpp.
#include "pgarc/catalog.hpp"

#include "catalog/builtin_catalog.hpp"
#include "catalog/member_catalog.hpp"
#if PGARC_WITH_LIBPQ
#include "catalog/live_catalog.hpp"
#endif

namespace pgarc {

void memory_catalog::add(std::string extension, extension_member member) {
  for (auto& [name, members] : m_extensions) {
    if (name == extension) {
      members.push_back(std::move(member));
      return;
    }
  }
  m_extensions.emplace_back(std::move(extension), std::vector<extension_member>{std::move(member)});
}

std::span<const extension_member> memory_catalog::members(std::string_view extension) const {
  for (const auto& [name, members] : m_extensions)
    if (name == extension)
      return members;
  return {};
}

bool memory_catalog::knows(std::string_view extension) const {
  for (const auto& entry : m_extensions)
    if (entry.first == extension)
      return true;
  return false;
}

namespace {

/// A detail::member_catalog seen as an extension_catalog: only the members
/// that live in the extension's own schema (and so move with it).
class member_catalog_view final : public extension_catalog {
public:
  member_catalog_view(const detail::member_catalog& catalog, std::string description)
      : m_catalog(description) {
    for (const auto& extension : catalog.extensions())
      for (const auto& member : catalog.members(extension.name))
        if (member.follows_extension_schema())
          m_catalog.add(std::string(extension.name),
                        {std::string(detail::member_kind_name(member.kind)), std::string(member.name),
                         std::string(member.identity)});
  }
  std::span<const extension_member> members(std::string_view extension) const override {
    return m_catalog.members(extension);
  }
  bool knows(std::string_view extension) const override { return m_catalog.knows(extension); }
  std::string_view description() const noexcept override { return m_catalog.description(); }

private:
  memory_catalog m_catalog;
};

} // namespace

const extension_catalog& builtin_extension_catalog() {
  static const member_catalog_view catalog(detail::builtin_catalog(), "built-in catalog");
  return catalog;
}

#if PGARC_WITH_LIBPQ
std::unique_ptr<extension_catalog> read_live_extension_catalog(const std::string& conninfo) {
  const detail::member_catalog live = detail::read_live_catalog(conninfo);
  return std::make_unique<member_catalog_view>(live, "live catalog");
}
#endif

} // namespace pgarc
