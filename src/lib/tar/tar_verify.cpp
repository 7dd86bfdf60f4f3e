// SPDX-License-Identifier: PostgreSQL
// verify_tar: every member after toc.dat read and checked; see
// include/pgarc/tar.hpp. Tar archives are never compressed, so checking a
// stream means looking at its end.
#include "pgarc/tar.hpp"

#include "format/copy_terminator.hpp"
#include "pgarc/errors.hpp"
#include "tar/tar_gate.hpp"
#include "tar/tar_members.hpp"
#include "verify_problems.hpp"

namespace pgarc {

verify_report verify_tar(tar_archive_reader& source) {
  verify_report report;
  const auto problem = [&](const toc_entry* entry, std::uint64_t offset, std::string message) {
    detail::add_problem(report, entry, offset, std::move(message));
  };
  detail::byte_reader& in = detail::tar_gate::stream(source);
  try {
    detail::tar_member_cursor cursor(in, detail::tar_gate::entries(source));
    while (const auto found = cursor.next()) {
      const detail::tar_member& member = found->member;
      const std::string what = "member \"" + member.name + "\"";
      if (found->kind == detail::member_kind::data || found->kind == detail::member_kind::large_object) {
        ++(found->kind == detail::member_kind::data ? report.data_blocks : report.large_objects);
        report.compressed_bytes += member.size;
        report.decompressed_bytes += member.size;
        // Only the end matters: read the rest through, keep the last bytes.
        const std::uint64_t keep = std::min<std::uint64_t>(member.size, detail::copy_tail_size);
        in.copy_to(nullptr, member.size - keep, what);
        std::string tail;
        in.read_append(tail, keep, what);
        const toc_entry* entry = found->entry;
        if (entry && entry->copy_stmt && !entry->copy_stmt->empty() &&
            !detail::ends_with_copy_terminator(tail, member.size))
          problem(entry, member.offset, what + ": the COPY data does not end with its terminator (\\.)");
      } else {
        in.copy_to(nullptr, member.size, what);
      }
      cursor.finish_member(member);
    }
    cursor.check_complete();
  } catch (const format_error& failure) {
    problem(nullptr, failure.offset(), failure.what());
  }
  return report;
}

} // namespace pgarc
