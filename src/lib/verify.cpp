// SPDX-License-Identifier: PostgreSQL
// verify_archive: decodes every data stream without keeping it; see
// include/pgarc/verify.hpp. The framing rules are those of data_blocks.cpp.
#include "pgarc/verify.hpp"

#include "compress/codec.hpp"
#include "format/data_blocks.hpp"
#include "format/header.hpp"
#include "io/byte_reader.hpp"
#include "pgarc/errors.hpp"

#include <map>

namespace pgarc {

namespace {

/// Compressed bytes decoded at once: at most 32 MiB of output (zstd), 1 MiB
/// (zlib), far less (lz4).
constexpr std::size_t verify_slice = 1024;

/// Keeps only the last bytes of a stream: enough to check its terminator
/// without holding the data.
class stream_tail {
public:
  void append(std::string& produced) {
    total += produced.size();
    tail += produced;
    if (tail.size() > 64)
      tail.erase(0, tail.size() - 64);
    produced.clear();
  }
  std::string tail;
  std::uint64_t total = 0;
};

/// The COPY data terminator pg_dump writes after the rows: a line "\." and
/// newlines. `tail` holds the stream's last bytes, `total` its length.
bool ends_with_copy_terminator(const std::string& tail, std::uint64_t total) {
  std::size_t end = tail.size();
  while (end > 0 && tail[end - 1] == '\n')
    --end;
  if (end == tail.size() || end < 2 || tail.compare(end - 2, 2, "\\.") != 0)
    return false;
  if (end == 2)
    return total == tail.size(); // an empty table: the stream is only the terminator
  return tail[end - 3] == '\n';
}

class verifier {
public:
  verifier(archive_reader& source)
      : m_in(source.data_stream()), m_contents(source.contents()),
        m_layout(detail::layout_of(m_contents.header)) {}

  verify_report run() {
    std::map<std::int64_t, const toc_entry*> expected;
    for (const auto& entry : m_contents.entries)
      if (detail::expects_block(entry))
        expected.emplace(entry.dump_id, &entry);
    std::map<std::int64_t, bool> seen;
    try {
      while (seen.size() < expected.size()) {
        const std::uint64_t at = m_in.offset();
        if (m_in.at_end())
          break;
        const std::uint8_t type = m_in.read_u8("data block type");
        if (type != 1 && type != 3) {
          problem(nullptr, at, "unrecognized data block type " + std::to_string(type) + " at byte " +
                                   std::to_string(at) + "; the rest of the file cannot be read");
          break;
        }
        const std::int64_t dump_id = detail::read_pg_int(m_in, m_layout, "dump id of data block");
        auto found = expected.find(dump_id);
        if (found == expected.end()) {
          problem(nullptr, at, "data block at byte " + std::to_string(at) + " belongs to dump id " +
                                   std::to_string(dump_id) + ", which has no TOC entry with data");
          skip_block(type, "data block of dump id " + std::to_string(dump_id));
          continue;
        }
        const toc_entry& entry = *found->second;
        if (seen.count(dump_id))
          problem(&entry, at, "a second data block for this entry at byte " + std::to_string(at));
        seen[dump_id] = true;
        const bool is_blobs = entry.desc_text() == "BLOBS";
        if (is_blobs != (type == 3))
          problem(&entry, at, "data block at byte " + std::to_string(at) + " has type " +
                                  std::to_string(type) + " but the entry needs type " + (is_blobs ? "3" : "1"));
        if (entry.data_state == offset_state::position_set && entry.data_offset != at)
          problem(&entry, at, "the stored data offset " + std::to_string(entry.data_offset) +
                                  " does not point at its block, which starts at byte " + std::to_string(at));
        ++m_report.data_blocks;
        if (type == 3)
          check_blobs(entry);
        else
          check_stream(entry, !is_blobs && entry.copy_stmt && !entry.copy_stmt->empty());
      }
    } catch (const format_error& failure) {
      problem(nullptr, failure.offset(), failure.what());
    }
    for (const auto& [dump_id, entry] : expected)
      if (!seen.count(dump_id))
        problem(entry, m_in.offset(), "no data block found for this entry");
    return std::move(m_report);
  }

private:
  void problem(const toc_entry* entry, std::uint64_t offset, std::string message) {
    verify_problem found;
    if (entry) {
      found.dump_id = entry->dump_id;
      found.desc = entry->desc_text();
      found.tag = entry->tag_text();
    }
    found.offset = offset;
    found.message = std::move(message);
    m_report.problems.push_back(std::move(found));
  }

  /// Reads one chunk list, feeding payloads to `decoder` (nullptr: skip).
  /// Returns false when the stream had a decoding problem (already reported).
  bool read_chunks(const toc_entry* entry, detail::decompressor* decoder, stream_tail* tail,
                   const std::string& owner) {
    std::string payload, produced;
    bool healthy = true;
    for (;;) {
      const std::uint64_t at = m_in.offset();
      const std::int64_t length = detail::read_pg_int(m_in, m_layout, "chunk length in " + owner);
      if (length == 0)
        break;
      const auto left = m_in.remaining();
      if (length < 0 || (left && static_cast<std::uint64_t>(length) > *left))
        throw format_error("chunk length in " + owner + " at byte " + std::to_string(at) + " is " +
                               std::to_string(length) +
                               (length < 0 ? "" : ", past the end of the file"),
                           at);
      payload.clear();
      m_in.read_append(payload, static_cast<std::uint64_t>(length), "chunk in " + owner);
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
        problem(entry, m_in.offset(), failure.what());
        healthy = false;
      }
    }
    return healthy;
  }

  void check_stream(const toc_entry& entry, bool is_copy) {
    const std::string owner = "data block of dump id " + std::to_string(entry.dump_id);
    auto decoder = decoder_for(owner);
    stream_tail tail;
    const std::uint64_t start = m_in.offset();
    if (read_chunks(&entry, decoder.get(), &tail, owner) && decoder && is_copy &&
        !ends_with_copy_terminator(tail.tail, tail.total))
      problem(&entry, start, "the COPY data does not end with its terminator (\\.)");
  }

  /// A decoder for the archive's algorithm; nullptr (reported once, and the
  /// streams then only framed) when the header names one pgarc does not know.
  std::unique_ptr<detail::decompressor> decoder_for(const std::string& owner) {
    try {
      return detail::make_decompressor(m_contents.header.compression(), owner);
    } catch (const unsupported_error& unknown) {
      if (!m_reported_unknown_algorithm)
        problem(nullptr, 0, std::string(unknown.what()) + " in the header; no stream is decompressed");
      m_reported_unknown_algorithm = true;
      return nullptr;
    }
  }

  void check_blobs(const toc_entry& entry) {
    for (;;) {
      const std::int64_t oid = detail::read_pg_int(m_in, m_layout, "large object OID");
      if (oid == 0)
        return;
      ++m_report.large_objects;
      const std::string owner = "large object " + std::to_string(static_cast<std::uint32_t>(oid));
      auto decoder = decoder_for(owner);
      read_chunks(&entry, decoder.get(), nullptr, owner);
    }
  }

  void skip_block(std::uint8_t type, const std::string& owner) {
    if (type == 3) {
      while (detail::read_pg_int(m_in, m_layout, "large object OID") != 0)
        read_chunks(nullptr, nullptr, nullptr, owner);
    } else {
      read_chunks(nullptr, nullptr, nullptr, owner);
    }
  }

  detail::byte_reader& m_in;
  const archive& m_contents;
  detail::int_layout m_layout;
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
