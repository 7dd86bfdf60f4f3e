// SPDX-License-Identifier: PostgreSQL
// What the writer and the verifier need of an archive_reader beyond its
// public interface: the data area it left unread. Only the library includes
// this header.
#pragma once

#include "format/block_cursor.hpp"
#include "pgarc/reader.hpp"

#include <vector>

namespace pgarc::detail {

class reader_gate {
public:
  /// The data area, positioned at the first block; consumed once.
  static byte_reader& data_stream(archive_reader& reader) noexcept { return *reader.m_reader; }
  /// The entries that have a data block, as read (before any edit).
  static const std::vector<block_entry>& data_entries(const archive_reader& reader) noexcept {
    return reader.m_data_entries;
  }
  /// The source, for copying file ranges in the kernel.
  static const byte_source& source(const archive_reader& reader) noexcept { return reader.m_source; }
};

} // namespace pgarc::detail
