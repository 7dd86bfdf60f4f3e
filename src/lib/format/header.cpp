// SPDX-License-Identifier: PostgreSQL
// Reads and writes the archive header; see header.hpp.
#include "format/header.hpp"

#include "pgarc/errors.hpp"

#include <array>
#include <cstring>

namespace pgarc::detail {

namespace {

constexpr std::array<char, 5> magic{'P', 'G', 'D', 'M', 'P'};
constexpr std::uint8_t arch_custom = 1;
constexpr std::uint8_t arch_tar = 3;
constexpr std::uint8_t arch_directory = 5;

/// Explains what a file without the PGDMP signature probably is.
[[noreturn]] void throw_not_custom(std::span<const std::byte> first, std::size_t got) {
  auto starts_with = [&](std::string_view text) {
    return got >= text.size() && std::memcmp(first.data(), text.data(), text.size()) == 0;
  };
  const auto byte_at = [&](std::size_t index) {
    return index < got ? std::to_integer<std::uint8_t>(first[index]) : 0;
  };
  std::string hint;
  if (byte_at(0) == 0x1f && byte_at(1) == 0x8b)
    hint = "The file is gzip-compressed; decompress it first (gunzip, or zcat FILE | pgarc-retarget - ...).";
  else if (starts_with("--") || starts_with("SET ") || starts_with("\\connect") ||
           starts_with("CREATE ") || starts_with("BEGIN"))
    hint = "It looks like a plain-format SQL dump; restore it with psql, or dump again with pg_dump -Fc.";
  else if (byte_at(0) == 0x28 && byte_at(1) == 0xb5 && byte_at(2) == 0x2f && byte_at(3) == 0xfd)
    hint = "The file is zstd-compressed; decompress it first (zstd -d).";
  else if (byte_at(0) == 0x04 && byte_at(1) == 0x22 && byte_at(2) == 0x4d && byte_at(3) == 0x18)
    hint = "The file is lz4-compressed; decompress it first (lz4 -d).";
  else
    hint = "pgarc reads archives written by pg_dump -Fc (custom format).";
  throw format_error("not a custom-format archive (no PGDMP signature at byte 0)", 0,
                     std::move(hint));
}

std::string version_text(const archive_version& version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor);
}

} // namespace

archive_header read_header(byte_reader& in) {
  archive_header header;
  std::array<std::byte, 5> first{};
  std::size_t got = 0;
  while (got < first.size() && !in.at_end()) {
    first[got] = std::byte{in.read_u8("archive signature")};
    ++got;
  }
  if (got < first.size() || std::memcmp(first.data(), magic.data(), magic.size()) != 0)
    throw_not_custom(first, got);

  header.version.major = in.read_u8("archive version");
  header.version.minor = in.read_u8("archive version");
  // vrev is present for every version after 1.0 (ReadHead)
  if (header.version.major > 1 || header.version.minor > 0)
    header.version.rev = in.read_u8("archive version");
  const archive_version without_rev{header.version.major, header.version.minor, 0};
  if (without_rev < oldest_supported || without_rev > newest_supported)
    throw unsupported_error(
        "archive version " + version_text(header.version) + " is not supported (supported: " +
            version_text(oldest_supported) + " to " + version_text(newest_supported) + ")",
        without_rev > newest_supported
            ? "This archive was written by a newer pg_dump than pgarc knows."
            : "Archives older than 1.10 come from pg_dump 7.x; restore them with that pg_restore.");

  header.int_size = in.read_u8("integer size in header");
  if (header.int_size < 1 || header.int_size > 32)
    throw unsupported_error("archive declares an integer size of " +
                            std::to_string(header.int_size) + " bytes (supported: 1 to 32)");
  header.off_size = in.read_u8("offset size in header");
  if (header.off_size < 1 || header.off_size > 32)
    throw unsupported_error("archive declares an offset size of " +
                            std::to_string(header.off_size) + " bytes (supported: 1 to 32)");
  header.format = in.read_u8("archive format in header");
  if (header.format != arch_custom) {
    std::string kind = header.format == arch_tar         ? "a tar-format"
                       : header.format == arch_directory ? "a directory-format"
                                                         : "an unknown-format (" +
                                                               std::to_string(header.format) + ")";
    throw unsupported_error("the header describes " + kind + " archive, not a custom-format one",
                            "pgarc rewrites custom-format archives; convert with pg_restore -f "
                            "or dump again with pg_dump -Fc.");
  }

  const int_layout layout = layout_of(header);
  if (header.version >= k_vers_1_15)
    header.compression_byte = in.read_u8("compression algorithm in header");
  else
    header.compression_level = read_pg_int(in, layout, "compression level in header");

  header.tm_sec = read_pg_int(in, layout, "creation time in header");
  header.tm_min = read_pg_int(in, layout, "creation time in header");
  header.tm_hour = read_pg_int(in, layout, "creation time in header");
  header.tm_mday = read_pg_int(in, layout, "creation time in header");
  header.tm_mon = read_pg_int(in, layout, "creation time in header");
  header.tm_year = read_pg_int(in, layout, "creation time in header");
  header.tm_isdst = read_pg_int(in, layout, "creation time in header");
  header.database_name = read_pg_string(in, layout, "database name in header");
  header.server_version = read_pg_string(in, layout, "server version in header");
  header.pg_dump_version = read_pg_string(in, layout, "pg_dump version in header");
  return header;
}

void write_header(byte_writer& out, const archive_header& header) {
  const int_layout layout = layout_of(header);
  out.write(std::as_bytes(std::span(magic)));
  out.write_u8(header.version.major);
  out.write_u8(header.version.minor);
  if (header.version.major > 1 || header.version.minor > 0)
    out.write_u8(header.version.rev);
  out.write_u8(header.int_size);
  out.write_u8(header.off_size);
  out.write_u8(header.format);
  if (header.version >= k_vers_1_15)
    out.write_u8(header.compression_byte);
  else
    write_pg_int(out, layout, header.compression_level);
  for (std::int64_t field : {header.tm_sec, header.tm_min, header.tm_hour, header.tm_mday,
                             header.tm_mon, header.tm_year, header.tm_isdst})
    write_pg_int(out, layout, field);
  write_pg_string(out, layout, header.database_name);
  write_pg_string(out, layout, header.server_version);
  write_pg_string(out, layout, header.pg_dump_version);
}

} // namespace pgarc::detail
