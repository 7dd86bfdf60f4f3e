// SPDX-License-Identifier: PostgreSQL
// The in-memory model of a custom-format archive's header and table of contents.
// Field names follow pg_dump's (pg_backup_archiver.h); see the TOC section of
// ../shared/docs/archive-format.md. Data blocks are never held in memory.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pgarc/dependency_list.hpp"
#include "pgarc/pg_string.hpp"

namespace pgarc {

/// Archive format version, compared as pg_dump's MAKE_ARCHIVE_VERSION does.
struct archive_version {
  std::uint8_t major = 1;
  std::uint8_t minor = 0;
  std::uint8_t rev = 0;
  friend constexpr auto operator<=>(const archive_version&, const archive_version&) = default;
};

// One constant per version in scope, named like pg_dump's K_VERS_*.
inline constexpr archive_version k_vers_1_10{1, 10, 0}; // 8.0: tablespace, server/pg_dump version strings
inline constexpr archive_version k_vers_1_11{1, 11, 0}; // 8.4: section
inline constexpr archive_version k_vers_1_12{1, 12, 0}; // 9.0: BLOB entries separate from BLOBS data
inline constexpr archive_version k_vers_1_13{1, 13, 0}; // 11, 10.3: SEARCHPATH, schema-qualified SQL
inline constexpr archive_version k_vers_1_14{1, 14, 0}; // 12: tableam
inline constexpr archive_version k_vers_1_15{1, 15, 0}; // 16: compression algorithm byte in header
inline constexpr archive_version k_vers_1_16{1, 16, 0}; // 17: relkind, BLOB METADATA
inline constexpr archive_version oldest_supported = k_vers_1_10;
inline constexpr archive_version newest_supported = k_vers_1_16;

/// Compression algorithm of every data stream (header field, see ReadHead).
enum class compression_algorithm : std::uint8_t { none = 0, gzip = 1, lz4 = 2, zstd = 3 };

enum class section : std::int64_t { none = 1, pre_data = 2, data = 3, post_data = 4 };

/// The custom format's per-entry data state (K_OFFSET_* in pg_backup_custom.c).
enum class offset_state : std::uint8_t { not_set = 1, position_set = 2, no_data = 3 };

/// How an archive is laid out: one file (pg_dump -Fc), a directory of files
/// (-Fd) or a tar stream (-Ft). The last two keep their header and TOC in a
/// toc.dat member and their data in one file per entry.
enum class archive_layout : std::uint8_t { custom, directory, tar };

/// The header's format byte (archCustom, archTar, archDirectory in
/// pg_backup.h). pg_dump writes archTar into the toc.dat of directory
/// archives too (_CloseArchive in pg_backup_directory.c).
inline constexpr std::uint8_t format_byte_custom = 1;
inline constexpr std::uint8_t format_byte_tar = 3;
inline constexpr std::uint8_t format_byte_directory = 5;

/// Data block types (BLK_* in pg_backup_custom.c).
enum class block_type : std::uint8_t { data = 1, blobs = 3 };

struct archive_header {
  archive_version version;
  std::uint8_t int_size = 4;
  std::uint8_t off_size = 8;
  std::uint8_t format = 1;
  /// Up to 1.14: the zlib level pg_dump was given (-1 default, 0 none, 1..9).
  std::int64_t compression_level = -1;
  /// From 1.15: the algorithm byte, kept raw so that unknown values round-trip.
  std::uint8_t compression_byte = 0;
  // Creation time as broken-down local time of the dumping machine.
  std::int64_t tm_sec = 0, tm_min = 0, tm_hour = 0, tm_mday = 0, tm_mon = 0, tm_year = 0,
               tm_isdst = 0;
  pg_string database_name;
  pg_string server_version;
  pg_string pg_dump_version;

  /// True when each entry's last TOC field names its data file (directory
  /// and tar formats) instead of holding a data offset (custom format).
  bool names_data_files() const noexcept { return format != format_byte_custom; }

  /// The algorithm every data stream uses, whatever the version.
  compression_algorithm compression() const noexcept;

  friend bool operator==(const archive_header&, const archive_header&) = default;
};

struct toc_entry {
  std::int64_t dump_id = 0;
  std::int64_t had_dumper = 0;
  pg_string table_oid;  // since 1.8
  pg_string oid;
  pg_string tag;
  pg_string desc;
  std::int64_t section = 0; // since 1.11; raw value (see enum section)
  pg_string defn;
  pg_string drop_stmt;
  pg_string copy_stmt;
  pg_string namespace_name;
  pg_string tablespace;     // since 1.10
  pg_string table_am;       // since 1.14
  std::int64_t relkind = 0; // since 1.16
  pg_string owner;
  pg_string with_oids;      // since 1.9
  dependency_list dependencies; // dump ids in decimal, as stored
  offset_state data_state = offset_state::no_data;
  std::uint64_t data_offset = 0; // meaningful when data_state == position_set
  /// Directory and tar formats: the data file's name as the TOC stores it
  /// ("4178.dat", "blobs.toc"; "" for no data), without the compression
  /// suffix the file has on disk. Empty in the custom format.
  std::string data_file;

  bool has_data() const noexcept { return had_dumper != 0; }
  /// desc, tag, namespace and owner as text, NULL read as "".
  std::string_view desc_text() const noexcept { return *desc; }
  std::string_view tag_text() const noexcept { return *tag; }

  /// Field by field, NULL unequal to "".
  friend bool operator==(const toc_entry&, const toc_entry&) = default;
};

/// Header and TOC of one archive; `data_start` is the byte offset just past
/// the TOC where the first data block (if any) begins in the file read.
struct archive {
  archive_header header;
  std::vector<toc_entry> entries;
  std::uint64_t data_start = 0;
  /// How the archive read was laid out (its header's format byte does not
  /// tell a directory from a tar archive).
  archive_layout layout = archive_layout::custom;

  friend bool operator==(const archive&, const archive&) = default;
};

/// Text of a pg_string with NULL shown as "".
inline std::string_view text_of(const pg_string& value) noexcept { return *value; }

} // namespace pgarc
