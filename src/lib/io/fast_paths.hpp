// SPDX-License-Identifier: PostgreSQL
// The library's own shortcuts between files, kept out of the public byte_source
// and byte_sink interfaces: mapped windows lent instead of copied, and ranges
// copied from file to file in the kernel (copy_file_range). file_source and
// file_sink have them; other classes of the library's tests may opt in through
// the two interfaces below. Everything else falls back to read_some and write.
#pragma once

#include "pgarc/io.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

namespace pgarc::detail {

/// A source that can lend its next bytes without copying them.
class lending_source {
public:
  /// Up to `max` next bytes (or more, a mapped window), valid until the
  /// next call on the source; empty when it cannot, or at end of input.
  virtual std::span<const std::byte> lend(std::size_t max) = 0;

protected:
  ~lending_source() = default;
};

/// A sink that can append a range of a file in the kernel.
class file_range_sink {
public:
  /// Appends `length` bytes of file `fd` from `offset`. False when it cannot;
  /// then nothing was written. Throws io_error.
  virtual bool append_file_range(int fd, std::uint64_t offset, std::uint64_t length) = 0;

protected:
  ~file_range_sink() = default;
};

class io_gate {
public:
  /// What `source` lends (see lending_source); empty when it cannot.
  static std::span<const std::byte> lend(byte_source& source, std::size_t max);
  /// A regular file's descriptor and the file offset where `source`
  /// started, for copying ranges of it in the kernel; nullopt otherwise.
  static std::optional<std::pair<int, std::uint64_t>> file_range(const byte_source& source) noexcept;
  /// Appends a file range to `sink` in the kernel; false when it cannot
  /// (nothing written). Throws io_error.
  static bool append_file_range(byte_sink& sink, int fd, std::uint64_t offset, std::uint64_t length);
};

} // namespace pgarc::detail
