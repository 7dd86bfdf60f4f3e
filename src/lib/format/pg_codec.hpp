// SPDX-License-Identifier: PostgreSQL
// pg_dump's primitive encodings: int (sign byte + intSize little-endian bytes),
// string (int length, -1 = NULL, then bytes) and offset (flag byte + offSize
// bytes). See ReadInt, ReadStr, ReadOffset in pg_backup_archiver.c.
#pragma once

#include "io/byte_reader.hpp"
#include "io/byte_writer.hpp"
#include "pgarc/archive.hpp"

#include <cstdint>
#include <string_view>

namespace pgarc::detail {

/// The integer widths an archive's header declares.
struct int_layout {
  std::uint8_t int_size = 4;
  std::uint8_t off_size = 8;
};

/// Longest string we accept: PostgreSQL's 1 GB limit on a single value.
inline constexpr std::int64_t max_string_length = (std::int64_t{1} << 30) - 1;

std::int64_t read_pg_int(byte_reader& in, const int_layout& layout, std::string_view what);
pg_string read_pg_string(byte_reader& in, const int_layout& layout, std::string_view what);

struct pg_offset {
  offset_state state = offset_state::no_data;
  std::uint64_t position = 0;
};
pg_offset read_pg_offset(byte_reader& in, const int_layout& layout, std::string_view what);

void write_pg_int(byte_writer& out, const int_layout& layout, std::int64_t value);
void write_pg_string(byte_writer& out, const int_layout& layout, const pg_string& value);
void write_pg_offset(byte_writer& out, const int_layout& layout, const pg_offset& value);

/// Encoded sizes, for computing positions before writing.
std::uint64_t pg_int_size(const int_layout& layout) noexcept;
std::uint64_t pg_string_size(const int_layout& layout, const pg_string& value) noexcept;
std::uint64_t pg_offset_size(const int_layout& layout) noexcept;

} // namespace pgarc::detail
