// SPDX-License-Identifier: PostgreSQL
// Writing an archive: a (possibly edited) TOC followed by the data area copied
// from the archive it was read from.
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/io.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/stream_rewriter.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace pgarc {

struct write_summary {
  std::uint64_t bytes_written = 0;
  std::uint64_t data_blocks = 0;
  /// True when every data-bearing entry got its block's position (seekable
  /// output, or input that had positions); false when they stay "not set".
  bool offsets_set = false;
};

struct write_options {
  /// Rewrites chosen data streams (nullptr: copy every block verbatim).
  const stream_rewriter* rewriter = nullptr;
  /// Called as input is consumed with the input offset reached, about once a MiB.
  std::function<void(std::uint64_t bytes_read)> progress;
  /// Dump id of an entry whose drop statement is a comment line (0: none).
  /// When the TOC changes size, spaces are added at the end of that comment
  /// so that the data area starts at the same offset modulo 4096 as in the
  /// input: pages are then copied whole, at the speed of cat. pg_restore
  /// prints the comment only with --clean.
  std::int64_t padding_entry = 0;
};

/// Writes `edited` to `out`, then every data block of `source` verbatim, and
/// whatever followed the last block. `edited` must be `source.contents()` (or
/// what `source.take_contents()` returned; pass it with std::move) with
/// entries changed, added or removed, in an order that is still a valid
/// creation order; an entry with data may be removed (its block is then left
/// out), not added. When `out` is seekable every
/// data-bearing entry gets its block's position (as pg_dump does when it can
/// seek); otherwise positions the input had are shifted by the change in TOC
/// size; when `how.rewriter` changes a block and `out` cannot seek, positions are
/// written as "not set" (pg_restore then scans for blocks). Calls
/// out.commit() only on success. Throws format_error, io_error.
write_summary write_archive(archive_reader& source, archive edited, byte_sink& out,
                            const write_options& how = {});

} // namespace pgarc
