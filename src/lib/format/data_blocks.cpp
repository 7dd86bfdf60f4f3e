// SPDX-License-Identifier: PostgreSQL
// Copies data blocks verbatim, or rewritten; see data_blocks.hpp.
#include "format/data_blocks.hpp"

#include "compress/codec.hpp"
#include "format/toc.hpp"
#include "io/byte_reader.hpp"
#include "io/byte_writer.hpp"
#include "pgarc/errors.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace pgarc::detail {

namespace {

class block_copier {
public:
  block_copier(block_cursor& cursor, byte_writer& out)
      : m_cursor(cursor), m_in(cursor.input()), m_out(out), m_sink(out) {}

  /// Copies one chunk list, up to and including its zero length: the runs
  /// of chunks already buffered as they are, the others one by one.
  void copy_chunks() {
    for (;;) {
      const block_cursor::chunk_run run = m_cursor.buffered_chunks();
      if (run.bytes != 0)
        m_in.copy_to(&m_sink, run.bytes, m_cursor.chunk_what());
      if (run.ends_list)
        return;
      const std::uint64_t length = m_cursor.next_chunk();
      write_pg_int(m_out, m_cursor.layout(), static_cast<std::int64_t>(length));
      if (length == 0)
        return;
      m_in.copy_to(&m_sink, length, m_cursor.chunk_what());
    }
  }

  /// Reads one chunk list, up to and including its zero length, and writes nothing.
  void skip_chunks() {
    while (const std::uint64_t length = m_cursor.next_chunk())
      m_in.copy_to(nullptr, length, m_cursor.chunk_what());
  }

  void skip_large_objects() {
    while (m_cursor.next_large_object() != 0)
      skip_chunks();
  }

  void copy_large_objects() {
    for (;;) {
      const std::int64_t oid = m_cursor.next_large_object();
      write_pg_int(m_out, m_cursor.layout(), oid);
      if (oid == 0)
        return;
      copy_chunks();
    }
  }

  /// Reads one chunk list, decompresses it, rewrites it and writes it back
  /// compressed with the same algorithm, in chunks as pg_dump writes them.
  void rewrite_chunks(const archive_header& header, const toc_entry& entry,
                      const stream_rewriter& rewriter) {
    auto decoder = make_decompressor(header.compression(), m_cursor.owner(), max_rewritten_stream);
    std::string stream;
    std::string payload;
    while (const std::uint64_t length = m_cursor.next_chunk(max_rewritten_stream)) {
      payload.clear();
      m_in.read_append(payload, length, m_cursor.chunk_what());
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
      write_pg_int(m_out, m_cursor.layout(), static_cast<std::int64_t>(length));
      m_out.write(std::string_view(compressed).substr(start, length));
    }
    write_pg_int(m_out, m_cursor.layout(), 0);
  }

private:
  block_cursor& m_cursor;
  byte_reader& m_in;
  byte_writer& m_out;
  writer_sink m_sink;
};

/// The error for an archive that ends before its last block.
[[noreturn]] void throw_missing(const block_cursor& cursor, std::uint64_t at) {
  const auto absent = cursor.missing();
  throw format_error("archive ends at byte " + std::to_string(at) +
                         " before the data block of TOC entry with dump id " +
                         std::to_string(absent.front()->dump_id) + " (" + std::to_string(absent.size()) +
                         (absent.size() == 1 ? " data block missing)" : " data blocks missing)"),
                     at);
}

} // namespace

block_positions copy_data_area(byte_reader& in, byte_writer& out, const archive_header& header,
                               std::span<const block_entry> blocks, const block_rewriting* rewriting,
                               const std::set<std::int64_t>* skipped) {
  // The entries the rewriter wants, by dump id: it is shown them as written.
  std::unordered_map<std::int64_t, const toc_entry*> rewritten;
  if (rewriting)
    for (const auto& entry : rewriting->entries)
      if (expects_block(entry) && rewriting->rewriter.wants(entry))
        rewritten.emplace(entry.dump_id, &entry);
  block_cursor cursor(in, header, blocks);
  block_copier copier(cursor, out);
  block_positions positions;
  while (const auto block = cursor.next_block()) {
    if (block->fault != block_fault::none)
      throw format_error(describe_fault(*block), block->offset);
    if (skipped && skipped->count(block->dump_id)) {
      // The entry was dropped: its block is read (and checked) but not written.
      if (block->type == block_type::blobs)
        copier.skip_large_objects();
      else
        copier.skip_chunks();
      continue;
    }
    positions.emplace(block->dump_id, out.offset());
    out.write_u8(static_cast<std::uint8_t>(block->type));
    write_pg_int(out, cursor.layout(), block->dump_id);
    if (block->type == block_type::blobs)
      copier.copy_large_objects();
    else if (const auto found = rewritten.find(block->dump_id); found != rewritten.end())
      copier.rewrite_chunks(header, *found->second, rewriting->rewriter);
    else
      copier.copy_chunks();
  }
  if (!cursor.missing().empty())
    throw_missing(cursor, in.offset());
  // Whatever follows the last block (some archives carry a copy of the TOC
  // there) is not ours to interpret: copy it as it is.
  writer_sink sink(out);
  in.copy_rest(sink);
  return positions;
}

void overwrite_toc_with_positions(byte_sink& out, std::uint64_t toc_at, const archive_header& header,
                                  std::vector<toc_entry>& entries, const block_positions& positions) {
  for (auto& entry : entries) {
    const auto found = positions.find(entry.dump_id);
    if (found == positions.end())
      continue;
    entry.data_state = offset_state::position_set;
    entry.data_offset = found->second;
  }
  memory_sink toc_bytes;
  byte_writer toc_writer(toc_bytes, 1 << 16);
  write_toc(toc_writer, header, entries);
  toc_writer.flush();
  out.overwrite_at(toc_at, toc_bytes.bytes());
}

void finish_custom_archive(byte_writer& writer, std::uint64_t toc_at, const archive_header& header,
                           std::vector<toc_entry>& entries, const block_positions& positions,
                           write_summary& summary) {
  writer.flush();
  summary.bytes_written = writer.offset();
  if (writer.sink().is_seekable()) {
    overwrite_toc_with_positions(writer.sink(), toc_at, header, entries, positions);
    summary.offsets_set = true;
  }
  writer.sink().commit();
}

} // namespace pgarc::detail
