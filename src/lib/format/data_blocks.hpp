// SPDX-License-Identifier: PostgreSQL
// The data area: one block per TOC entry with data, each a type byte, a dump
// id and length-prefixed chunks ending in a zero length (BLK_BLOBS: per large
// object an OID and such a chunk list, ending in OID 0). Blocks are copied
// without decompressing. See _StartData, _skipData, _skipLOs in pg_backup_custom.c.
#pragma once

#include "format/header.hpp"
#include "pgarc/archive.hpp"
#include "pgarc/writer.hpp"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace pgarc::detail {

/// Where the copy put each entry's block in the output, by dump id.
using block_positions = std::unordered_map<std::int64_t, std::uint64_t>;

/// True when pg_restore looks for a data block for this entry.
bool expects_block(const toc_entry& entry) noexcept;

using block_rewriter = pgarc::stream_rewriter;

/// Largest decompressed stream a block_rewriter is given.
inline constexpr std::size_t max_rewritten_stream = std::size_t{256} << 20;

/// Copies the data area from `in` (positioned just past the TOC) to `out`,
/// checking every block's framing against `entries`, then copies any bytes
/// after the last block verbatim. Returns the output position of each block.
block_positions copy_data_area(byte_reader& in, byte_writer& out, const archive_header& header,
                               const std::vector<toc_entry>& entries,
                               const block_rewriter* rewriter = nullptr);

} // namespace pgarc::detail
