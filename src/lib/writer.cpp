// SPDX-License-Identifier: PostgreSQL
// write_archive: header, TOC, then the data area, with data offsets placed as
// pg_dump's _CloseArchive places them; see include/pgarc/writer.hpp.
#include "pgarc/writer.hpp"

#include "format/data_blocks.hpp"
#include "format/header.hpp"
#include "format/toc.hpp"
#include "io/byte_reader.hpp"
#include "io/byte_writer.hpp"
#include "pgarc/errors.hpp"

#include <set>

namespace pgarc {

namespace {

std::set<std::int64_t> data_ids(const std::vector<toc_entry>& entries) {
  std::set<std::int64_t> ids;
  for (const auto& entry : entries)
    if (detail::expects_block(entry))
      ids.insert(entry.dump_id);
  return ids;
}

} // namespace

write_summary write_archive(archive_reader& source, const archive& edited, byte_sink& out,
                            const write_options& how) {
  const stream_rewriter* rewriter = how.rewriter;
  source.data_stream().set_progress(how.progress);
  const archive& original = source.contents();
  if (data_ids(original.entries) != data_ids(edited.entries))
    throw error("internal error: an edit changed which TOC entries have data blocks");

  std::vector<toc_entry> entries = edited.entries;
  detail::byte_writer writer(out);
  detail::write_header(writer, edited.header);
  const std::uint64_t toc_at = writer.offset();
  const std::uint64_t data_start = toc_at + detail::toc_size(edited.header, entries);

  // Positions the input had move by the change in TOC size; copy_data_area
  // checks that every stored position really points at its block. A block
  // that is rewritten changes size, so then only a seekable output can
  // have positions.
  bool rewrites_data = false;
  if (rewriter)
    for (const auto& entry : entries)
      rewrites_data = rewrites_data || (detail::expects_block(entry) && rewriter->wants(entry));
  bool all_positioned = true;
  for (auto& entry : entries) {
    if (!detail::expects_block(entry))
      continue;
    if (rewrites_data) {
      entry.data_state = offset_state::not_set;
      entry.data_offset = 0;
      all_positioned = false;
    } else if (entry.data_state == offset_state::position_set)
      entry.data_offset = entry.data_offset - original.data_start + data_start;
    else
      all_positioned = false;
  }
  detail::write_toc(writer, edited.header, entries);

  const auto positions = detail::copy_data_area(source.data_stream(), writer, edited.header,
                                               original.entries, rewriter);
  writer.flush();
  write_summary summary;
  summary.bytes_written = writer.offset();
  summary.data_blocks = positions.size();
  summary.offsets_set = all_positioned;

  if (out.is_seekable() && !all_positioned) {
    // Like pg_dump's second WriteToc pass: same size, positions filled in.
    for (auto& entry : entries) {
      if (!detail::expects_block(entry))
        continue;
      entry.data_state = offset_state::position_set;
      entry.data_offset = positions.at(entry.dump_id);
    }
    memory_sink toc_bytes;
    detail::byte_writer toc_writer(toc_bytes, 1 << 16);
    detail::write_toc(toc_writer, edited.header, entries);
    toc_writer.flush();
    out.overwrite_at(toc_at, toc_bytes.bytes());
    summary.offsets_set = true;
  }
  out.commit();
  return summary;
}

} // namespace pgarc
