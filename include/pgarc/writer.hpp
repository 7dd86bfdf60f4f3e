// SPDX-License-Identifier: PostgreSQL
// Writing an archive: a (possibly edited) TOC followed by the data area copied
// from the archive it was read from.
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/io.hpp"
#include "pgarc/reader.hpp"

#include <cstdint>

namespace pgarc {

struct write_summary {
  std::uint64_t bytes_written = 0;
  std::uint64_t data_blocks = 0;
  /// True when every data-bearing entry got its block's position (seekable
  /// output, or input that had positions); false when they stay "not set".
  bool offsets_set = false;
};

/// Writes `edited` to `out`, then every data block of `source` verbatim, and
/// whatever followed the last block. `edited` must be `source.contents()` with
/// entries changed, added or removed only among entries without data, in an
/// order that is still a valid creation order. When `out` is seekable every
/// data-bearing entry gets its block's position (as pg_dump does when it can
/// seek); otherwise positions the input had are shifted by the change in TOC
/// size. Calls out.commit() only on success. Throws format_error, io_error.
write_summary write_archive(archive_reader& source, const archive& edited, byte_sink& out);

} // namespace pgarc
