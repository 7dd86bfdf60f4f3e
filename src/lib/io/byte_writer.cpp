// SPDX-License-Identifier: PostgreSQL
// Buffered writes for the archive writer; see byte_writer.hpp.
#include "io/byte_writer.hpp"

#include <cstring>

namespace pgarc::detail {

byte_writer::byte_writer(byte_sink& sink, std::size_t buffer_size)
    : m_sink(sink), m_buffer(new std::byte[buffer_size]), m_size(buffer_size) {}

namespace {

class discard_sink final : public byte_sink {
public:
  void write(std::span<const std::byte>) override {}
  const std::string& name() const noexcept override { return m_name; }

private:
  std::string m_name = "nothing";
};

} // namespace

byte_writer byte_writer::counting(std::uint64_t start) {
  static discard_sink discard;
  byte_writer writer(discard, 0);
  writer.m_written = start;
  writer.m_counting = true;
  return writer;
}

void byte_writer::write_u8(std::uint8_t value) {
  if (m_counting) {
    ++m_written;
    return;
  }
  if (m_used == m_size)
    flush();
  m_buffer[m_used++] = std::byte{value};
  ++m_written;
}

void byte_writer::write_slow(std::span<const std::byte> bytes) {
  if (m_counting) {
    m_written += bytes.size();
    return;
  }
  // A large write (a run of chunks copied from the input buffer) goes to the
  // sink as it is rather than through the buffer: one copy fewer.
  if (bytes.size() >= m_size / 4) {
    flush();
    m_sink.write(bytes);
  } else {
    if (bytes.size() > m_size - m_used)
      flush();
    if (!bytes.empty())
      std::memcpy(m_buffer.get() + m_used, bytes.data(), bytes.size());
    m_used += bytes.size();
  }
  m_written += bytes.size();
}

void byte_writer::write(std::string_view text) {
  write(std::as_bytes(std::span(text.data(), text.size())));
}

void byte_writer::flush() {
  if (m_used > 0)
    m_sink.write(std::span(m_buffer.get(), m_used));
  m_used = 0;
}

} // namespace pgarc::detail
