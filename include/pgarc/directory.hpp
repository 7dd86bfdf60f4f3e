// SPDX-License-Identifier: PostgreSQL
// Directory-format archives (pg_dump -Fd): a toc.dat with the custom
// format's header and TOC, and one file per data entry (pg_backup_directory.c).
// Reading checks every file the TOC names; writing builds a new directory
// beside the destination and renames it into place.
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/stream_rewriter.hpp"
#include "pgarc/verify.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pgarc {

/// One large object of a BLOBS entry, as its blobs.toc line names it.
struct large_object_file {
  std::uint32_t oid = 0;
  std::string name; ///< as in blobs.toc ("blob_17538.dat")
  std::string file; ///< as found on disk, with its compression suffix
  compression_algorithm compression = compression_algorithm::none;
  std::uint64_t size = 0;
};

/// The file behind one TOC entry with data.
struct data_file {
  std::int64_t dump_id = 0;
  std::string name; ///< as the TOC names it ("4178.dat", "blobs.toc")
  std::string file; ///< as found on disk ("4178.dat.gz"); the large-object list for BLOBS
  /// From the file's suffix, as pg_restore picks its decompressor
  /// (InitDiscoverCompressFileHandle); gzip here is a gzip file, not the
  /// custom format's zlib stream.
  compression_algorithm compression = compression_algorithm::none;
  std::uint64_t size = 0;
  bool is_blobs = false;
  std::vector<large_object_file> large_objects; ///< BLOBS entries only
};

/// True when `path` names a directory archive: a directory, or a regular
/// file whose name is "toc.dat". Never throws.
bool is_directory_archive(const std::string& path) noexcept;

/// The header, TOC and data files of a directory archive, read and checked
/// on construction. Throws format_error when toc.dat is damaged or a data
/// file is not acceptable (a name with "/" or "..", a missing or empty file,
/// a symbolic link that leads outside the directory, a bad blobs.toc line);
/// the message names the member. Throws unsupported_error and io_error too.
class directory_archive {
public:
  /// `path` is the directory or its toc.dat.
  explicit directory_archive(const std::string& path);

  const std::string& directory() const noexcept { return m_directory; }
  const archive& contents() const noexcept { return m_archive; }
  const std::vector<data_file>& files() const noexcept { return m_files; }
  /// The data file of `dump_id`, or nullptr.
  const data_file* file_of(std::int64_t dump_id) const noexcept;

private:
  std::string m_directory;
  archive m_archive;
  std::vector<data_file> m_files;
};

/// How files that do not change reach the new directory.
enum class carry_over {
  /// A reflink (FICLONE) where the filesystem allows it, else
  /// copy_file_range, else read and write.
  clone_or_copy,
  /// A hard link: the new archive shares the files with the old one, as
  /// pg_upgrade --link does; changing one changes the other.
  hard_link,
};

struct directory_write_options {
  const stream_rewriter* rewriter = nullptr;
  carry_over carry = carry_over::clone_or_copy;
  /// Flush every file and the directory before the rename (pg_dump does).
  bool sync = true;
  /// Replace `destination`, an existing directory archive, atomically
  /// (renameat2 RENAME_EXCHANGE), then remove the old one.
  bool replace = false;
  /// Called with the temporary directory's path as soon as it exists, so
  /// that a caller can remove it on a signal.
  std::function<void(const std::string&)> on_temporary;
};

/// What happened to each file.
struct directory_write_summary {
  std::uint64_t files_rewritten = 0; ///< decompressed, changed, compressed again
  std::uint64_t files_cloned = 0;    ///< reflinks
  std::uint64_t files_linked = 0;    ///< hard links
  std::uint64_t files_copied = 0;    ///< bytes copied
  std::uint64_t bytes_copied = 0;
};

/// Writes `edited` (source.contents() with entries changed, added or
/// removed only among entries without data) as a new directory archive at
/// `destination`, which must not exist or be an empty directory (unless
/// `how.replace`). Everything is built under a temporary name beside it and
/// renamed into place when complete; on failure the temporary directory is
/// removed and nothing else changes. Throws io_error, format_error.
directory_write_summary write_directory(const directory_archive& source, archive edited,
                                        const std::string& destination,
                                        const directory_write_options& how = {});

/// Decompresses every data file and large object of `source` and checks it
/// as verify_archive() checks blocks (complete streams, COPY terminators).
/// Problems are collected, with `offset` 0; throws only io_error.
verify_report verify_directory(const directory_archive& source);

} // namespace pgarc
