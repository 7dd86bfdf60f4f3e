// SPDX-License-Identifier: PostgreSQL
// Checking an archive without a database: every data and blob block is
// decompressed (and thrown away) and its framing, stream and terminator checked.
#pragma once

#include "pgarc/reader.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pgarc {

struct verify_problem {
  std::int64_t dump_id = 0; ///< 0: about the archive as a whole
  std::string desc;
  std::string tag;
  std::uint64_t offset = 0; ///< byte offset where the problem was found
  std::string message;
};

struct verify_report {
  std::uint64_t data_blocks = 0;
  std::uint64_t large_objects = 0;
  std::uint64_t compressed_bytes = 0;   ///< chunk payload bytes read
  std::uint64_t decompressed_bytes = 0; ///< bytes the streams decode to
  std::vector<verify_problem> problems;

  bool ok() const noexcept { return problems.empty(); }
};

/// Reads the rest of `source` (just past its TOC) and checks it: every entry
/// with data has exactly one block of the right type and dump id; chunk
/// lengths are sane; each compressed stream is complete and valid; COPY
/// streams end with their terminator; stored offsets point at their blocks.
/// Problems are collected, not thrown; reading stops at the first problem
/// that makes the rest unreadable (truncation, broken framing). Throws only
/// io_error.
verify_report verify_archive(archive_reader& source);

/// Reads the archive in `source` and checks it as above, in one call.
/// Throws format_error or unsupported_error when the header or TOC cannot be
/// read, and io_error.
verify_report verify_archive(byte_source& source);

} // namespace pgarc

namespace pgarc {
/// The report as one JSON object.
std::string format_verify_json(const verify_report& report);
} // namespace pgarc
