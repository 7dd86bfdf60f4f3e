// SPDX-License-Identifier: PostgreSQL
// The one walker of the data area. Each block is a type byte and a dump id,
// then length-prefixed chunks ending in a zero length; a BLOBS block holds,
// per large object, an OID and such a chunk list, and ends with OID 0 (see
// _readBlockHeader, _skipData and _skipLOs in pg_backup_custom.c). The cursor
// reads the framing and checks it against the TOC; the caller decides what to
// do with each chunk's bytes (copy, decode, skip) and with a faulty block
// (the copy refuses it, the verifier reports it and goes on).
#pragma once

#include "format/pg_codec.hpp"
#include "pgarc/archive.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace pgarc::detail {

/// True when pg_restore looks for a data block for this entry.
bool expects_block(const toc_entry& entry) noexcept;

/// What the walk needs of a TOC entry that expects a data block. The reader
/// keeps these for the data area it leaves unread (about 56 bytes an entry,
/// where a toc_entry takes 288), whatever the caller then does with the TOC.
struct block_entry {
  std::int64_t dump_id = 0;
  offset_state data_state = offset_state::no_data;
  bool blobs = false; ///< a BLOBS entry, whose block holds large objects
  std::uint64_t data_offset = 0;
  pg_string desc; ///< for messages
  pg_string tag;
};

/// The block_entry of each of `entries` that expects a block, in TOC order.
std::vector<block_entry> block_entries(const std::vector<toc_entry>& entries);

/// What is wrong with a block's header, judged against the TOC.
enum class block_fault {
  none,
  unknown_dump_id,  ///< no TOC entry with data has this dump id
  repeated,         ///< the entry's block was already found
  wrong_type,       ///< a data block for a BLOBS entry, or the reverse
  offset_elsewhere, ///< the entry's stored data offset points somewhere else
  claimed,          ///< another entry's stored data offset points here
};

struct block_header {
  std::uint64_t offset = 0; ///< of the type byte
  block_type type = block_type::data;
  std::int64_t dump_id = 0;
  /// The entry the block belongs to; nullptr with unknown_dump_id.
  const block_entry* entry = nullptr;
  block_fault fault = block_fault::none;
  /// The other dump id whose stored data offset points here (0: none).
  std::int64_t claimed_by = 0;
};

/// The fault of `block` as one sentence naming its byte offset ("data block
/// at byte 90 belongs to dump id 99, which has no TOC entry with data").
std::string describe_fault(const block_header& block);

class block_cursor {
public:
  /// Walks `in`, positioned at the first block, for the blocks of `entries`
  /// (block_entries of the archive's TOC). Neither may change while the
  /// cursor lives.
  block_cursor(byte_reader& in, const archive_header& header, std::span<const block_entry> entries);

  /// Reads the next block's type and dump id and checks them. nullopt once
  /// every expected block has been found (the bytes after it are not blocks)
  /// or at the end of the input (missing() then names what is absent).
  /// Throws format_error for a type byte that is no block type: nothing after
  /// it can be framed.
  std::optional<block_header> next_block();

  /// The length of the current chunk list's next chunk, whose bytes the
  /// caller then consumes from input(); 0 ends the list. Throws format_error
  /// for a negative length, one past the end of a file, or one over `limit`.
  std::uint64_t next_chunk(std::uint64_t limit = std::numeric_limits<std::uint64_t>::max());

  /// Chunks of the current list that lie wholly in input().buffered_bytes(),
  /// walked in place and not consumed: their byte count, length fields
  /// included, and whether the list's closing zero length is the last of
  /// them. Copying a chunk list verbatim then costs one copy per run, not
  /// per chunk (pg_dump -Z0 writes a chunk per row). The chunk that does not
  /// fit, and a length field other than the plain form pg_dump writes (a
  /// sign byte set, an int wider than 8 bytes), are left to next_chunk(),
  /// which checks them; one that fits is within the input, so what
  /// next_chunk() would check of it holds.
  struct chunk_run {
    std::uint64_t bytes = 0;
    bool ends_list = false;
  };
  chunk_run buffered_chunks();

  /// In a BLOBS block: the next large object's OID as stored (its chunk
  /// list follows), or 0 after the last one. pg_dump writes an OID as a
  /// signed int, so OIDs from 2^31 up are stored negative.
  std::int64_t next_large_object();

  /// What the current chunks belong to, for messages: "data block of dump
  /// id 7", "large object 16385 in data block of dump id 8".
  const std::string& owner() const noexcept { return m_owner; }
  /// "chunk in " and the owner: what a caller names when it reads the bytes
  /// of a chunk. Made once per block or large object, not per chunk.
  const std::string& chunk_what() const noexcept { return m_chunk_what; }

  /// The entries whose block has not been found, in TOC order.
  std::vector<const block_entry*> missing() const;

  byte_reader& input() noexcept { return m_in; }
  const int_layout& layout() const noexcept { return m_layout; }

private:
  struct expected_block {
    const block_entry* entry;
    bool found = false;
  };
  byte_reader& m_in;
  int_layout m_layout;
  std::span<const block_entry> m_entries;
  std::unordered_map<std::int64_t, expected_block> m_expected;
  /// Which entry's stored data offset names each byte.
  std::unordered_map<std::uint64_t, std::int64_t> m_claimed;
  std::size_t m_missing = 0;
  void set_owner(std::string owner);
  std::string m_block_owner;
  std::string m_oid_what; // "large object OID in " + m_block_owner
  std::string m_owner;
  std::string m_chunk_length_what; // "chunk length in " + m_owner
  std::string m_chunk_what;        // "chunk in " + m_owner
};

} // namespace pgarc::detail
