// SPDX-License-Identifier: PostgreSQL
// A catalog of extensions and their members, built from members.sql rows,
// with the lookups the rewriter needs. builtin_catalog.cpp builds one from the
// rows compiled into the library, live_catalog.cpp one from a server.
#pragma once

#include "catalog/catalog_member.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace pgarc::detail {

/// One output row of members.sql, as text: extension, version, kind, schema,
/// name, identity. A row whose kind is "extension" names the extension itself.
struct catalog_row {
  std::string_view extension;
  std::string_view version;
  std::string_view kind;
  std::string_view schema;
  std::string_view name;
  std::string_view identity;
};

/// An extension and all of its members, sorted by kind, name, identity and
/// schema.
struct catalog_extension {
  std::string_view name;
  std::string_view version;
  std::span<const catalog_member> members;
};

/// A member together with the extension it belongs to.
struct member_ref {
  const catalog_extension* extension = nullptr;
  const catalog_member* member = nullptr;
};

/// An extension whose members come next in make_sorted_member_catalog's list.
struct sorted_extension {
  std::string_view name;
  std::string_view version;
  std::size_t member_count = 0;
};

/// Immutable and cheap to copy: copies share the same storage, and every view,
/// span and pointer it hands out stays valid as long as one copy lives.
/// Lookups are binary searches; names compare byte by byte and exactly (the
/// caller unquotes and case-folds SQL identifiers first).
class member_catalog {
public:
  /// A catalog that knows no extension.
  member_catalog() = default;

  /// Every extension, sorted by name.
  std::span<const catalog_extension> extensions() const noexcept;
  /// The extension called `name`, or nullptr.
  const catalog_extension* find_extension(std::string_view name) const noexcept;
  /// Members of `extension`; empty when the extension is unknown.
  std::span<const catalog_member> members(std::string_view extension) const noexcept;
  /// Version of `extension`, or nullopt when it is unknown.
  std::optional<std::string_view> version(std::string_view extension) const noexcept;
  /// Every member of any extension called `name` (all kinds, all overloads),
  /// sorted by kind, extension, identity and schema.
  std::span<const member_ref> members_named(std::string_view name) const noexcept;
  /// Every member of kind `kind` called `name`, sorted by extension, identity
  /// and schema: which extensions have such an object, and in which overloads.
  std::span<const member_ref> members_named(member_kind kind, std::string_view name) const noexcept;
  /// Number of members of all extensions together.
  std::size_t member_count() const noexcept;

  struct storage; // defined in member_catalog.cpp

private:
  friend member_catalog make_member_catalog(std::span<const catalog_row> rows,
                                            std::shared_ptr<const void> text_owner);
  friend member_catalog make_sorted_member_catalog(std::vector<sorted_extension> extensions,
                                                   std::vector<catalog_member> members);
  explicit member_catalog(std::shared_ptr<const storage> data) : m_storage(std::move(data)) {}

  std::shared_ptr<const storage> m_storage;
};

/// Builds a catalog from members.sql rows in any order. The catalog keeps
/// views of the rows' text, so that text must outlive it: pass its owner as
/// `text_owner` (nothing for static text). A kind the catalog does not know
/// becomes member_kind::other. An extension's version is the one on its first
/// row.
member_catalog make_member_catalog(std::span<const catalog_row> rows,
                                   std::shared_ptr<const void> text_owner = {});

/// Builds a catalog from extensions already sorted by name and their members
/// already in the catalog's order, one extension's after another's (the
/// built-in catalog, sorted when it was generated): nothing is sorted or
/// checked. The text must be static.
member_catalog make_sorted_member_catalog(std::vector<sorted_extension> extensions,
                                          std::vector<catalog_member> members);

} // namespace pgarc::detail
