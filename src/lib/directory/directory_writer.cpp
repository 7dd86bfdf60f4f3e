// SPDX-License-Identifier: PostgreSQL
// write_directory: a new toc.dat, the data files that change rewritten, the
// others carried over unread, all in a temporary directory renamed into
// place at the end; see include/pgarc/directory.hpp.
#include "pgarc/directory.hpp"

#include "compress/codec.hpp"
#include "directory/member_names.hpp"
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
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace pgarc {

namespace {

std::string parent_of(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/')
    trimmed.pop_back();
  const auto slash = trimmed.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : trimmed.substr(0, slash);
}

std::string base_of(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/')
    trimmed.pop_back();
  const auto slash = trimmed.rfind('/');
  return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

/// The temporary directory beside the destination, removed unless kept.
class temporary_directory {
public:
  explicit temporary_directory(const std::string& destination) {
    std::string pattern = parent_of(destination) + "/." + base_of(destination) + ".pgarc-XXXXXX";
    if (!::mkdtemp(pattern.data()))
      throw io_error("could not create a directory beside \"" + destination + "\": " + std::strerror(errno));
    m_path = pattern;
  }
  ~temporary_directory() {
    if (!m_path.empty())
      detail::remove_tree(m_path);
  }
  temporary_directory(const temporary_directory&) = delete;
  temporary_directory& operator=(const temporary_directory&) = delete;
  const std::string& path() const noexcept { return m_path; }
  /// After the rename: nothing is left to remove.
  void release() noexcept { m_path.clear(); }

private:
  std::string m_path;
};

std::string toc_bytes(const archive& edited) {
  memory_sink sink;
  detail::byte_writer writer(sink);
  detail::write_header(writer, edited.header);
  detail::write_toc(writer, edited.header, edited.entries);
  writer.flush();
  const auto& bytes = sink.bytes();
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

/// Reads a whole data file (a stream the rewriter holds in memory anyway).
std::string read_whole(const std::string& path, std::uint64_t size) {
  constexpr std::uint64_t limit = std::uint64_t{256} << 20;
  if (size > limit)
    throw unsupported_error("\"" + path + "\" is over 256 MiB; pgarc rewrites only small data files");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::FILE* file = std::fopen(path.c_str(), "rbe");
  if (!file)
    throw io_error("could not open \"" + path + "\": " + std::strerror(errno));
  const std::size_t got = std::fread(bytes.data(), 1, bytes.size(), file);
  std::fclose(file);
  if (got != bytes.size())
    throw io_error("could not read \"" + path + "\": the file became shorter");
  return bytes;
}

/// The data file of `entry` decompressed, rewritten and compressed again
/// with the same algorithm and framing (a gzip file stays a gzip file).
std::string rewritten_file(const std::string& path, const data_file& file, const toc_entry& entry,
                           const archive_header& header, const stream_rewriter& rewriter) {
  const std::string compressed = read_whole(path, file.size);
  const auto decoder = detail::make_decompressor(file.compression, "member \"" + file.file + "\"",
                                                 std::size_t{256} << 20, detail::stream_framing::file);
  std::string stream;
  decoder->feed(std::as_bytes(std::span(compressed.data(), compressed.size())), stream);
  decoder->finish(stream);
  stream = rewriter.rewrite(entry, std::move(stream));
  const int level = header.version < k_vers_1_15 ? static_cast<int>(header.compression_level) : -1;
  const auto encoder = detail::make_compressor(file.compression, level, detail::stream_framing::file);
  std::string out;
  encoder->feed(std::as_bytes(std::span(stream.data(), stream.size())), out);
  encoder->finish(out);
  return out;
}

std::set<std::int64_t> data_ids(const std::vector<toc_entry>& entries) {
  std::set<std::int64_t> ids;
  for (const auto& entry : entries)
    if (entry.has_data() && !entry.data_file.empty())
      ids.insert(entry.dump_id);
  return ids;
}

/// Puts the finished directory at `destination`: renamed there when it does
/// not exist (or is an empty directory), or exchanged with the old archive,
/// which is then removed.
void move_into_place(temporary_directory& built, const std::string& destination, bool replace) {
  if (replace) {
    if (::renameat2(AT_FDCWD, built.path().c_str(), AT_FDCWD, destination.c_str(), RENAME_EXCHANGE) != 0)
      throw io_error("could not replace \"" + destination + "\": " + std::strerror(errno));
    // The temporary name now holds the old archive; its destructor removes it.
    return;
  }
  if (::rename(built.path().c_str(), destination.c_str()) != 0) {
    const int code = errno;
    if (code == ENOTEMPTY || code == EEXIST || code == ENOTDIR || code == EISDIR)
      throw io_error("could not write \"" + destination + "\": it exists and is not an empty directory");
    throw io_error("could not rename \"" + built.path() + "\" to \"" + destination + "\": " + std::strerror(code));
  }
  built.release();
}

} // namespace

directory_write_summary write_directory(const directory_archive& source, archive edited,
                                        const std::string& destination,
                                        const directory_write_options& how) {
  if (data_ids(source.contents().entries) != data_ids(edited.entries))
    throw error("internal error: an edit changed which TOC entries have data files");
  struct stat existing {};
  if (!how.replace && ::lstat(destination.c_str(), &existing) == 0 && !S_ISDIR(existing.st_mode))
    throw io_error("could not write \"" + destination + "\": it exists and is not a directory");

  directory_write_summary summary;
  temporary_directory built(destination);
  if (how.on_temporary)
    how.on_temporary(built.path());
  const std::string& into = built.path();
  detail::write_new_file(into + "/toc.dat", toc_bytes(edited), how.sync);

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
  if (how.sync)
    detail::sync_directory(into);
  move_into_place(built, destination, how.replace);
  if (how.sync)
    detail::sync_directory(parent_of(destination));
  return summary;
}

} // namespace pgarc
