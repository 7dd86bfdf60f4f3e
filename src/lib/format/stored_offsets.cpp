// SPDX-License-Identifier: PostgreSQL
// Data blocks found by their stored offsets; see stored_offsets.hpp.
#include "format/stored_offsets.hpp"

#include "format/block_cursor.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <unistd.h>

namespace pgarc::detail {

namespace {

/// Reads `length` bytes at `offset` of `fd`; false when fewer are there.
bool read_at(int fd, std::uint64_t offset, std::byte* out, std::size_t length) {
  while (length > 0) {
    const ssize_t got = ::pread(fd, out, length, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return false;
    out += got;
    length -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

/// A pg_dump int: a sign byte, then `width` bytes, least significant first.
/// nullopt for a negative one.
std::optional<std::uint64_t> plain_int(const std::byte* field, std::size_t width) {
  if (field[0] != std::byte{0})
    return std::nullopt;
  std::uint64_t value = 0;
  for (std::size_t index = width; index >= 1; --index)
    value = (value << 8) | std::to_integer<std::uint8_t>(field[index]);
  return value;
}

} // namespace

std::optional<block_positions> blocks_at_stored_offsets(int fd, std::uint64_t base, std::uint64_t data_start,
                                                        std::uint64_t end, const archive_header& header,
                                                        std::span<const block_entry> entries) {
  const std::size_t width = header.int_size;
  if (width == 0 || width > 8 || end <= data_start)
    return std::nullopt;
  struct stored {
    std::uint64_t offset;
    const block_entry* entry;
  };
  std::vector<stored> blocks;
  for (const auto& entry : entries) {
    if (entry.data_state != offset_state::position_set)
      return std::nullopt;
    blocks.push_back({entry.data_offset, &entry});
  }
  if (blocks.empty() || (end - data_start) / blocks.size() < stored_offsets_min_block)
    return std::nullopt;
  std::sort(blocks.begin(), blocks.end(), [](const stored& left, const stored& right) {
    return left.offset < right.offset;
  });
  if (blocks.front().offset != data_start)
    return std::nullopt;

  const std::size_t header_size = 1 + 1 + width; // type byte, dump id
  const std::size_t zero_size = 1 + width;       // the closing zero length
  std::array<std::byte, 1 + 1 + 8> field{};
  block_positions positions;
  for (std::size_t index = 0; index < blocks.size(); ++index) {
    const stored& block = blocks[index];
    const std::uint64_t next = index + 1 < blocks.size() ? blocks[index + 1].offset : end;
    // Room for the header and at least the zero length that ends the block.
    if (next <= block.offset || next - block.offset < header_size + zero_size)
      return std::nullopt;
    if (!read_at(fd, base + block.offset, field.data(), header_size))
      return std::nullopt;
    const auto type = static_cast<std::uint8_t>(block.entry->blobs ? block_type::blobs : block_type::data);
    const auto dump_id = plain_int(field.data() + 1, width);
    if (std::to_integer<std::uint8_t>(field[0]) != type || !dump_id ||
        *dump_id != static_cast<std::uint64_t>(block.entry->dump_id))
      return std::nullopt;
    if (!positions.emplace(block.entry->dump_id, block.offset).second)
      return std::nullopt; // two entries with one dump id
  }
  if (!read_at(fd, base + end - zero_size, field.data(), zero_size) || plain_int(field.data(), width) != 0u)
    return std::nullopt;
  return positions;
}

} // namespace pgarc::detail
