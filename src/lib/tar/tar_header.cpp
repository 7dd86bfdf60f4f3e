// SPDX-License-Identifier: PostgreSQL
// ustar headers; see tar_header.hpp.
#include "tar/tar_header.hpp"

#include "pgarc/errors.hpp"

#include <cstring>

namespace pgarc::detail {

namespace {

constexpr std::size_t name_at = 0, name_size = 100, mode_at = 100, uid_at = 108, gid_at = 116,
                      size_at = 124, size_size = 12, mtime_at = 136, checksum_at = 148, checksum_size = 8,
                      type_at = 156, magic_at = 257, prefix_at = 345, prefix_size = 155;

char char_at(const tar_header_bytes& header, std::size_t at) { return static_cast<char>(header[at]); }

/// The sum tar defines: every byte, the checksum field counted as spaces.
std::uint64_t checksum_of(const tar_header_bytes& header) {
  std::uint64_t sum = 0;
  for (std::size_t at = 0; at < tar_block; ++at)
    sum += at >= checksum_at && at < checksum_at + checksum_size ? std::uint64_t{' '}
                                                                 : std::to_integer<std::uint64_t>(header[at]);
  return sum;
}

/// An octal field (spaces and NULs around it), or the base-256 form GNU tar
/// and pg_dump use for sizes of 8 GiB and more (first byte 0x80).
std::optional<std::uint64_t> number_at(const tar_header_bytes& header, std::size_t at, std::size_t size) {
  if (std::to_integer<unsigned>(header[at]) == 0x80) {
    std::uint64_t value = 0;
    for (std::size_t index = 1; index < size; ++index) {
      if (value >> 56)
        return std::nullopt;
      value = value << 8 | std::to_integer<std::uint64_t>(header[at + index]);
    }
    return value;
  }
  std::size_t index = 0;
  while (index < size && char_at(header, at + index) == ' ')
    ++index;
  std::uint64_t value = 0;
  std::size_t digits = 0;
  for (; index < size && char_at(header, at + index) >= '0' && char_at(header, at + index) <= '7'; ++index, ++digits) {
    if (value >> 60)
      return std::nullopt;
    value = value * 8 + static_cast<std::uint64_t>(char_at(header, at + index) - '0');
  }
  for (; index < size; ++index)
    if (char_at(header, at + index) != ' ' && char_at(header, at + index) != '\0')
      return std::nullopt;
  if (digits == 0)
    return std::nullopt;
  return value;
}

std::string text_at(const tar_header_bytes& header, std::size_t at, std::size_t size) {
  std::string text;
  for (std::size_t index = 0; index < size && char_at(header, at + index) != '\0'; ++index)
    text += char_at(header, at + index);
  return text;
}

void put_octal(tar_header_bytes& header, std::size_t at, std::size_t size, std::uint64_t value) {
  // size - 1 digits and a NUL, as tarCreateHeader writes them
  for (std::size_t index = size - 1; index-- > 0;) {
    header[at + index] = static_cast<std::byte>('0' + (value & 7));
    value >>= 3;
  }
  header[at + size - 1] = std::byte{0};
}

void put_size(tar_header_bytes& header, std::uint64_t size) {
  if (size < (std::uint64_t{1} << 33)) {
    put_octal(header, size_at, size_size, size);
    return;
  }
  header[size_at] = std::byte{0x80};
  for (std::size_t index = size_size - 1; index > 0; --index) {
    header[size_at + index] = static_cast<std::byte>(size & 0xff);
    size >>= 8;
  }
}

void put_checksum(tar_header_bytes& header) {
  put_octal(header, checksum_at, 7, checksum_of(header));
  header[checksum_at + 7] = std::byte{' '};
}

[[noreturn]] void throw_bad_header(std::uint64_t offset, const std::string& problem) {
  throw format_error("tar header at byte " + std::to_string(offset) + " " + problem, offset);
}

} // namespace

std::optional<tar_member> decode_tar_header(const tar_header_bytes& header, std::uint64_t offset) {
  bool zero = true;
  for (const std::byte value : header)
    zero = zero && value == std::byte{0};
  if (zero)
    return std::nullopt;
  const auto stored = number_at(header, checksum_at, checksum_size);
  if (!stored || *stored != checksum_of(header))
    throw_bad_header(offset, "has a wrong checksum (a damaged archive, or not a tar archive)");
  tar_member member;
  member.offset = offset;
  member.header = header;
  member.name = text_at(header, name_at, name_size);
  if (text_at(header, magic_at, 5) == "ustar") {
    const std::string prefix = text_at(header, prefix_at, prefix_size);
    if (!prefix.empty())
      member.name = prefix + "/" + member.name;
  }
  const auto size = number_at(header, size_at, size_size);
  if (!size)
    throw_bad_header(offset, "has an unreadable size");
  member.size = *size;
  const char type = char_at(header, type_at);
  if (type != '0' && type != '\0')
    throw_bad_header(offset, "is for \"" + member.name + "\", which is not a regular file (type '" +
                                 std::string(1, type) + "')");
  return member;
}

tar_header_bytes make_tar_header(const std::string& name, std::uint64_t size, std::int64_t mtime) {
  tar_header_bytes header{};
  std::memcpy(header.data() + name_at, name.data(), std::min(name.size(), name_size - 1));
  put_octal(header, mode_at, 8, 0600);
  put_octal(header, uid_at, 8, 0);
  put_octal(header, gid_at, 8, 0);
  put_size(header, size);
  put_octal(header, mtime_at, 12, static_cast<std::uint64_t>(mtime < 0 ? 0 : mtime));
  header[type_at] = std::byte{'0'};
  std::memcpy(header.data() + magic_at, "ustar\0" "00", 8);
  put_checksum(header);
  return header;
}

tar_header_bytes resized_tar_header(const tar_header_bytes& like, std::uint64_t size) {
  tar_header_bytes header = like;
  put_size(header, size);
  put_checksum(header);
  return header;
}

bool is_tar_toc_header(const tar_header_bytes& header) noexcept {
  try {
    const auto member = decode_tar_header(header, 0);
    return member && member->name == "toc.dat";
  } catch (const error&) {
    return false;
  }
}

} // namespace pgarc::detail
