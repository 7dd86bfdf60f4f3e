// SPDX-License-Identifier: PostgreSQL
// In-memory byte sources and sinks, used by tests and fuzzers.
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"

#include <algorithm>
#include <cstring>

namespace pgarc {

void byte_sink::overwrite_at(std::uint64_t, std::span<const std::byte>) {
  throw io_error("cannot seek in \"" + name() + "\"");
}

memory_source::memory_source(std::span<const std::byte> bytes, std::string name)
    : m_bytes(bytes), m_name(std::move(name)) {}

std::size_t memory_source::read_some(std::span<std::byte> buffer) {
  const std::size_t take = std::min(buffer.size(), m_bytes.size() - m_position);
  if (take > 0)
    std::memcpy(buffer.data(), m_bytes.data() + m_position, take);
  m_position += take;
  return take;
}

void memory_sink::write(std::span<const std::byte> data) {
  m_bytes.insert(m_bytes.end(), data.begin(), data.end());
}

void memory_sink::overwrite_at(std::uint64_t offset, std::span<const std::byte> data) {
  if (!m_seekable)
    byte_sink::overwrite_at(offset, data);
  if (offset > m_bytes.size() || data.size() > m_bytes.size() - offset)
    throw io_error("overwrite past the end of \"" + m_name + "\"");
  std::copy(data.begin(), data.end(), m_bytes.begin() + static_cast<std::ptrdiff_t>(offset));
}

} // namespace pgarc
