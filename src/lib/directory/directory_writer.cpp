// SPDX-License-Identifier: PostgreSQL
// write_directory: a new toc.dat, the data files that change rewritten, the
// others carried over unread, all in a temporary directory renamed into
// place at the end; see include/pgarc/directory.hpp.
#include "pgarc/directory.hpp"

#include "compress/codec.hpp"
#include "directory/directory_output.hpp"
#include "directory/member_names.hpp"
#include "format/data_blocks.hpp"
#include "format/header.hpp"
#include "format/toc.hpp"
#include "io/byte_writer.hpp"
#include "io/file_carry.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgarc {

namespace {

/// The data file of `entry` decompressed, rewritten and compressed again
/// with the same algorithm and framing (a gzip file stays a gzip file).
std::string rewritten_file(const std::string& path, const data_file& file, const toc_entry& entry,
                           const archive_header& header, const stream_rewriter& rewriter) {
  return detail::recompress(detail::read_whole_file(path, detail::max_rewritten_stream), file.compression, static_cast<int>(header.compression_level),
                            detail::stream_framing::file, detail::stream_framing::file,
                            "member \"" + file.file + "\"", detail::max_rewritten_stream,
                            [&](std::string stream) { return rewriter.rewrite(entry, std::move(stream)); });
}


} // namespace

directory_write_summary write_directory(const directory_archive& source, archive edited,
                                        const std::string& destination,
                                        const directory_write_options& how) {
  if (detail::ids_with_data_files(source.contents().entries) != detail::ids_with_data_files(edited.entries))
    throw error("internal error: an edit changed which TOC entries have data files");
  struct stat existing {};
  if (!how.replace && ::lstat(destination.c_str(), &existing) == 0 && !S_ISDIR(existing.st_mode))
    throw io_error("could not write \"" + destination + "\": it exists and is not a directory");

  directory_write_summary summary;
  detail::temporary_directory built(destination);
  if (how.on_temporary)
    how.on_temporary(built.path());
  const std::string& into = built.path();
  detail::write_new_file(into + "/toc.dat", detail::toc_dat_bytes(edited), how.sync);

  const auto carry = [&](const std::string& file) {
    switch (detail::carry_file(source.directory() + "/" + file, into + "/" + file,
                               how.carry == carry_over::hard_link, how.sync, summary.bytes_copied)) {
    case detail::carried::cloned: ++summary.files_cloned; break;
    case detail::carried::linked: ++summary.files_linked; break;
    case detail::carried::copied: ++summary.files_copied; break;
    }
  };
  for (const auto& entry : edited.entries) {
    const data_file* file = source.file_of(entry.dump_id);
    if (!file)
      continue;
    if (!file->is_blobs && how.rewriter && how.rewriter->wants(entry)) {
      detail::write_new_file(into + "/" + file->file,
                             rewritten_file(source.directory() + "/" + file->file, *file, entry,
                                            edited.header, *how.rewriter),
                             how.sync);
      ++summary.files_rewritten;
      continue;
    }
    carry(file->file);
    for (const auto& object : file->large_objects)
      carry(object.file);
  }
  built.move_into_place(destination, how.replace, how.sync);
  return summary;
}

} // namespace pgarc
