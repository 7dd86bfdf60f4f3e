// SPDX-License-Identifier: PostgreSQL
// The extension member catalog compiled into the library: extension_members.tsv
// (made by tools/gen-extension-catalog from PostgreSQL 15 and the Debian
// extension packages), embedded at build time by tools/embed-extension-catalog.
// Answers "which extension does public.similarity belong to" without a server.
#pragma once

#include "catalog/member_catalog.hpp"

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

/// The rows of extension_members.tsv, in file order. Defined in the source file
/// tools/embed-extension-catalog generates.
std::span<const catalog_row> builtin_catalog_rows() noexcept;

} // namespace pgarc::detail
