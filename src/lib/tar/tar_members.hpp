// SPDX-License-Identifier: PostgreSQL
// Walks the members after toc.dat and ties each to the TOC: a data member to
// the entry naming it, blob_OID.dat members to large objects, a large-object
// list to its BLOBS entry, restore.sql to nothing. The caller consumes each
// member's bytes (copy, decode, skip); then finish_member() skips the padding.
#pragma once

#include "io/byte_reader.hpp"
#include "pgarc/archive.hpp"
#include "tar/tar_header.hpp"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace pgarc::detail {

enum class member_kind { data, large_object, large_object_list, script };

struct tar_data_member {
  tar_member member;
  member_kind kind = member_kind::data;
  /// The entry it belongs to (data and lists; nullptr for the others).
  const toc_entry* entry = nullptr;
  std::uint32_t oid = 0; ///< large objects
};

class tar_member_cursor {
public:
  /// `in` is positioned after the toc.dat member; `entries` is the TOC read.
  tar_member_cursor(byte_reader& in, const std::vector<toc_entry>& entries);
  /// The next member; nullopt at the end-of-archive blocks (or the end of
  /// the input right after a member). Throws format_error naming the member
  /// for a name that is a path or that the TOC does not name, a repeated
  /// member, or a size past the end of the input.
  std::optional<tar_data_member> next();
  /// Skips the padding after the member whose bytes were just consumed.
  void finish_member(const tar_member& member);
  /// Throws format_error when an entry's member never came.
  void check_complete() const;
  byte_reader& input() noexcept { return m_in; }

private:
  byte_reader& m_in;
  std::unordered_map<std::string, const toc_entry*> m_by_name;
  std::unordered_map<std::string, bool> m_seen;
  const std::vector<toc_entry>& m_entries;
};

/// Reads the next 512-byte header; nullopt at a zero block or at the end of
/// input exactly at a block boundary. Throws format_error.
std::optional<tar_member> read_tar_member_header(byte_reader& in);

} // namespace pgarc::detail
