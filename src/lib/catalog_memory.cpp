// SPDX-License-Identifier: PostgreSQL
// memory_catalog; see include/pgarc/catalog.hpp.
#include "pgarc/catalog.hpp"

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

} // namespace pgarc
