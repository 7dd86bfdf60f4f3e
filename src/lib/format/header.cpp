// SPDX-License-Identifier: PostgreSQL
// Reads and writes the archive header; see header.hpp.
#include "format/header.hpp"

#include "pgarc/errors.hpp"

#include <array>
#include <cstring>

namespace pgarc::detail {

namespace {

constexpr std::array<char, 5> magic{'P', 'G', 'D', 'M', 'P'};
constexpr std::uint8_t arch_custom = format_byte_custom;
constexpr std::uint8_t arch_tar = format_byte_tar;
constexpr std::uint8_t arch_directory = format_byte_directory;

/// Bytes looked at to tell what a file without the signature is: enough for
/// a tar header, whose "ustar" magic sits at byte 257.
constexpr std::size_t sniff_size = 512;

/// Explains what a file without the PGDMP signature probably is. `first`
/// holds the `got` bytes read so far; a few more are read (never more than
/// sniff_size in all) to recognise a tar archive.
[[noreturn]] void throw_not_custom(byte_reader& in, std::span<const std::byte> first,
                                   std::size_t got) {
  std::array<std::byte, sniff_size> start{};
  std::memcpy(start.data(), first.data(), got);
  const std::size_t signature_bytes = got;
  if (signature_bytes == first.size())
    while (got < start.size() && !in.at_end())
      start[got++] = std::byte{in.read_u8("archive signature")};
  const auto byte_at = [&](std::size_t index) {
    return index < got ? std::to_integer<std::uint8_t>(start[index]) : std::uint8_t{0};
  };
  const auto has_at = [&](std::size_t at, std::string_view text) {
    return got >= at + text.size() && std::memcmp(start.data() + at, text.data(), text.size()) == 0;
  };
  const auto starts_with = [&](std::string_view text) { return has_at(0, text); };

  std::string hint;
  if (byte_at(0) == 0x1f && byte_at(1) == 0x8b)
    hint = "The file is gzip-compressed; decompress it first (gunzip, or zcat FILE | pgarc-retarget - ...).";
  else if (byte_at(0) == 0x28 && byte_at(1) == 0xb5 && byte_at(2) == 0x2f && byte_at(3) == 0xfd)
    hint = "The file is zstd-compressed; decompress it first (zstd -d).";
  else if (byte_at(0) == 0x04 && byte_at(1) == 0x22 && byte_at(2) == 0x4d && byte_at(3) == 0x18)
    hint = "The file is lz4-compressed; decompress it first (lz4 -d).";
  else if (starts_with("BZh"))
    hint = "The file is bzip2-compressed; decompress it first (bunzip2).";
  else if (starts_with("\xfd" "7zXZ"))
    hint = "The file is xz-compressed; decompress it first (unxz).";
  else if (has_at(257, "ustar"))
    // pg_dump -Ft puts toc.dat first; anything else is a tar of other files.
    hint = has_at(0, std::string_view("toc.dat\0", 8))
               ? "It looks like a tar-format dump (pg_dump -Ft) whose first header is damaged."
               : "It is a tar archive; extract the dump from it first (tar -xf FILE).";
  else if (starts_with("--") || starts_with("SET ") || starts_with("\\connect") ||
           starts_with("\\restrict") || starts_with("CREATE ") || starts_with("BEGIN"))
    hint = "It looks like a plain-format SQL dump; restore it with psql, or dump again with pg_dump -Fc.";
  else
    hint = "pgarc reads archives written by pg_dump -Fc (custom format).";

  std::string problem = "no PGDMP signature at byte 0";
  if (signature_bytes == 0)
    problem = "the input is empty; expected the PGDMP signature at byte 0";
  else if (signature_bytes < first.size())
    problem = "the input has only " + std::to_string(signature_bytes) +
              (signature_bytes == 1 ? " byte" : " bytes") +
              "; expected the PGDMP signature at byte 0";
  throw format_error("not a custom-format archive (" + problem + ")", 0, std::move(hint));
}

std::string version_text(const archive_version& version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor);
}

} // namespace

archive_header read_header(byte_reader& in, archive_layout container) {
  archive_header header;
  std::array<std::byte, 5> first{};
  std::size_t got = 0;
  while (got < first.size() && !in.at_end()) {
    first[got] = std::byte{in.read_u8("archive signature")};
    ++got;
  }
  if (got < first.size() || std::memcmp(first.data(), magic.data(), magic.size()) != 0)
    throw_not_custom(in, first, got);

  const std::uint64_t version_at = in.offset();
  header.version.major = in.read_u8("archive version");
  header.version.minor = in.read_u8("archive version");
  // vrev is present for every version after 1.0 (ReadHead)
  if (header.version.major > 1 || header.version.minor > 0)
    header.version.rev = in.read_u8("archive version");
  const archive_version without_rev{header.version.major, header.version.minor, 0};
  if (without_rev < oldest_supported || without_rev > newest_supported)
    throw unsupported_error(
        "archive version " + version_text(header.version) + " at byte " +
            std::to_string(version_at) + " is not supported (supported: " +
            version_text(oldest_supported) + " to " + version_text(newest_supported) + ")",
        without_rev > newest_supported
            ? "This archive was written by a newer pg_dump than pgarc knows."
            : "Archives older than 1.10 come from pg_dump 7.x; restore them with that pg_restore.");

  // pg_restore refuses an intSize over 32 (ReadHead); so do we, and zero,
  // which cannot encode anything.
  const auto read_size = [&](std::string_view what) {
    const std::uint64_t at = in.offset();
    const std::uint8_t size = in.read_u8(what);
    if (size < 1 || size > 32)
      throw unsupported_error(std::string(what) + " at byte " + std::to_string(at) + " is " +
                              std::to_string(size) + " bytes (supported: 1 to 32)");
    return size;
  };
  header.int_size = read_size("integer size in header");
  header.off_size = read_size("offset size in header");
  const std::uint64_t format_at = in.offset();
  header.format = in.read_u8("archive format in header");
  const int_layout layout = layout_of(header);
  const auto read_compression = [&] {
    if (header.version >= k_vers_1_15)
      header.compression_byte = in.read_u8("compression algorithm in header");
    else
      header.compression_level = read_pg_int(in, layout, "compression level in header");
  };
  const bool toc_member = container != archive_layout::custom;
  if (toc_member && header.format != arch_tar && header.format != arch_directory)
    throw unsupported_error("archive format at byte " + std::to_string(format_at) + " is " +
                            std::to_string(header.format) +
                            ", not that of a directory or tar archive's toc.dat (3 or 5)");
  if (!toc_member && header.format != arch_custom) {
    // pg_dump -Fd writes the tar format's code (3) into its toc.dat too; only
    // a compressed one must come from a directory (-Ft never compresses).
    bool compressed = false;
    try {
      read_compression();
      compressed = header.compression() != compression_algorithm::none;
    } catch (const error&) {
      // cut short after the format byte: the format code alone must do
    }
    const std::string kind =
        header.format == arch_directory || (header.format == arch_tar && compressed)
            ? "the toc.dat of a directory-format archive (pg_dump -Fd)"
        : header.format == arch_tar
            ? "the toc.dat of a tar-format (pg_dump -Ft) or directory-format (pg_dump -Fd) archive"
            : "an archive of unknown format (" + std::to_string(header.format) + ")";
    throw unsupported_error("archive format at byte " + std::to_string(format_at) + " says it is " +
                                kind + ", not a custom-format archive",
                            header.format == arch_custom
                                ? std::string()
                                : "A directory-format archive is read through its directory, or "
                                  "its toc.dat given by that name inside the directory.");
  }
  read_compression();

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
