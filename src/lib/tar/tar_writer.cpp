// SPDX-License-Identifier: PostgreSQL
// write_tar: a new toc.dat member, then the data members copied (or
// rewritten), restore.sql left out; see include/pgarc/tar.hpp.
#include "pgarc/tar.hpp"

#include "directory/directory_output.hpp"
#include "format/data_blocks.hpp"
#include "io/byte_writer.hpp"
#include "pgarc/errors.hpp"
#include "tar/tar_gate.hpp"
#include "tar/tar_members.hpp"


namespace pgarc {

namespace {

void write_padding(detail::byte_writer& out, std::uint64_t size) {
  static const std::array<std::byte, detail::tar_block> zeros{};
  out.write(std::span(zeros.data(), static_cast<std::size_t>(detail::tar_padding(size))));
}


} // namespace

write_summary write_tar(tar_archive_reader& source, archive edited, byte_sink& out,
                        const stream_rewriter* rewriter) {
  if (detail::ids_with_data_files(detail::tar_gate::entries(source)) != detail::ids_with_data_files(edited.entries))
    throw error("internal error: an edit changed which TOC entries have data members");
  detail::byte_reader& in = detail::tar_gate::stream(source);
  write_summary summary;
  detail::byte_writer writer(out);
  const std::string toc = detail::toc_dat_bytes(edited);
  const auto toc_header = detail::resized_tar_header(detail::tar_gate::toc_header(source), toc.size());
  writer.write(toc_header);
  writer.write(toc);
  write_padding(writer, toc.size());

  detail::tar_member_cursor cursor(in, detail::tar_gate::entries(source));
  detail::writer_sink copy(writer);
  while (const auto found = cursor.next()) {
    const detail::tar_member& member = found->member;
    const std::string what = "member \"" + member.name + "\"";
    if (found->kind == detail::member_kind::script) {
      in.copy_to(nullptr, member.size, what);
    } else if (found->kind == detail::member_kind::data && rewriter && rewriter->wants(*found->entry)) {
      if (member.size > detail::max_rewritten_stream)
        throw unsupported_error(what + " is over 256 MiB; pgarc rewrites only small data files");
      std::string stream;
      in.read_append(stream, member.size, what);
      stream = rewriter->rewrite(*found->entry, std::move(stream));
      writer.write(detail::resized_tar_header(member.header, stream.size()));
      writer.write(stream);
      write_padding(writer, stream.size());
      ++summary.data_blocks;
    } else {
      writer.write(member.header);
      in.copy_to(&copy, member.size, what);
      write_padding(writer, member.size);
      summary.data_blocks += found->kind == detail::member_kind::data ? 1 : 0;
    }
    cursor.finish_member(member);
  }
  cursor.check_complete();
  // The end of the archive: two blocks of zeros.
  static const std::array<std::byte, 2 * detail::tar_block> end{};
  writer.write(end);
  writer.flush();
  summary.bytes_written = writer.offset();
  out.commit();
  return summary;
}

} // namespace pgarc
