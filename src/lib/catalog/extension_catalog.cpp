// SPDX-License-Identifier: PostgreSQL
// The public catalog types: memory_catalog, and the view of the built-in
// (detail) member catalog; see include/pgarc/catalog.hpp.
#include "pgarc/catalog.hpp"

#include "catalog/builtin_catalog.hpp"
#include "catalog/member_catalog.hpp"

#include <map>
#include <mutex>
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
/// that live in the extension's own schema (and so move with it). An
/// extension's members are turned into extension_member values the first
/// time they are asked for: a retargeting asks for a handful of the 139
/// built-in extensions, and copying all 8,000 members was a third of the
/// tool's start-up. Thread-safe (batch jobs share the built-in catalog).
class member_catalog_view final : public extension_catalog {
public:
  member_catalog_view(detail::member_catalog catalog, std::string description)
      : m_catalog(std::move(catalog)), m_description(std::move(description)) {}

  std::span<const extension_member> members(std::string_view extension) const override {
    const detail::catalog_extension* found = m_catalog.find_extension(extension);
    if (found == nullptr)
      return {};
    const std::lock_guard lock(m_mutex);
    auto [position, added] = m_members.try_emplace(found);
    if (added)
      for (const auto& member : found->members)
        if (member.follows_extension_schema())
          position->second.push_back({std::string(detail::member_kind_name(member.kind)), std::string(member.name),
                                      std::string(member.identity)});
    // A map's elements stay where they are as others are added.
    return position->second;
  }
  bool knows(std::string_view extension) const override {
    // As memory_catalog: an extension with no member that follows its schema is unknown.
    return !members(extension).empty();
  }
  std::string_view description() const noexcept override { return m_description; }

private:
  detail::member_catalog m_catalog; // shares its storage with the catalog it was made from
  std::string m_description;
  mutable std::mutex m_mutex;
  mutable std::map<const detail::catalog_extension*, std::vector<extension_member>> m_members;
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
