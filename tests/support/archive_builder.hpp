// SPDX-License-Identifier: PostgreSQL
// Builds custom-format archives in code, independently of the library's
// writer, so that each test shows its own input. Test-only code.
#pragma once

#include "pgarc/archive.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pgarc::test {

using bytes = std::vector<std::byte>;

/// pg_dump's primitives, encoded by hand.
void put_u8(bytes& out, std::uint8_t value);
void put_int(bytes& out, std::int64_t value, std::uint8_t int_size = 4);
void put_string(bytes& out, const pg_string& value, std::uint8_t int_size = 4);
void put_offset(bytes& out, offset_state state, std::uint64_t position, std::uint8_t off_size = 8);
bytes to_bytes(std::string_view text);

/// A data block: BLK_DATA with raw chunk payloads, or BLK_BLOBS with one
/// chunk list per large object.
struct block {
  std::int64_t dump_id = 0;
  block_type type = block_type::data;
  std::vector<std::string> chunks;
  std::vector<std::pair<std::int64_t, std::vector<std::string>>> blobs;
};

class archive_builder {
public:
  explicit archive_builder(archive_version version = k_vers_1_14);

  archive_header& header() { return m_header; }
  /// Adds an entry; data_state/data_offset are filled in by build().
  archive_builder& add(toc_entry entry);
  archive_builder& add_block(block data);
  /// Bytes appended after the last block.
  archive_builder& trailer(bytes extra);

  /// The archive; with `positions` true data-bearing entries get POS_SET
  /// and their block's offset (a seekable pg_dump), else POS_NOT_SET (a pipe).
  bytes build(bool positions = true) const;
  /// Just the header and TOC as build() writes them.
  bytes build_header_and_toc(bool positions = true) const;

  /// The toc.dat of a directory archive with these entries: format byte 3,
  /// and each data-bearing entry's data_file ("<dump id>.dat", "blobs.toc"
  /// for BLOBS, unless set) in place of the offset.
  bytes build_toc_dat() const;
  /// A directory archive at `path` (created): toc.dat, and each block's
  /// chunks as one file, uncompressed names; BLOBS as blobs.toc and
  /// blob_OID.dat files.
  void write_directory(const std::string& path) const;
  /// Typical entries, pg_dump 15 style (NULL for absent strings).
  static toc_entry entry(std::int64_t dump_id, std::string desc, std::string tag,
                         pg_string namespace_name = std::nullopt, pg_string defn = std::nullopt);
  static toc_entry table_data(std::int64_t dump_id, std::string table, std::int64_t table_id,
                              std::string namespace_name = "public");
  /// A BLOBS entry with data, as pg_dump writes one for large objects.
  static toc_entry blobs(std::int64_t dump_id);

private:
  bytes encode(bool positions, std::vector<std::uint64_t>* block_offsets) const;
  archive_header m_header;
  std::vector<toc_entry> m_entries;
  std::vector<block> m_blocks;
  bytes m_trailer;
};

} // namespace pgarc::test
