// SPDX-License-Identifier: PostgreSQL
// Conversion between archive formats without decompressing: a custom
// archive's data blocks and a directory archive's data files hold the same
// compressed streams (one per table, one per large object), only framed
// differently: length-prefixed chunks in a block, the whole stream as a file.
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/directory.hpp"
#include "pgarc/io.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/tar.hpp"
#include "pgarc/writer.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pgarc {

/// Why the streams of an archive cannot be carried into another format as
/// they are.
enum class conversion_obstacle {
  none,
  /// gzip: the custom format's blocks hold zlib streams (RFC 1950, Adler-32
  /// of the data), a directory's .gz files gzip files (RFC 1952, CRC-32 and
  /// length of the data). The deflate data is the same, but the checksums
  /// can only be computed by decompressing.
  gzip_framing,
  /// The data files do not all use the header's compression (a directory
  /// whose files were recompressed by hand): a custom archive has one
  /// algorithm for all its blocks.
  mixed_compression,
};

/// The obstacle to converting an archive with `header` between the custom
/// and directory layouts (none when the two layouts are the same).
conversion_obstacle conversion_obstacle_of(const archive_header& header, archive_layout from,
                                           archive_layout to) noexcept;

/// Writes the custom-format archive read by `source`, with the TOC
/// `edited` (its contents, with changes among entries without data), as a
/// directory archive at `destination`: each block's chunks become one data
/// file, each BLOBS block a large-object list and one file per object.
/// Built and put in place as write_directory() does. Throws
/// unsupported_error when conversion_obstacle_of() is not none,
/// format_error for a damaged data area, io_error.
directory_write_summary write_directory_from_custom(archive_reader& source, archive edited,
                                                   const std::string& destination,
                                                   const directory_write_options& how = {});

/// Writes the directory archive `source`, with the TOC `edited`, as one
/// custom-format archive to `out`: each data file becomes a block of
/// chunks; offsets are filled in when `out` can seek, as pg_dump does.
/// Calls out.commit() on success. Throws unsupported_error (an obstacle),
/// io_error.
write_summary write_custom_from_directory(const directory_archive& source, archive edited, byte_sink& out,
                                          const stream_rewriter* rewriter = nullptr);

/// The directory archive `source` (uncompressed data only) as one tar
/// archive to `out`, laid out as pg_dump -Ft lays it out, without
/// restore.sql. Throws unsupported_error for compressed data, io_error.
write_summary write_tar_from_directory(const directory_archive& source, archive edited, byte_sink& out,
                                       const stream_rewriter* rewriter = nullptr);

/// The size of every stream in a custom archive's data area (each data
/// block's chunk payloads, each large object's), in the order they lie:
/// what a tar member's header must give before the member's data.
struct custom_stream_sizes {
  std::vector<std::uint64_t> streams;
};

/// Walks the data area of `source` (a reader of its own, whose contents were
/// not taken), reading every chunk length and skipping the payloads. Throws
/// format_error for a damaged data area, io_error.
custom_stream_sizes measure_custom_streams(archive_reader& source);

/// The custom archive read by `source` (uncompressed data only), with the
/// TOC `edited`, as one tar archive to `out`, laid out as pg_dump -Ft lays
/// it out without restore.sql: toc.dat (each data entry naming "<dump
/// id>.dat"), then per block in TOC order its member, or for a BLOBS block
/// one blob_OID.dat member per large object and then the list
/// (blobs_<dump id>.toc, blobs.toc before archive version 1.16). A tar
/// member's header gives its size before its data, so that size comes from
/// `sizes` (measured beforehand by measure_custom_streams() on a second
/// reading of the input) or, without them, from going back: `out` must then
/// be seekable, and each header is written again once its member is
/// complete. A rewritten stream is held in memory, so its size is known.
/// Calls out.commit() on success. Throws unsupported_error for compressed
/// data, blocks not in TOC order (pg_restore reads a tar archive's members
/// in TOC order and cannot go back), or an unseekable `out` without
/// `sizes`; format_error for a damaged data area; io_error, also when the
/// input no longer matches `sizes`.
write_summary write_tar_from_custom(archive_reader& source, archive edited, byte_sink& out,
                                    const stream_rewriter* rewriter = nullptr,
                                    const custom_stream_sizes* sizes = nullptr);

/// The tar archive read by `source` as a directory archive at
/// `destination` (each member a file, restore.sql left out), built and put
/// in place as write_directory() does. Throws format_error for a bad
/// member, io_error.
directory_write_summary write_directory_from_tar(tar_archive_reader& source, archive edited,
                                                 const std::string& destination,
                                                 const directory_write_options& how = {});

/// The tar archive read by `source` as one custom archive: each data member
/// a block of chunks, each run of large-object members up to their list a
/// BLOBS block. Offsets are filled in when `out` can seek. Throws
/// format_error, io_error.
write_summary write_custom_from_tar(tar_archive_reader& source, archive edited, byte_sink& out,
                                    const stream_rewriter* rewriter = nullptr);

} // namespace pgarc
