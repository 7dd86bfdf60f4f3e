// SPDX-License-Identifier: PostgreSQL
// Buffered reads for the archive reader; see byte_reader.hpp.
#include "io/byte_reader.hpp"

#include "io/fast_paths.hpp"
#include "pgarc/errors.hpp"

#include <algorithm>
#include <cstring>

namespace pgarc::detail {

namespace {

/// No larger than the whole input when its size is known: small archives
/// (and fuzzer inputs) then cost no megabyte buffer each. A size of 0 may
/// be a file whose size the system does not report, so it gets the default.
std::size_t buffer_size_for(const byte_source& source, std::size_t buffer_size) {
  const auto size = source.size();
  if (size && *size > 0 && *size < buffer_size)
    return static_cast<std::size_t>(*size);
  return buffer_size;
}

} // namespace

byte_reader::byte_reader(byte_source& source, std::size_t buffer_size)
    : m_source(source), m_buffer(buffer_size_for(source, buffer_size)) {}

std::optional<std::uint64_t> byte_reader::remaining() const noexcept {
  auto size = m_source.size();
  if (!size)
    return std::nullopt;
  return *size >= m_consumed ? *size - m_consumed : 0;
}

bool byte_reader::fill() {
  if (m_begin < m_end)
    return true;
  if (m_eof)
    return false;
  m_begin = m_end = 0;
  // A source that can lend its bytes (a mapped file) saves a copy.
  std::span<const std::byte> lent = io_gate::lend(m_source, m_buffer.size());
  std::size_t got = lent.size();
  if (got > 0)
    m_data = lent.data();
  else {
    got = m_source.read_some(m_buffer);
    m_data = m_buffer.data();
  }
  if (got == 0) {
    m_eof = true;
    return false;
  }
  m_end = got;
  if (m_progress)
    m_progress(m_consumed);
  return true;
}

bool byte_reader::at_end() { return !fill(); }

std::optional<std::uint8_t> byte_reader::peek_u8() {
  if (!fill())
    return std::nullopt;
  return std::to_integer<std::uint8_t>(m_data[m_begin]);
}

std::span<const std::byte> byte_reader::buffered_bytes() {
  if (!fill())
    return {};
  return {m_data + m_begin, buffered()};
}

std::uint8_t byte_reader::read_u8(std::string_view what) {
  if (!fill())
    throw_truncated(what, 1, 0);
  ++m_consumed;
  return std::to_integer<std::uint8_t>(m_data[m_begin++]);
}

void byte_reader::read_exact(std::span<std::byte> out, std::string_view what) {
  std::uint64_t start = m_consumed;
  std::size_t done = 0;
  while (done < out.size()) {
    if (!fill()) {
      m_consumed = start; // report the offset where the field began
      throw_truncated(what, out.size(), done);
    }
    std::size_t take = std::min(buffered(), out.size() - done);
    std::memcpy(out.data() + done, m_data + m_begin, take);
    m_begin += take;
    m_consumed += take;
    done += take;
  }
}

void byte_reader::read_append(std::string& out, std::uint64_t n, std::string_view what) {
  std::uint64_t start = m_consumed;
  std::uint64_t done = 0;
  while (done < n) {
    if (!fill()) {
      m_consumed = start;
      throw_truncated(what, n, done);
    }
    std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(buffered(), n - done));
    out.append(reinterpret_cast<const char*>(m_data + m_begin), take);
    m_begin += take;
    m_consumed += take;
    done += take;
  }
}

void byte_reader::copy_to(byte_sink* sink, std::uint64_t n, std::string_view what) {
  std::uint64_t start = m_consumed;
  std::uint64_t done = 0;
  while (done < n) {
    if (!fill()) {
      m_consumed = start;
      throw_truncated(what, n, done);
    }
    std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(buffered(), n - done));
    if (sink)
      sink->write(std::span(m_data + m_begin, take));
    m_begin += take;
    m_consumed += take;
    done += take;
  }
}

std::uint64_t byte_reader::copy_rest(byte_sink& sink) {
  std::uint64_t total = 0;
  while (fill()) {
    sink.write(std::span(m_data + m_begin, buffered()));
    total += buffered();
    m_consumed += buffered();
    m_begin = m_end;
  }
  return total;
}

void byte_reader::throw_truncated(std::string_view what, std::uint64_t needed,
                                  std::uint64_t available) const {
  throw format_error(std::string(what) + " is truncated at byte " + std::to_string(m_consumed) +
                         " (needed " + std::to_string(needed) + (needed == 1 ? " byte, " : " bytes, ") +
                         std::to_string(available) + " left)",
                     m_consumed);
}

} // namespace pgarc::detail
