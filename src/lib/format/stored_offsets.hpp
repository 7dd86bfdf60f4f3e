// SPDX-License-Identifier: PostgreSQL
// Finding the data blocks of a file by the offsets its TOC stores, reading
// their headers only: the data area's check when it is copied unchanged from
// file to file, where walking every chunk would cost more than the copy.
#pragma once

#include "format/data_blocks.hpp"
#include "pgarc/archive.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace pgarc::detail {

/// Blocks of `entries` at least this long on average are found by their
/// stored offsets; shorter ones are walked, which then costs less than a
/// read per block.
inline constexpr std::uint64_t stored_offsets_min_block = std::uint64_t{256} << 10;

/// The blocks of the file `fd` (the archive starts at byte `base`; its data
/// area runs from `data_start` to `end`), found by their stored offsets,
/// with their positions in the input. It holds when every entry of `blocks`
/// has its offset stored, the offsets are distinct and the first is
/// `data_start`, at each offset is that entry's block header (type byte, dump
/// id), and the data area ends with a zero length, as every chunk list and
/// BLOBS block does. nullopt when any of that fails, or when blocks are
/// shorter than stored_offsets_min_block on average: the caller then walks the
/// data area, which names what is wrong.
///
/// What it does not check is the chunk framing inside each block. Copied
/// unchanged, with every offset moved by the same amount, a block reads in
/// the output exactly as in the input, and pg_restore seeks to it by its
/// offset there as here; --verify decodes every chunk.
std::optional<block_positions> blocks_at_stored_offsets(int fd, std::uint64_t base, std::uint64_t data_start,
                                                        std::uint64_t end, const archive_header& header,
                                                        std::span<const block_entry> blocks);

} // namespace pgarc::detail
