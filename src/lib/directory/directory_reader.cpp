// SPDX-License-Identifier: PostgreSQL
// directory_archive: toc.dat into the model, then every data file the TOC
// names found and checked; see include/pgarc/directory.hpp. Only names as
// pg_dump writes them are followed: never a path, never outside the directory.
#include "pgarc/directory.hpp"

#include "directory/member_names.hpp"
#include "format/copy_terminator.hpp"
#include "format/header.hpp"
#include "format/toc.hpp"
#include "io/byte_reader.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"

#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace pgarc {

namespace {

using detail::member_problem;

/// The directory's real path, to tell where symbolic links lead.
std::string real_path_of(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr), &std::free);
  if (!resolved)
    throw io_error("could not open \"" + path + "\": " + std::strerror(errno));
  return resolved.get();
}

/// Reads the whole of a small member (blobs.toc) or its last bytes.
std::string read_bytes(const std::string& path, std::uint64_t from, std::uint64_t length) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw io_error("could not open \"" + path + "\": " + std::strerror(errno));
  std::string bytes(static_cast<std::size_t>(length), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::pread(fd, bytes.data() + done, bytes.size() - done,
                                static_cast<off_t>(from + done));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      const int code = errno;
      ::close(fd);
      throw io_error("could not read \"" + path + "\": " +
                     (got < 0 ? std::string(std::strerror(code)) : "the file became shorter"));
    }
    done += static_cast<std::size_t>(got);
  }
  ::close(fd);
  return bytes;
}

class file_finder {
public:
  explicit file_finder(std::string directory)
      : m_directory(std::move(directory)), m_real_directory(real_path_of(m_directory)) {}

  /// Finds `name` as pg_restore does: the name itself, else with the suffix
  /// of each compression (InitDiscoverCompressFileHandle). `owner` names the
  /// member's owner in messages.
  struct found {
    std::string file;
    compression_algorithm compression;
    std::uint64_t size;
  };
  found find(const std::string& name, const std::string& owner) const {
    if (const std::string problem = detail::unsafe_member_name(name); !problem.empty())
      throw member_problem(owner, name, problem);
    for (const auto& [suffix, algorithm] : detail::compression_suffixes) {
      const std::string file = name + std::string(suffix);
      const std::string path = m_directory + "/" + file;
      struct stat link_info {};
      if (::lstat(path.c_str(), &link_info) != 0) {
        if (errno == ENOENT)
          continue;
        throw io_error("could not open \"" + path + "\": " + std::strerror(errno));
      }
      if (S_ISLNK(link_info.st_mode)) {
        const std::string target = real_path_of(path);
        if (target.compare(0, m_real_directory.size() + 1, m_real_directory + "/") != 0)
          throw member_problem(owner, file, "is a symbolic link to \"" + target + "\", outside the archive");
      }
      struct stat info {};
      if (::stat(path.c_str(), &info) != 0)
        throw io_error("could not open \"" + path + "\": " + std::strerror(errno));
      if (!S_ISREG(info.st_mode))
        throw member_problem(owner, file, "is not a regular file");
      return {file, algorithm, static_cast<std::uint64_t>(info.st_size)};
    }
    throw member_problem(owner, name, "is missing (looked for " + name + " with no suffix, .gz, .lz4 and .zst)");
  }

  /// Cheap checks that catch a file cut short without decompressing it: a
  /// compressed file must start with its format's signature, an
  /// uncompressed COPY stream must end with its terminator.
  void check_ends(const found& what, const std::string& owner, bool is_copy) const {
    const std::string path = m_directory + "/" + what.file;
    const auto signature = detail::signature_of(what.compression);
    if (!signature.empty()) {
      if (what.size < signature.size() ||
          read_bytes(path, 0, signature.size()) != signature)
        throw member_problem(owner, what.file,
                             what.size == 0 ? "is empty (truncated)"
                                            : "does not start with the " +
                                                  std::string(detail::compression_name(what.compression)) +
                                                  " signature");
      return;
    }
    if (!is_copy)
      return;
    const std::uint64_t length = std::min<std::uint64_t>(what.size, detail::copy_tail_size);
    if (!detail::ends_with_copy_terminator(read_bytes(path, what.size - length, length), what.size))
      throw member_problem(owner, what.file, "is truncated (the COPY data does not end with its terminator \\.)");
  }

  const std::string& directory() const noexcept { return m_directory; }

private:
  std::string m_directory;
  std::string m_real_directory;
};

/// The lines of a blobs.toc: "OID FILE\n" each (_EndLO; read back by _LoadLOs).
std::vector<large_object_file> read_blobs_toc(const file_finder& finder, const data_file& list,
                                              const std::string& owner) {
  if (list.compression != compression_algorithm::none)
    throw member_problem(owner, list.file, "is compressed; pg_dump never compresses a large-object list");
  // pg_restore reads lines of at most MAXPGPATH bytes; a list has one short
  // line per large object, so a gigabyte is far beyond any real one.
  constexpr std::uint64_t max_list = std::uint64_t{1} << 30;
  if (list.size > max_list)
    throw member_problem(owner, list.file, "is larger than 1 GiB, far more than a large-object list holds");
  const std::string text = read_bytes(finder.directory() + "/" + list.file, 0, list.size);
  std::vector<large_object_file> objects;
  std::size_t line_start = 0;
  std::size_t line_number = 0;
  while (line_start < text.size()) {
    ++line_number;
    std::size_t line_end = text.find('\n', line_start);
    const bool complete = line_end != std::string::npos;
    if (!complete)
      line_end = text.size();
    const std::string line = text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    const auto space = line.find(' ');
    const auto bad_line = [&](const std::string& problem) {
      return member_problem(owner, list.file, "line " + std::to_string(line_number) + " " + problem);
    };
    if (!complete)
      throw bad_line("does not end with a newline (truncated)");
    if (space == std::string::npos || space == 0)
      throw bad_line("is not \"OID FILE\"");
    std::uint64_t oid = 0;
    for (std::size_t at = 0; at < space; ++at) {
      if (line[at] < '0' || line[at] > '9' || oid > UINT32_MAX / 10)
        throw bad_line("does not start with a large object's OID");
      oid = oid * 10 + static_cast<std::uint64_t>(line[at] - '0');
    }
    if (oid == 0 || oid > UINT32_MAX)
      throw bad_line("does not start with a large object's OID");
    large_object_file object;
    object.oid = static_cast<std::uint32_t>(oid);
    object.name = line.substr(space + 1);
    const auto found = finder.find(object.name, owner);
    finder.check_ends(found, owner, false);
    object.file = found.file;
    object.compression = found.compression;
    object.size = found.size;
    objects.push_back(std::move(object));
  }
  return objects;
}

} // namespace

bool is_directory_archive(const std::string& path) noexcept {
  struct stat info {};
  if (path == "-" || ::stat(path.c_str(), &info) != 0)
    return false;
  if (S_ISDIR(info.st_mode))
    return true;
  const auto slash = path.rfind('/');
  return S_ISREG(info.st_mode) && path.substr(slash == std::string::npos ? 0 : slash + 1) == "toc.dat";
}

directory_archive::directory_archive(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    throw io_error("could not open \"" + path + "\": " + std::strerror(errno));
  if (S_ISDIR(info.st_mode)) {
    m_directory = path;
  } else {
    const auto slash = path.rfind('/');
    m_directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  }
  const auto toc = file_source::open(m_directory + "/toc.dat");
  try {
    detail::byte_reader in(*toc);
    m_archive.header = detail::read_header(in, archive_layout::directory);
    m_archive.entries = detail::read_toc(in, m_archive.header);
    m_archive.data_start = in.offset();
    m_archive.layout = archive_layout::directory;
  } catch (const format_error& problem) {
    throw format_error("member \"toc.dat\": " + std::string(problem.what()), problem.offset(),
                       problem.hint());
  } catch (const unsupported_error& problem) {
    throw unsupported_error("member \"toc.dat\": " + std::string(problem.what()), problem.hint());
  }
  const file_finder finder(m_directory);
  for (const auto& entry : m_archive.entries) {
    if (!entry.has_data() || entry.data_file.empty())
      continue;
    const std::string owner = "dump id " + std::to_string(entry.dump_id);
    data_file file;
    file.dump_id = entry.dump_id;
    file.name = entry.data_file;
    file.is_blobs = entry.desc_text() == "BLOBS";
    // Before 1.16 the list is always blobs.toc, whatever the TOC says (_LoadLOs).
    const std::string name = file.is_blobs && entry.data_file != "blobs.toc" &&
                                     m_archive.header.version < k_vers_1_16
                                 ? "blobs.toc"
                                 : entry.data_file;
    const auto found = finder.find(name, owner);
    file.file = found.file;
    file.compression = found.compression;
    file.size = found.size;
    if (file.is_blobs)
      file.large_objects = read_blobs_toc(finder, file, owner);
    else
      finder.check_ends(found, owner, entry.copy_stmt && !entry.copy_stmt->empty());
    m_files.push_back(std::move(file));
  }
}

const data_file* directory_archive::file_of(std::int64_t dump_id) const noexcept {
  for (const auto& file : m_files)
    if (file.dump_id == dump_id)
      return &file;
  return nullptr;
}

} // namespace pgarc
