// SPDX-License-Identifier: PostgreSQL
// Reading an archive: the header and TOC into memory, the data area left in
// the source to be streamed by write_archive().
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/io.hpp"

#include <memory>
#include <vector>

namespace pgarc {

namespace detail {
class byte_reader;
class reader_gate;
struct block_entry;
} // namespace detail

/// Reads the header and the whole TOC of a custom-format archive on
/// construction and leaves the source positioned at the first data block.
/// Throws format_error (bad bytes, with the offset), unsupported_error (another
/// version or format) or io_error.
class archive_reader {
public:
  explicit archive_reader(byte_source& source);
  ~archive_reader();
  archive_reader(const archive_reader&) = delete;
  archive_reader& operator=(const archive_reader&) = delete;

  const archive& contents() const noexcept { return m_archive; }
  /// Moves the header and TOC out, to be edited and written without a copy;
  /// contents() is empty afterwards. write_archive() still works: the reader
  /// keeps what it needs of the data area.
  archive take_contents() noexcept { return std::move(m_archive); }
  /// The offset of the first byte after the TOC.
  std::uint64_t data_start() const noexcept { return m_data_start; }
  const std::string& source_name() const noexcept;

private:
  // The data area is reached by write_archive() and verify_archive() only,
  // through this gate (src/lib/reader_gate.hpp).
  friend class detail::reader_gate;
  byte_source& m_source;
  std::unique_ptr<detail::byte_reader> m_reader;
  archive m_archive;
  /// The entries that have a data block, as read, for walking the data area
  /// after the caller took and edited the contents: without their SQL (the
  /// definition, drop and COPY statements), which the walk never reads.
  std::vector<detail::block_entry> m_data_entries; // what the data area's walk needs of the TOC read
  std::uint64_t m_data_start = 0;
};

/// Reads only the header and TOC of `source` (for listing).
archive read_archive_toc(byte_source& source);

} // namespace pgarc
