// SPDX-License-Identifier: PostgreSQL
// Copies data blocks verbatim while checking their framing; see data_blocks.hpp.
#include "format/data_blocks.hpp"

#include "compress/codec.hpp"
#include "io/byte_writer.hpp"
#include "pgarc/errors.hpp"

#include <string>

namespace pgarc::detail {

bool expects_block(const toc_entry& entry) noexcept {
  return entry.had_dumper != 0 && entry.data_state != offset_state::no_data;
}

namespace {

struct expected_block {
  const toc_entry* entry;
  bool found = false;
};

class block_copier {
public:
  block_copier(byte_reader& in, byte_writer& out, const archive_header& header)
      : m_in(in), m_out(out), m_sink(out), m_layout(layout_of(header)) {}

  std::int64_t copy_int(const std::string& what) {
    const std::int64_t value = read_pg_int(m_in, m_layout, what);
    write_pg_int(m_out, m_layout, value);
    return value;
  }

  /// Copies one chunk list, up to and including its zero length.
  void copy_chunks(const std::string& owner) {
    for (;;) {
      const std::uint64_t at = m_in.offset();
      const std::int64_t length = copy_int("chunk length in " + owner);
      if (length == 0)
        return;
      if (length < 0)
        throw format_error("chunk length in " + owner + " at byte " + std::to_string(at) +
                               " is negative (" + std::to_string(length) + ")",
                           at);
      const auto left = m_in.remaining();
      if (left && static_cast<std::uint64_t>(length) > *left)
        throw format_error("chunk in " + owner + " at byte " + std::to_string(at) + " claims " +
                               std::to_string(length) + " bytes but only " +
                               std::to_string(*left) + " follow",
                           at);
      m_in.copy_to(&m_sink, static_cast<std::uint64_t>(length), "chunk in " + owner);
    }
  }

  /// Reads one chunk list, decompresses it, rewrites it and writes it back
  /// compressed with the same algorithm, in chunks as pg_dump writes them.
  void rewrite_chunks(const archive_header& header, const toc_entry& entry,
                      const block_rewriter& rewriter, const std::string& owner) {
    auto decoder = make_decompressor(header.compression(), owner, max_rewritten_stream);
    std::string stream;
    std::string payload;
    for (;;) {
      const std::uint64_t at = m_in.offset();
      const std::int64_t length = read_pg_int(m_in, m_layout, "chunk length in " + owner);
      if (length == 0)
        break;
      if (length < 0 || static_cast<std::uint64_t>(length) > max_rewritten_stream)
        throw format_error("chunk length in " + owner + " at byte " + std::to_string(at) +
                               " is out of range (" + std::to_string(length) + ")",
                           at);
      payload.clear();
      m_in.read_append(payload, static_cast<std::uint64_t>(length), "chunk in " + owner);
      decoder->feed(std::as_bytes(std::span(payload.data(), payload.size())), stream);
    }
    decoder->finish(stream);
    const std::string rewritten = rewriter.rewrite(entry, std::move(stream));
    auto encoder = make_compressor(header.compression(), static_cast<int>(header.compression_level));
    std::string compressed;
    encoder->feed(std::as_bytes(std::span(rewritten.data(), rewritten.size())), compressed);
    encoder->finish(compressed);
    constexpr std::size_t chunk_size = 4096; // pg_dump's zlib output buffer
    for (std::size_t start = 0; start < compressed.size(); start += chunk_size) {
      const std::size_t length = std::min(chunk_size, compressed.size() - start);
      write_pg_int(m_out, m_layout, static_cast<std::int64_t>(length));
      m_out.write(std::string_view(compressed).substr(start, length));
    }
    write_pg_int(m_out, m_layout, 0);
  }

  void copy_blobs(const std::string& owner) {
    for (;;) {
      const std::int64_t oid = copy_int("large object OID in " + owner);
      if (oid == 0)
        return;
      copy_chunks("large object " + std::to_string(static_cast<std::uint32_t>(oid)) + " in " +
                  owner);
    }
  }

private:
  byte_reader& m_in;
  byte_writer& m_out;
  writer_sink m_sink;
  int_layout m_layout;
};

} // namespace

block_positions copy_data_area(byte_reader& in, byte_writer& out, const archive_header& header,
                               const std::vector<toc_entry>& entries,
                               const block_rewriter* rewriter) {
  std::unordered_map<std::int64_t, expected_block> expected;
  // Which entry's stored position names each byte, to catch a block found
  // where another entry's data should be (pg_restore: "found unexpected
  // block ID (%d) when reading data -- expected %d").
  std::unordered_map<std::uint64_t, std::int64_t> claimed_positions;
  for (const auto& entry : entries)
    if (expects_block(entry)) {
      expected.emplace(entry.dump_id, expected_block{&entry});
      if (entry.data_state == offset_state::position_set)
        claimed_positions.emplace(entry.data_offset, entry.dump_id);
    }

  block_copier copier(in, out, header);
  block_positions positions;
  std::size_t missing = expected.size();
  while (missing > 0) {
    const std::uint64_t at = in.offset();
    if (in.at_end()) {
      // Name the first missing block in TOC order, so the message is stable.
      for (const auto& entry : entries)
        if (expects_block(entry) && !expected.at(entry.dump_id).found)
          throw format_error("archive ends at byte " + std::to_string(at) +
                                 " before the data block of TOC entry with dump id " +
                                 std::to_string(entry.dump_id) + " (" +
                                 std::to_string(missing) +
                                 (missing == 1 ? " data block missing)" : " data blocks missing)"),
                             at);
    }
    const std::uint8_t type = in.read_u8("data block type");
    if (type != static_cast<std::uint8_t>(block_type::data) &&
        type != static_cast<std::uint8_t>(block_type::blobs))
      throw format_error("unrecognized data block type " + std::to_string(type) + " at byte " +
                             std::to_string(at),
                         at);
    const std::uint64_t out_at = out.offset();
    out.write_u8(type);
    const std::string where = "data block at byte " + std::to_string(at);
    const std::int64_t dump_id = copier.copy_int("dump id of " + where);
    const auto claimed = claimed_positions.find(at);
    if (claimed != claimed_positions.end() && claimed->second != dump_id)
      throw format_error(where + " belongs to dump id " + std::to_string(dump_id) +
                             ", but the data offset of TOC entry with dump id " +
                             std::to_string(claimed->second) + " points there",
                         at);
    auto found = expected.find(dump_id);
    if (found == expected.end())
      throw format_error(where + " belongs to dump id " + std::to_string(dump_id) +
                             ", which has no TOC entry with data",
                         at);
    auto& block = found->second;
    if (block.found)
      throw format_error(where + " repeats the data block of dump id " + std::to_string(dump_id),
                         at);
    const toc_entry& entry = *block.entry;
    const bool is_blobs = entry.desc_text() == "BLOBS";
    if (is_blobs != (type == static_cast<std::uint8_t>(block_type::blobs)))
      throw format_error(where + " has type " + std::to_string(type) + " but its TOC entry (" +
                             entry.desc_text() + " " + entry.tag_text() + ", dump id " +
                             std::to_string(dump_id) + ") needs type " + (is_blobs ? "3" : "1"),
                         at);
    if (entry.data_state == offset_state::position_set && entry.data_offset != at)
      throw format_error("data offset of TOC entry with dump id " + std::to_string(dump_id) +
                             " points at byte " + std::to_string(entry.data_offset) +
                             " but its block starts at byte " + std::to_string(at),
                         at);
    block.found = true;
    --missing;
    positions.emplace(dump_id, out_at);
    const std::string owner = "data block of dump id " + std::to_string(dump_id);
    if (is_blobs)
      copier.copy_blobs(owner);
    else if (rewriter && rewriter->wants(entry))
      copier.rewrite_chunks(header, entry, *rewriter, owner);
    else
      copier.copy_chunks(owner);
  }
  // Whatever follows the last block (some archives carry a copy of the TOC
  // there) is not ours to interpret: copy it as it is.
  writer_sink sink(out);
  in.copy_rest(sink);
  return positions;
}

} // namespace pgarc::detail
