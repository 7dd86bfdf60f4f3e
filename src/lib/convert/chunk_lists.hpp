// SPDX-License-Identifier: PostgreSQL
// What the conversions from a custom archive share about its chunk lists:
// a whole stream gathered for a stream_rewriter, and the OID a BLOBS block
// stores. Only src/lib/convert includes this header.
#pragma once

#include "format/block_cursor.hpp"
#include "format/data_blocks.hpp"
#include "io/byte_reader.hpp"
#include "pgarc/errors.hpp"

#include <cstdint>
#include <string>

namespace pgarc::detail {

/// The payloads of the cursor's current chunk list, one after another.
/// Throws unsupported_error past max_rewritten_stream, format_error.
inline std::string gather_chunks(block_cursor& cursor) {
  std::string all;
  while (const std::uint64_t length = cursor.next_chunk(max_rewritten_stream)) {
    if (all.size() + length > max_rewritten_stream)
      throw unsupported_error(cursor.owner() + " is over 256 MiB; pgarc rewrites only small streams");
    cursor.input().read_append(all, length, cursor.chunk_what());
  }
  return all;
}

/// The OID a BLOBS block stores as a signed int, as the unsigned number
/// pg_dump prints in blobs.toc (pg_dump passes the OID through an int).
inline std::uint32_t oid_of(std::int64_t stored) { return static_cast<std::uint32_t>(stored); }

} // namespace pgarc::detail
