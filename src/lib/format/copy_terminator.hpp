// SPDX-License-Identifier: PostgreSQL
// The end of a COPY data stream, checked by verify and by the directory
// reader (which looks only at the last bytes of an uncompressed file).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace pgarc::detail {

/// Bytes of a stream's end that ends_with_copy_terminator needs at most.
inline constexpr std::size_t copy_tail_size = 64;

/// Keeps only the last bytes of a stream: enough to check its terminator
/// without holding the data.
class stream_tail {
public:
  void append(std::string& produced) {
    total += produced.size();
    tail += produced;
    if (tail.size() > copy_tail_size)
      tail.erase(0, tail.size() - copy_tail_size);
    produced.clear();
  }
  std::string tail;
  std::uint64_t total = 0;
};

/// The COPY data terminator pg_dump writes after the rows: a line "\." and
/// newlines. `tail` holds the stream's last bytes, `total` its length.
inline bool ends_with_copy_terminator(const std::string& tail, std::uint64_t total) {
  std::size_t end = tail.size();
  while (end > 0 && tail[end - 1] == '\n')
    --end;
  if (end == tail.size() || end < 2 || tail.compare(end - 2, 2, "\\.") != 0)
    return false;
  if (end == 2)
    return total == tail.size(); // an empty table: the stream is only the terminator
  return tail[end - 3] == '\n';
}

} // namespace pgarc::detail
