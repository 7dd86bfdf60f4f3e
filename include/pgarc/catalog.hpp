// SPDX-License-Identifier: PostgreSQL
// Which objects belong to which extension. The archive never says (members
// have no TOC entries), so the rewriter asks catalogs: the built-in one
// generated from Debian's PostgreSQL 15 packages, or one read from a live
// database with the extensions installed.
#pragma once

#include "pgarc/features.hpp"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc {

/// One member object of an extension, as pg_identify_object describes it,
/// with names unqualified.
struct extension_member {
  std::string kind;     ///< "type", "function", "operator", "operator class", "table", ...
  std::string name;     ///< the object's name without schema ("citext", "->")
  std::string identity; ///< tells overloads apart: function argument types ("text, text"),
                        ///< operator operand types, an operator class's access method
};

class extension_catalog {
public:
  virtual ~extension_catalog() = default;
  /// Members of `extension`; empty when the catalog does not know it.
  virtual std::span<const extension_member> members(std::string_view extension) const = 0;
  /// Whether the catalog knows `extension` at all.
  virtual bool knows(std::string_view extension) const = 0;
  /// Shown in reports: "built-in catalog", "live catalog".
  virtual std::string_view description() const noexcept = 0;
};

/// A catalog held in memory, e.g. for tests or built from query results.
class memory_catalog final : public extension_catalog {
public:
  explicit memory_catalog(std::string description) : m_description(std::move(description)) {}
  void add(std::string extension, extension_member member);
  std::span<const extension_member> members(std::string_view extension) const override;
  bool knows(std::string_view extension) const override;
  std::string_view description() const noexcept override { return m_description; }

private:
  std::vector<std::pair<std::string, std::vector<extension_member>>> m_extensions;
  std::string m_description;
};

/// The members of the extensions shipped in Debian's PostgreSQL 15 packages
/// (contrib, PostGIS and others), compiled into the library from
/// src/lib/catalog/extension_members.tsv. Built on first use; thread-safe.
const extension_catalog& builtin_extension_catalog();

#if PGARC_WITH_LIBPQ
/// The members of every extension installed in the database `conninfo`
/// names (a libpq connection string or URI; PG* environment variables
/// apply), read with one query. Throws io_error (a one-line message without
/// any password) or unsupported_error (servers before PostgreSQL 11).
std::unique_ptr<extension_catalog> read_live_extension_catalog(const std::string& conninfo);
#endif

} // namespace pgarc
