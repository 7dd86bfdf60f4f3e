// SPDX-License-Identifier: PostgreSQL
// write_directory_from_custom: the blocks of a custom archive, walked by the
// block cursor, become the files of a directory archive; the chunks'
// payloads are written one after another, never decoded. See
// include/pgarc/convert.hpp.
#include "pgarc/convert.hpp"

#include "compress/codec.hpp"
#include "convert/chunk_lists.hpp"
#include "directory/directory_output.hpp"
#include "directory/member_names.hpp"
#include "format/block_cursor.hpp"
#include "format/data_blocks.hpp"
#include "io/byte_reader.hpp"
#include "io/file_carry.hpp"
#include "pgarc/errors.hpp"
#include "reader_gate.hpp"

#include <unordered_map>

namespace pgarc {

conversion_obstacle conversion_obstacle_of(const archive_header& header, archive_layout from,
                                           archive_layout to) noexcept {
  if (from == to)
    return conversion_obstacle::none;
  return header.compression() == compression_algorithm::gzip ? conversion_obstacle::gzip_framing
                                                             : conversion_obstacle::none;
}

namespace {

/// Writes one chunk list from the cursor into `file`, payloads only.
void write_chunks(detail::block_cursor& cursor, detail::new_file& file) {
  std::string payload;
  while (const std::uint64_t length = cursor.next_chunk()) {
    payload.clear();
    cursor.input().read_append(payload, length, cursor.chunk_what());
    file.append(payload);
  }
}

} // namespace

directory_write_summary write_directory_from_custom(archive_reader& source, archive edited,
                                                   const std::string& destination,
                                                   const directory_write_options& how) {
  if (conversion_obstacle_of(edited.header, archive_layout::custom, archive_layout::directory) !=
      conversion_obstacle::none)
    throw unsupported_error("the data is gzip-compressed: a custom archive holds zlib streams and a "
                            "directory archive gzip files, whose checksums differ, so converting "
                            "would mean decompressing every stream");
  detail::byte_reader& in = detail::reader_gate::data_stream(source);
  const std::vector<detail::block_entry>& blocks = detail::reader_gate::data_entries(source);
  edited.header.format = format_byte_tar; // what pg_dump -Fd writes in toc.dat
  edited.layout = archive_layout::directory;
  std::unordered_map<std::int64_t, toc_entry*> by_id;
  for (auto& entry : edited.entries) {
    entry.data_file.clear();
    if (detail::expects_block(entry)) {
      entry.data_file = detail::data_file_name(edited.header, entry);
      by_id.emplace(entry.dump_id, &entry);
    }
    entry.data_state = entry.data_file.empty() ? offset_state::no_data : offset_state::not_set;
    entry.data_offset = 0;
  }

  directory_write_summary summary;
  detail::temporary_directory built(destination);
  if (how.on_temporary)
    how.on_temporary(built.path());
  const std::string& into = built.path();
  const compression_algorithm algorithm = edited.header.compression();
  const std::string suffix(detail::suffix_of(algorithm));
  detail::block_cursor cursor(in, edited.header, blocks);
  while (const auto block = cursor.next_block()) {
    if (block->fault != detail::block_fault::none)
      throw format_error(detail::describe_fault(*block), block->offset);
    const auto found = by_id.find(block->dump_id);
    if (found == by_id.end())
      throw error("internal error: an edit changed which TOC entries have data blocks");
    const toc_entry& entry = *found->second;
    if (block->type == block_type::data) {
      detail::new_file file(into + "/" + entry.data_file + suffix);
      if (how.rewriter && how.rewriter->wants(entry)) {
        file.append(detail::recompress(detail::gather_chunks(cursor), algorithm,
                                       static_cast<int>(edited.header.compression_level),
                                       detail::stream_framing::block, detail::stream_framing::file,
                                       cursor.owner(), detail::max_rewritten_stream,
                                       [&](std::string stream) { return how.rewriter->rewrite(entry, std::move(stream)); }));
        ++summary.files_rewritten;
      } else {
        write_chunks(cursor, file);
        ++summary.files_copied;
      }
      file.finish(how.sync);
      continue;
    }
    std::string list;
    while (const std::int64_t stored = cursor.next_large_object()) {
      const std::string name = "blob_" + std::to_string(detail::oid_of(stored)) + ".dat";
      list += std::to_string(detail::oid_of(stored)) + " " + name + "\n";
      detail::new_file file(into + "/" + name + suffix);
      write_chunks(cursor, file);
      file.finish(how.sync);
      ++summary.files_copied;
    }
    detail::write_new_file(into + "/" + entry.data_file, list, how.sync);
  }
  if (const auto missing = cursor.missing(); !missing.empty())
    throw format_error("no data block found for dump id " + std::to_string(missing.front()->dump_id) +
                           " before the end of the archive",
                       in.offset());
  detail::write_new_file(into + "/toc.dat", detail::toc_dat_bytes(edited), how.sync);
  built.move_into_place(destination, how.replace, how.sync);
  return summary;
}

} // namespace pgarc
