// SPDX-License-Identifier: PostgreSQL
// Copying the data area: every block, as block_cursor frames it, goes to the
// output without being decompressed, unless a stream_rewriter wants it.
#pragma once

#include "format/block_cursor.hpp"
#include "pgarc/archive.hpp"
#include "pgarc/stream_rewriter.hpp"
#include "pgarc/writer.hpp"

#include <cstdint>
#include <set>
#include <span>
#include <unordered_map>
#include <vector>

namespace pgarc::detail {

class byte_writer;

/// Where the copy put each entry's block in the output, by dump id.
using block_positions = std::unordered_map<std::int64_t, std::uint64_t>;

/// Largest decompressed stream a stream_rewriter is given.
inline constexpr std::size_t max_rewritten_stream = std::size_t{256} << 20;

/// A stream_rewriter and the TOC being written, whose entries it is shown.
struct block_rewriting {
  const stream_rewriter& rewriter;
  const std::vector<toc_entry>& entries;
};

/// Copies the data area from `in` (positioned just past the TOC) to `out`,
/// refusing any block whose framing does not match `blocks` (block_entries
/// of the TOC read), then copies any bytes after the last block verbatim.
/// The blocks whose entry in `rewriting->entries` its rewriter wants are
/// rewritten. Blocks of the entries in `skipped` (dropped from the TOC
/// written) are read and checked but not written. Returns the output
/// position of each block written. Throws format_error, io_error.
block_positions copy_data_area(byte_reader& in, byte_writer& out, const archive_header& header,
                               std::span<const block_entry> blocks, const block_rewriting* rewriting = nullptr,
                               const std::set<std::int64_t>* skipped = nullptr);

/// pg_dump's second WriteToc pass: every entry with a block in `positions`
/// gets POS_SET and its position, and the TOC (same size as before) is
/// written again at `toc_at` of the seekable `out`.
void overwrite_toc_with_positions(byte_sink& out, std::uint64_t toc_at, const archive_header& header,
                                  std::vector<toc_entry>& entries, const block_positions& positions);

/// The end of writing a custom archive whose TOC starts at `toc_at`: flush,
/// positions filled in when the sink can seek (see
/// overwrite_toc_with_positions), summary completed, sink committed.
void finish_custom_archive(byte_writer& writer, std::uint64_t toc_at, const archive_header& header,
                           std::vector<toc_entry>& entries, const block_positions& positions,
                           write_summary& summary);

} // namespace pgarc::detail
