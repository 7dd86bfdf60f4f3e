// SPDX-License-Identifier: PostgreSQL
// verify_archive: decodes every data stream without keeping it; see
// include/pgarc/verify.hpp. The blocks are framed by block_cursor, as for a copy.
#include "pgarc/verify.hpp"

#include "compress/codec.hpp"
#include "format/block_cursor.hpp"
#include "format/copy_terminator.hpp"
#include "io/byte_reader.hpp"
#include "pgarc/errors.hpp"
#include "reader_gate.hpp"
#include "verify_problems.hpp"

#include <algorithm>
#include <unordered_map>

namespace pgarc {

namespace {

/// Compressed bytes decoded at once: at most 32 MiB of output (zstd), 1 MiB
/// (zlib), far less (lz4).
constexpr std::size_t verify_slice = 1024;

using detail::stream_tail;

class verifier {
public:
  verifier(archive_reader& source)
      : m_contents(source.contents()), m_cursor(detail::reader_gate::data_stream(source), m_contents.header,
                                                detail::reader_gate::data_entries(source)) {
    for (const auto& entry : m_contents.entries)
      if (detail::expects_block(entry))
        m_entries.emplace(entry.dump_id, &entry); // the first of a dump id, as the cursor
  }

  verify_report run() {
    try {
      while (const auto block = m_cursor.next_block()) {
        if (block->fault != detail::block_fault::none)
          problem(entry_of(block->entry), block->offset, detail::describe_fault(*block));
        if (!block->entry) {
          skip_block(block->type);
          continue;
        }
        ++m_report.data_blocks;
        const toc_entry& entry = *entry_of(block->entry);
        if (block->type == block_type::blobs)
          check_blobs(entry);
        else
          check_stream(entry, entry.desc_text() != "BLOBS" && entry.copy_stmt && !entry.copy_stmt->empty());
      }
    } catch (const format_error& failure) {
      problem(nullptr, failure.offset(), failure.what());
    }
    for (const detail::block_entry* entry : m_cursor.missing())
      problem(entry_of(entry), m_cursor.input().offset(), "no data block found for this entry");
    return std::move(m_report);
  }

private:
  /// The TOC entry of a block the cursor names (nullptr for none).
  const toc_entry* entry_of(const detail::block_entry* block) const {
    return block ? m_entries.at(block->dump_id) : nullptr;
  }

  void problem(const toc_entry* entry, std::uint64_t offset, std::string message) {
    detail::add_problem(m_report, entry, offset, std::move(message));
  }

  /// Reads one chunk list, feeding payloads to `decoder` (nullptr: skip).
  /// Returns false when the stream had a decoding problem (already reported).
  bool read_chunks(const toc_entry* entry, detail::decompressor* decoder, stream_tail* tail) {
    detail::byte_reader& in = m_cursor.input();
    std::string payload, produced;
    bool healthy = true;
    for (;;) {
      const std::uint64_t at = in.offset();
      const std::uint64_t length = m_cursor.next_chunk();
      if (length == 0)
        break;
      payload.clear();
      in.read_append(payload, length, m_cursor.chunk_what());
      m_report.compressed_bytes += payload.size();
      if (!decoder || !healthy)
        continue;
      try {
        // A little at a time, emptying the output after each piece: a few
        // compressed bytes can decode to gigabytes (a zstd RLE block turns 4
        // bytes into 128 KiB), so one chunk at once would be unbounded.
        const std::span<const std::byte> all = std::as_bytes(std::span(payload.data(), payload.size()));
        for (std::size_t start = 0; start < all.size(); start += verify_slice) {
          decoder->feed(all.subspan(start, std::min(verify_slice, all.size() - start)), produced);
          m_report.decompressed_bytes += produced.size();
          if (tail)
            tail->append(produced);
          produced.clear();
        }
      } catch (const format_error& failure) {
        problem(entry, at, failure.what());
        healthy = false;
      }
    }
    if (decoder && healthy) {
      try {
        decoder->finish(produced);
        m_report.decompressed_bytes += produced.size();
        if (tail)
          tail->append(produced);
      } catch (const format_error& failure) {
        problem(entry, in.offset(), failure.what());
        healthy = false;
      }
    }
    return healthy;
  }

  void check_stream(const toc_entry& entry, bool is_copy) {
    auto decoder = decoder_for(m_cursor.owner());
    stream_tail tail;
    const std::uint64_t start = m_cursor.input().offset();
    if (read_chunks(&entry, decoder.get(), &tail) && decoder && is_copy &&
        !detail::ends_with_copy_terminator(tail.tail, tail.total))
      problem(&entry, start, "the COPY data does not end with its terminator (\\.)");
  }

  /// A decoder for the archive's algorithm; nullptr (reported once, and the
  /// streams then only framed) when the header names one pgarc cannot decode.
  std::unique_ptr<detail::decompressor> decoder_for(const std::string& owner) {
    try {
      return detail::make_decompressor(m_contents.header.compression(), owner);
    } catch (const unsupported_error& unknown) {
      if (!m_reported_unknown_algorithm)
        problem(nullptr, 0, std::string(unknown.what()) + "; no stream is decompressed");
      m_reported_unknown_algorithm = true;
      return nullptr;
    }
  }

  void check_blobs(const toc_entry& entry) {
    while (m_cursor.next_large_object() != 0) {
      ++m_report.large_objects;
      auto decoder = decoder_for(m_cursor.owner());
      read_chunks(&entry, decoder.get(), nullptr);
    }
  }

  void skip_block(block_type type) {
    if (type == block_type::blobs) {
      while (m_cursor.next_large_object() != 0)
        read_chunks(nullptr, nullptr, nullptr);
    } else {
      read_chunks(nullptr, nullptr, nullptr);
    }
  }

  const archive& m_contents;
  std::unordered_map<std::int64_t, const toc_entry*> m_entries; // by dump id, those with data
  detail::block_cursor m_cursor;
  verify_report m_report;
  bool m_reported_unknown_algorithm = false;
};

} // namespace

verify_report verify_archive(archive_reader& source) { return verifier(source).run(); }

verify_report verify_archive(byte_source& source) {
  archive_reader reader(source);
  return verify_archive(reader);
}

} // namespace pgarc

#include "text/json.hpp"

namespace pgarc {

std::string format_verify_json(const verify_report& report) {
  std::string out = "{\"ok\": ";
  out += report.ok() ? "true" : "false";
  out += ", \"data_blocks\": " + std::to_string(report.data_blocks);
  out += ", \"large_objects\": " + std::to_string(report.large_objects);
  out += ", \"compressed_bytes\": " + std::to_string(report.compressed_bytes);
  out += ", \"decompressed_bytes\": " + std::to_string(report.decompressed_bytes);
  out += ", \"problems\": [";
  for (std::size_t index = 0; index < report.problems.size(); ++index) {
    const auto& problem = report.problems[index];
    out += index ? ",\n  " : "\n  ";
    out += "{\"id\": " + std::to_string(problem.dump_id) + ", \"desc\": ";
    detail::append_json_string(out, problem.desc);
    out += ", \"tag\": ";
    detail::append_json_string(out, problem.tag);
    out += ", \"offset\": " + std::to_string(problem.offset) + ", \"message\": ";
    detail::append_json_string(out, problem.message);
    out += "}";
  }
  out += "]}\n";
  return out;
}

} // namespace pgarc
