// SPDX-License-Identifier: PostgreSQL
// Which sources lend and which sinks take file ranges; see fast_paths.hpp.
#include "io/fast_paths.hpp"

namespace pgarc::detail {

std::span<const std::byte> io_gate::lend(byte_source& source, std::size_t max) {
  if (auto* file = dynamic_cast<file_source*>(&source))
    return file->lend(max);
  if (auto* lender = dynamic_cast<lending_source*>(&source))
    return lender->lend(max);
  return {};
}

std::optional<std::pair<int, std::uint64_t>> io_gate::file_range(const byte_source& source) noexcept {
  if (const auto* file = dynamic_cast<const file_source*>(&source))
    return file->file_range();
  return std::nullopt;
}

bool io_gate::append_file_range(byte_sink& sink, int fd, std::uint64_t offset, std::uint64_t length) {
  if (auto* file = dynamic_cast<file_sink*>(&sink))
    return file->append_file_range(fd, offset, length);
  if (auto* ranges = dynamic_cast<file_range_sink*>(&sink))
    return ranges->append_file_range(fd, offset, length);
  return false;
}

} // namespace pgarc::detail
