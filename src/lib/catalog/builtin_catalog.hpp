// SPDX-License-Identifier: PostgreSQL
// The extension member catalog compiled into the library: extension_members.tsv
// (made by tools/gen-extension-catalog from PostgreSQL 15 and the Debian
// extension packages), embedded at build time by tools/embed-extension-catalog.
// Answers "which extension does public.similarity belong to" without a server.
#pragma once

#include "catalog/member_catalog.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace pgarc::detail {

/// The built-in catalog. Built on first use (thread-safe), then shared.
const member_catalog& builtin_catalog();

/// Members of `extension` in the built-in catalog; empty when it is unknown.
std::span<const catalog_member> builtin_members(std::string_view extension);

/// Version of `extension` the built-in catalog was made from, or nullopt.
std::optional<std::string_view> builtin_version(std::string_view extension);

/// Which known extensions have a member of `kind` called `name` (unquoted,
/// without schema): one entry per overload, sorted by extension.
std::span<const member_ref> builtin_members_named(member_kind kind, std::string_view name);

/// The built-in catalog as tools/embed-extension-catalog compiles it: text
/// as {offset, length} in one string, so that the tables hold no pointers
/// and the loader relocates nothing; already in the catalog's order.
struct packed_text {
  std::uint32_t offset;
  std::uint32_t length;
};
struct packed_member {
  std::uint8_t kind; ///< a member_kind
  packed_text schema, name, identity;
};
struct packed_extension {
  packed_text name, version;
  std::uint32_t first_member, member_count;
};
struct builtin_tables {
  std::string_view text;
  std::span<const packed_extension> extensions; ///< sorted by name
  std::span<const packed_member> members;       ///< grouped by extension, in catalog order
};
/// Defined in the source file tools/embed-extension-catalog generates.
builtin_tables builtin_catalog_tables() noexcept;

} // namespace pgarc::detail
