// SPDX-License-Identifier: PostgreSQL
// Builds an member_catalog from members.sql rows and answers its lookups.
// The storage is built once, completely, before anything points into it, and
// never changes afterwards; that is what keeps the views and pointers valid.
#include "catalog/member_catalog.hpp"

#include <algorithm>
#include <functional>
#include <mutex>
#include <tuple>
#include <utility>
#include <vector>

namespace pgarc::detail {

struct member_catalog::storage {
  std::shared_ptr<const void> text_owner;
  std::vector<catalog_extension> extensions; // sorted by name
  std::vector<catalog_member> members;       // grouped by extension
  std::size_t member_count = 0;
  // The name index, sorted by name_order, is built on the first lookup by
  // name: sorting some 8,000 members was most of the tool's start-up, and
  // retargeting only asks for an extension's members.
  mutable std::once_flag by_name_built;
  mutable std::vector<member_ref> by_name;

  const std::vector<member_ref>& name_index() const;
};

namespace {

// Order of members within an extension.
auto member_order(const catalog_member& member) {
  return std::tie(member.kind, member.name, member.identity, member.schema);
}

// Order of the name index: name and kind first, so that both lookups are one
// equal_range.
auto name_order(const member_ref& ref) {
  return std::tie(ref.member->name, ref.member->kind, ref.extension->name, ref.member->identity,
                  ref.member->schema);
}

bool member_less(const catalog_member& left, const catalog_member& right) {
  return member_order(left) < member_order(right);
}

} // namespace

const std::vector<member_ref>& member_catalog::storage::name_index() const {
  std::call_once(by_name_built, [this] {
    by_name.reserve(member_count);
    for (const catalog_extension& entry : extensions)
      for (const catalog_member& member : entry.members)
        by_name.push_back({&entry, &member});
    std::sort(by_name.begin(), by_name.end(),
              [](const member_ref& left, const member_ref& right) { return name_order(left) < name_order(right); });
  });
  return by_name;
}

member_catalog make_member_catalog(std::span<const catalog_row> rows,
                                   std::shared_ptr<const void> text_owner) {
  auto data = std::make_shared<member_catalog::storage>();
  data->text_owner = std::move(text_owner);

  std::vector<const catalog_row*> sorted;
  sorted.reserve(rows.size());
  for (const catalog_row& row : rows)
    sorted.push_back(&row);
  // The built-in rows come sorted (tools/embed-extension-catalog): checking
  // costs one comparison a row, sorting some twenty.
  const auto by_extension = [](const catalog_row* left, const catalog_row* right) {
    return left->extension < right->extension;
  };
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_extension))
    std::stable_sort(sorted.begin(), sorted.end(), by_extension);

  // First pass: one entry per extension and its members, remembered by
  // position because the vectors still grow.
  struct extent {
    std::size_t first = 0;
    std::size_t count = 0;
  };
  std::vector<extent> extents;
  for (const catalog_row* row : sorted) {
    if (data->extensions.empty() || data->extensions.back().name != row->extension) {
      data->extensions.push_back({row->extension, row->version, {}});
      extents.push_back({data->members.size(), 0});
    }
    const member_kind kind = parse_member_kind(row->kind).value_or(member_kind::other);
    if (kind == member_kind::extension)
      continue;
    data->members.push_back({kind, row->schema, row->name, row->identity});
    ++extents.back().count;
  }
  data->member_count = data->members.size();

  // Second pass: sort each extension's members and point the entries at them.
  for (std::size_t entry_index = 0; entry_index < extents.size(); ++entry_index) {
    const auto first =
        data->members.begin() + static_cast<std::ptrdiff_t>(extents[entry_index].first);
    const auto last = first + static_cast<std::ptrdiff_t>(extents[entry_index].count);
    if (!std::is_sorted(first, last, member_less))
      std::sort(first, last, member_less);
    data->extensions[entry_index].members =
        std::span<const catalog_member>(data->members)
            .subspan(extents[entry_index].first, extents[entry_index].count);
  }
  return member_catalog(std::move(data));
}

member_catalog make_sorted_member_catalog(std::vector<sorted_extension> extensions,
                                          std::vector<catalog_member> members) {
  auto data = std::make_shared<member_catalog::storage>();
  data->members = std::move(members);
  data->member_count = data->members.size();
  data->extensions.reserve(extensions.size());
  std::size_t first = 0;
  for (const sorted_extension& extension : extensions) {
    const std::size_t count = std::min(extension.member_count, data->members.size() - first);
    data->extensions.push_back(
        {extension.name, extension.version, std::span<const catalog_member>(data->members).subspan(first, count)});
    first += count;
  }
  return member_catalog(std::move(data));
}

std::span<const catalog_extension> member_catalog::extensions() const noexcept {
  if (!m_storage)
    return {};
  return m_storage->extensions;
}

const catalog_extension* member_catalog::find_extension(std::string_view name) const noexcept {
  const auto all = extensions();
  const auto found = std::ranges::lower_bound(all, name, std::less<>{}, &catalog_extension::name);
  if (found == all.end() || found->name != name)
    return nullptr;
  return &*found;
}

std::span<const catalog_member> member_catalog::members(std::string_view extension) const noexcept {
  const catalog_extension* entry = find_extension(extension);
  if (entry == nullptr)
    return {};
  return entry->members;
}

std::optional<std::string_view> member_catalog::version(std::string_view extension) const noexcept {
  const catalog_extension* entry = find_extension(extension);
  if (entry == nullptr)
    return std::nullopt;
  return entry->version;
}

std::span<const member_ref> member_catalog::members_named(std::string_view name) const noexcept {
  if (!m_storage)
    return {};
  const std::span<const member_ref> all = m_storage->name_index();
  // lower_bound and upper_bound rather than equal_range, whose subrange
  // result clang 14 cannot compile with libstdc++ 12 (the fuzzing build).
  const auto key = [](const member_ref& ref) { return ref.member->name; };
  const auto first = std::ranges::lower_bound(all, name, std::less<>{}, key);
  const auto last = std::ranges::upper_bound(first, all.end(), name, std::less<>{}, key);
  return {first, last};
}

std::span<const member_ref> member_catalog::members_named(member_kind kind,
                                                          std::string_view name) const noexcept {
  if (!m_storage)
    return {};
  const std::span<const member_ref> all = m_storage->name_index();
  const auto key = [](const member_ref& ref) { return std::pair(ref.member->name, ref.member->kind); };
  const auto first = std::ranges::lower_bound(all, std::pair(name, kind), std::less<>{}, key);
  const auto last = std::ranges::upper_bound(first, all.end(), std::pair(name, kind), std::less<>{}, key);
  return {first, last};
}

std::size_t member_catalog::member_count() const noexcept {
  return m_storage ? m_storage->member_count : 0;
}

} // namespace pgarc::detail
