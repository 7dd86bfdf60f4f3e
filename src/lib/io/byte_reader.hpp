// SPDX-License-Identifier: PostgreSQL
// Buffered, position-tracking reads from a byte_source with checked lengths.
// Every read names what it reads, so that a truncation error can say so.
#pragma once

#include "pgarc/io.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc::detail {

class byte_reader {
public:
  explicit byte_reader(byte_source& source, std::size_t buffer_size = 1 << 20);

  /// Bytes consumed so far: the file offset of the next byte.
  std::uint64_t offset() const noexcept { return m_consumed; }
  /// Bytes that can still follow, when the source's size is known.
  std::optional<std::uint64_t> remaining() const noexcept;
  /// True when no byte follows (reads ahead if necessary).
  bool at_end();
  /// The next byte without consuming it, or nullopt at end of input.
  std::optional<std::uint8_t> peek_u8();
  /// The bytes buffered from offset() on, without consuming them (reading
  /// more first when none are); empty at end of input. Valid until the next
  /// call that reads or copies.
  std::span<const std::byte> buffered_bytes();

  /// The next `n` (> 0) bytes, consumed, when all of them are buffered
  /// already; an empty span, with nothing consumed, otherwise (the caller
  /// then reads them with read_exact or read_append). Valid until the next
  /// call that reads or copies. The fast path of the TOC's small fields.
  std::span<const std::byte> take_if_buffered(std::size_t n) noexcept {
    if (n == 0 || buffered() < n)
      return {};
    const std::span<const std::byte> taken(m_data + m_begin, n);
    m_begin += n;
    m_consumed += n;
    return taken;
  }

  std::uint8_t read_u8(std::string_view what);
  void read_exact(std::span<std::byte> out, std::string_view what);
  /// Appends `n` bytes to `out` as they arrive, so memory grows only with
  /// bytes actually present.
  void read_append(std::string& out, std::uint64_t n, std::string_view what);
  /// Passes `n` bytes to `sink` unchanged (nullptr: discard them).
  void copy_to(byte_sink* sink, std::uint64_t n, std::string_view what);
  /// Passes everything up to end of input to `sink`; returns the byte count.
  std::uint64_t copy_rest(byte_sink& sink);

  /// Throws the truncation error for `what` needing `needed` bytes.
  [[noreturn]] void throw_truncated(std::string_view what, std::uint64_t needed,
                                    std::uint64_t available) const;
  const std::string& source_name() const noexcept { return m_source.name(); }
  /// Calls `progress` with offset() each time the buffer is refilled.
  void set_progress(std::function<void(std::uint64_t)> progress) { m_progress = std::move(progress); }

private:
  /// Makes at least one unread byte available; false at end of input.
  bool fill();
  std::size_t buffered() const noexcept { return m_end - m_begin; }

  byte_source& m_source;
  std::vector<std::byte> m_buffer;
  const std::byte* m_data = nullptr; // m_buffer, or bytes the source lent
  std::size_t m_begin = 0;
  std::size_t m_end = 0;
  std::uint64_t m_consumed = 0;
  bool m_eof = false;
  std::function<void(std::uint64_t)> m_progress;
};

} // namespace pgarc::detail
