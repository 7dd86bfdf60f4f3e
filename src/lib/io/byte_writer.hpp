// SPDX-License-Identifier: PostgreSQL
// Buffered, position-tracking writes to a byte_sink; the mirror of byte_reader.
#pragma once

#include "pgarc/io.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

namespace pgarc::detail {

class byte_writer {
public:
  explicit byte_writer(byte_sink& sink, std::size_t buffer_size = 1 << 20);
  /// A writer that only counts: offsets advance from `start`, nothing is
  /// stored (to find where blocks will land without copying them).
  static byte_writer counting(std::uint64_t start);
  /// Bytes written so far: the file offset of the next byte.
  std::uint64_t offset() const noexcept { return m_written; }
  void write_u8(std::uint8_t value);
  void write(std::span<const std::byte> bytes) {
    // The common case, inline: small writes (the TOC's fields) that fit.
    if (!m_counting && !bytes.empty() && bytes.size() < m_size - m_used && bytes.size() < m_size / 4) {
      std::memcpy(m_buffer.get() + m_used, bytes.data(), bytes.size());
      m_used += bytes.size();
      m_written += bytes.size();
      return;
    }
    write_slow(bytes);
  }
  void write(std::string_view text);
  /// Hands buffered bytes to the sink.
  void flush();
  byte_sink& sink() noexcept { return m_sink; }

private:
  void write_slow(std::span<const std::byte> bytes);

  byte_sink& m_sink;
  // Not zero-filled: a megabyte cleared for every archive written (or every
  // fuzzer input) costs more than writing a small archive.
  std::unique_ptr<std::byte[]> m_buffer;
  std::size_t m_size;
  std::size_t m_used = 0;
  std::uint64_t m_written = 0;
  bool m_counting = false;
};

/// A byte_sink that forwards to a byte_writer, so that block copying can go
/// through the same buffer and position count as the TOC.
class writer_sink final : public byte_sink {
public:
  explicit writer_sink(byte_writer& writer) : m_writer(writer) {}
  void write(std::span<const std::byte> data) override { m_writer.write(data); }
  const std::string& name() const noexcept override { return m_writer.sink().name(); }

private:
  byte_writer& m_writer;
};

} // namespace pgarc::detail
