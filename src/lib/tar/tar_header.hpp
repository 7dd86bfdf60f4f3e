// SPDX-License-Identifier: PostgreSQL
// The 512-byte ustar member header as pg_dump -Ft writes and pg_restore
// reads it (tarCreateHeader in src/port/tar.c, _tarGetHeader in
// pg_backup_tar.c): name, octal size, checksum; members padded to 512 bytes;
// the archive ends with zero blocks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace pgarc::detail {

inline constexpr std::size_t tar_block = 512;
using tar_header_bytes = std::array<std::byte, tar_block>;

struct tar_member {
  std::string name;
  std::uint64_t size = 0;
  std::uint64_t offset = 0; ///< of the header in the archive
  tar_header_bytes header{};
};

/// Padding after `size` bytes of member data.
inline std::uint64_t tar_padding(std::uint64_t size) noexcept { return (tar_block - size % tar_block) % tar_block; }

/// Decodes a header read at `offset`; nullopt for a block of zeros (the end
/// of the archive). Throws format_error for a bad checksum, size or type.
std::optional<tar_member> decode_tar_header(const tar_header_bytes& header, std::uint64_t offset);

/// A header for a regular file `name` of `size` bytes (mode 0600, owner 0,
/// modification time `mtime`), or `like` with its size replaced.
tar_header_bytes make_tar_header(const std::string& name, std::uint64_t size, std::int64_t mtime);
tar_header_bytes resized_tar_header(const tar_header_bytes& like, std::uint64_t size);

/// True when `header` is a valid tar header naming "toc.dat", as the first
/// member of every pg_dump -Ft archive is.
bool is_tar_toc_header(const tar_header_bytes& header) noexcept;

} // namespace pgarc::detail
