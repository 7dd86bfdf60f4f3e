// SPDX-License-Identifier: PostgreSQL
// The data area's framing, block by block; see block_cursor.hpp.
#include "format/block_cursor.hpp"

#include "io/byte_reader.hpp"
#include "pgarc/errors.hpp"

#include <algorithm>

namespace pgarc::detail {

bool expects_block(const toc_entry& entry) noexcept {
  return entry.had_dumper != 0 && entry.data_state != offset_state::no_data;
}

std::vector<block_entry> block_entries(const std::vector<toc_entry>& entries) {
  std::vector<block_entry> blocks;
  blocks.reserve(static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), expects_block)));
  for (const auto& entry : entries)
    if (expects_block(entry))
      blocks.push_back({entry.dump_id, entry.data_state, entry.desc_text() == "BLOBS", entry.data_offset, entry.desc,
                        entry.tag});
  return blocks;
}

namespace {

/// The first thing wrong with `block` (its entry, claimed_by filled in), in
/// the order pg_restore would stumble on them.
block_fault judge(const block_header& block, bool already_found) {
  if (block.claimed_by != 0)
    return block_fault::claimed;
  if (!block.entry)
    return block_fault::unknown_dump_id;
  if (already_found)
    return block_fault::repeated;
  if (block.entry->blobs != (block.type == block_type::blobs))
    return block_fault::wrong_type;
  if (block.entry->data_state == offset_state::position_set && block.entry->data_offset != block.offset)
    return block_fault::offset_elsewhere;
  return block_fault::none;
}

} // namespace

std::string describe_fault(const block_header& block) {
  const std::string where = "data block at byte " + std::to_string(block.offset);
  const std::string id = std::to_string(block.dump_id);
  switch (block.fault) {
  case block_fault::none:
    return {};
  case block_fault::unknown_dump_id:
    return where + " belongs to dump id " + id + ", which has no TOC entry with data";
  case block_fault::repeated:
    return where + " repeats the data block of dump id " + id;
  case block_fault::wrong_type: {
    const block_entry& entry = *block.entry;
    return where + " has type " + std::to_string(static_cast<int>(block.type)) + " but its TOC entry (" +
           std::string(text_of(entry.desc)) + " " + std::string(text_of(entry.tag)) + ", dump id " + id +
           ") needs type " + (entry.blobs ? "3" : "1");
  }
  case block_fault::offset_elsewhere:
    return "data offset of TOC entry with dump id " + id + " points at byte " +
           std::to_string(block.entry->data_offset) + " but its block starts at byte " +
           std::to_string(block.offset);
  case block_fault::claimed:
    return where + " belongs to dump id " + id + ", but the data offset of TOC entry with dump id " +
           std::to_string(block.claimed_by) + " points there";
  }
  return {};
}

block_cursor::block_cursor(byte_reader& in, const archive_header& header, std::span<const block_entry> entries)
    : m_in(in), m_layout{header.int_size, header.off_size}, m_entries(entries) {
  m_expected.reserve(entries.size());
  for (const auto& entry : entries)
    if (m_expected.emplace(entry.dump_id, expected_block{&entry}).second) {
      ++m_missing;
      if (entry.data_state == offset_state::position_set)
        m_claimed.emplace(entry.data_offset, entry.dump_id);
    }
}

std::optional<block_header> block_cursor::next_block() {
  if (m_missing == 0 || m_in.at_end())
    return std::nullopt;
  block_header block;
  block.offset = m_in.offset();
  const std::uint8_t type = m_in.read_u8("data block type");
  if (type != static_cast<std::uint8_t>(block_type::data) &&
      type != static_cast<std::uint8_t>(block_type::blobs))
    throw format_error("unrecognized data block type " + std::to_string(type) + " at byte " +
                           std::to_string(block.offset),
                       block.offset);
  block.type = static_cast<block_type>(type);
  block.dump_id =
      read_pg_int(m_in, m_layout, "dump id of data block at byte " + std::to_string(block.offset));
  m_block_owner = "data block of dump id " + std::to_string(block.dump_id);
  m_oid_what = "large object OID in " + m_block_owner;
  set_owner(m_block_owner);

  const auto claimed = m_claimed.find(block.offset);
  if (claimed != m_claimed.end() && claimed->second != block.dump_id)
    block.claimed_by = claimed->second;
  const auto found = m_expected.find(block.dump_id);
  expected_block* expected = found == m_expected.end() ? nullptr : &found->second;
  if (expected)
    block.entry = expected->entry;
  block.fault = judge(block, expected != nullptr && expected->found);
  if (expected && !expected->found) {
    expected->found = true;
    --m_missing;
  }
  return block;
}

std::uint64_t block_cursor::next_chunk(std::uint64_t limit) {
  const std::uint64_t at = m_in.offset();
  const std::int64_t length = read_pg_int(m_in, m_layout, m_chunk_length_what);
  if (length < 0)
    throw format_error("chunk length in " + m_owner + " at byte " + std::to_string(at) +
                           " is negative (" + std::to_string(length) + ")",
                       at);
  const auto size = static_cast<std::uint64_t>(length);
  if (size > limit)
    throw format_error("chunk length in " + m_owner + " at byte " + std::to_string(at) +
                           " is out of range (" + std::to_string(length) + ")",
                       at);
  const auto left = m_in.remaining();
  if (left && size > *left)
    throw format_error("chunk in " + m_owner + " at byte " + std::to_string(at) + " claims " +
                           std::to_string(size) + " bytes but only " + std::to_string(*left) + " follow",
                       at);
  return size;
}

block_cursor::chunk_run block_cursor::buffered_chunks() {
  chunk_run run;
  const std::size_t width = m_layout.int_size;
  if (width > 8)
    return run;
  const std::span<const std::byte> window = m_in.buffered_bytes();
  const std::size_t field = 1 + width;
  std::size_t at = 0;
  while (window.size() - at >= field) {
    const std::byte* length_field = window.data() + at;
    if (length_field[0] != std::byte{0})
      break;
    std::uint64_t length = 0;
    for (std::size_t index = width; index >= 1; --index)
      length = (length << 8) | std::to_integer<std::uint8_t>(length_field[index]);
    if (length == 0) {
      run.bytes = at + field;
      run.ends_list = true;
      return run;
    }
    if (length > window.size() - at - field)
      break;
    at += field + length;
  }
  run.bytes = at;
  return run;
}

std::int64_t block_cursor::next_large_object() {
  const std::int64_t oid = read_pg_int(m_in, m_layout, m_oid_what);
  set_owner(oid == 0 ? m_block_owner
                     : "large object " + std::to_string(static_cast<std::uint32_t>(oid)) + " in " +
                           m_block_owner);
  return oid;
}

void block_cursor::set_owner(std::string owner) {
  m_owner = std::move(owner);
  m_chunk_length_what = "chunk length in " + m_owner;
  m_chunk_what = "chunk in " + m_owner;
}

std::vector<const block_entry*> block_cursor::missing() const {
  std::vector<const block_entry*> absent;
  for (const auto& entry : m_entries) {
    const auto found = m_expected.find(entry.dump_id);
    if (found->second.entry == &entry && !found->second.found)
      absent.push_back(&entry);
  }
  return absent;
}

} // namespace pgarc::detail
