// SPDX-License-Identifier: PostgreSQL
// pg_dump's int, string and offset encodings; see pg_codec.hpp.
#include "format/pg_codec.hpp"

#include "pgarc/errors.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace pgarc::detail {

namespace {

[[noreturn]] void throw_bad_value(const byte_reader& in, std::uint64_t at, std::string_view what,
                                  const std::string& problem) {
  (void)in;
  throw format_error(std::string(what) + " at byte " + std::to_string(at) + " " + problem, at);
}

/// True when `magnitude` needs more than `size` bytes.
bool exceeds_width(std::uint64_t magnitude, std::uint8_t size) noexcept {
  return size < 8 && (magnitude >> (8 * size)) != 0;
}

/// The value of a sign byte and `kept` (at most 8) bytes, least significant
/// first, as read_pg_int reads them.
std::int64_t decode_int(const byte_reader& in, std::uint64_t start, std::string_view what,
                        std::span<const std::byte> head, std::size_t kept) {
  std::uint64_t magnitude = 0;
  for (std::size_t index = kept; index >= 1; --index)
    magnitude = (magnitude << 8) | std::to_integer<std::uint8_t>(head[index]);
  if (magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    throw_bad_value(in, start, what, "does not fit in 64 bits");
  // Any non-zero sign byte means negative (ReadInt); "negative zero" reads as 0.
  const bool negative = std::to_integer<std::uint8_t>(head[0]) != 0;
  const auto value = static_cast<std::int64_t>(magnitude);
  return negative ? -value : value;
}

} // namespace

std::int64_t read_pg_int(byte_reader& in, const int_layout& layout, std::string_view what) {
  const std::uint64_t start = in.offset();
  // Sign byte, then int_size bytes, least significant first. Archives use 4
  // (or 8); wider ints must have zeros beyond the 8th byte.
  const std::size_t kept = std::min<std::size_t>(layout.int_size, 8);
  if (layout.int_size <= 8)
    if (const auto head = in.take_if_buffered(1 + kept); !head.empty())
      return decode_int(in, start, what, head, kept);
  std::array<std::byte, 1 + 8> head{};
  in.read_exact(std::span<std::byte>(head.data(), 1 + kept), what);
  for (std::size_t extra = kept; extra < layout.int_size; ++extra)
    if (in.read_u8(what) != 0)
      throw_bad_value(in, start, what, "does not fit in 64 bits");
  return decode_int(in, start, what, head, kept);
}

pg_string read_pg_string(byte_reader& in, const int_layout& layout, std::string_view what) {
  const std::uint64_t start = in.offset();
  const std::int64_t length = read_pg_int(in, layout, what);
  if (length < 0)
    return std::nullopt;
  if (length == 0)
    return std::string_view();
  // Bytes already buffered are within the input, and a buffer is far
  // smaller than max_string_length: the checks below cannot fail for them.
  if (const auto text = in.take_if_buffered(static_cast<std::size_t>(std::min(length, max_string_length)));
      !text.empty() && text.size() == static_cast<std::uint64_t>(length))
    return std::string_view(reinterpret_cast<const char*>(text.data()), text.size());
  const auto left = in.remaining();
  if (left && static_cast<std::uint64_t>(length) > *left)
    throw format_error(std::string(what) + " at byte " + std::to_string(start) +
                           " claims " + std::to_string(length) + " bytes but only " +
                           std::to_string(*left) + " follow",
                       start);
  if (length > max_string_length)
    throw_bad_value(in, start, what, "has an absurd length of " + std::to_string(length));
  std::string value;
  in.read_append(value, static_cast<std::uint64_t>(length), what);
  return value;
}

pg_offset read_pg_offset(byte_reader& in, const int_layout& layout, std::string_view what) {
  const std::uint64_t start = in.offset();
  const std::uint8_t flag = in.read_u8(what);
  std::array<std::byte, 255> raw{};
  std::span<std::byte> bytes(raw.data(), layout.off_size);
  in.read_exact(bytes, what);
  if (flag < 1 || flag > 3)
    throw_bad_value(in, start, what, "has an unexpected data offset flag " + std::to_string(flag));
  std::uint64_t position = 0;
  for (std::size_t index = layout.off_size; index >= 1; --index) {
    std::uint8_t byte = std::to_integer<std::uint8_t>(bytes[index - 1]);
    if (index > 8) {
      if (byte != 0)
        throw_bad_value(in, start, what, "holds a file offset too large for 64 bits");
      continue;
    }
    position = (position << 8) | byte;
  }
  return {static_cast<offset_state>(flag), position};
}

void write_pg_int(byte_writer& out, const int_layout& layout, std::int64_t value) {
  std::uint64_t magnitude =
      value < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  // Writing fewer bytes than the value needs would silently corrupt the archive.
  if (exceeds_width(magnitude, layout.int_size))
    throw error("cannot write " + std::to_string(value) + " in the archive's " +
                std::to_string(layout.int_size) + "-byte integers");
  std::array<std::byte, 1 + 8> head{};
  head[0] = std::byte{value < 0 ? std::uint8_t{1} : std::uint8_t{0}};
  const std::size_t kept = std::min<std::size_t>(layout.int_size, 8);
  for (std::size_t index = 1; index <= kept; ++index, magnitude >>= 8)
    head[index] = static_cast<std::byte>(magnitude & 0xff);
  out.write(std::span<const std::byte>(head.data(), 1 + kept));
  for (std::size_t extra = kept; extra < layout.int_size; ++extra)
    out.write_u8(0);
}

void write_pg_string(byte_writer& out, const int_layout& layout, const pg_string& value) {
  if (!value) {
    write_pg_int(out, layout, -1);
    return;
  }
  write_pg_int(out, layout, static_cast<std::int64_t>(value->size()));
  out.write(*value);
}

void write_pg_offset(byte_writer& out, const int_layout& layout, const pg_offset& value) {
  if (exceeds_width(value.position, layout.off_size))
    throw error("cannot write data offset " + std::to_string(value.position) +
                " in the archive's " + std::to_string(layout.off_size) + "-byte offsets");
  out.write_u8(static_cast<std::uint8_t>(value.state));
  std::uint64_t position = value.position;
  for (std::size_t index = 0; index < layout.off_size; ++index) {
    out.write_u8(index < 8 ? static_cast<std::uint8_t>(position & 0xff) : 0);
    if (index < 8)
      position >>= 8;
  }
}

std::uint64_t pg_int_size(const int_layout& layout) noexcept { return 1u + layout.int_size; }

std::uint64_t pg_string_size(const int_layout& layout, const pg_string& value) noexcept {
  return pg_int_size(layout) + (value ? value->size() : 0);
}

std::uint64_t pg_offset_size(const int_layout& layout) noexcept { return 1u + layout.off_size; }

} // namespace pgarc::detail
