// SPDX-License-Identifier: PostgreSQL
// The temporary directory, toc.dat and the rename; see directory_output.hpp.
#include "directory/directory_output.hpp"

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

namespace pgarc::detail {

namespace {

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  return path;
}

std::string base_of(const std::string& path) {
  const std::string trimmed = without_trailing_slashes(path);
  const auto slash = trimmed.rfind('/');
  return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

} // namespace

std::string parent_of(const std::string& path) {
  const std::string trimmed = without_trailing_slashes(path);
  const auto slash = trimmed.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : trimmed.substr(0, slash);
}

temporary_directory::temporary_directory(const std::string& destination) {
  std::string pattern = parent_of(destination) + "/." + base_of(destination) + ".pgarc-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw io_error("could not create a directory beside \"" + destination + "\": " + std::strerror(errno));
  m_path = pattern;
}

temporary_directory::~temporary_directory() {
  if (!m_path.empty())
    remove_tree(m_path);
}

void temporary_directory::move_into_place(const std::string& destination, bool replace, bool sync) {
  if (sync)
    sync_directory(m_path);
  if (replace) {
    if (::renameat2(AT_FDCWD, m_path.c_str(), AT_FDCWD, destination.c_str(), RENAME_EXCHANGE) != 0)
      throw io_error("could not replace \"" + destination + "\": " + std::strerror(errno));
    // The temporary name now holds the old archive; the destructor removes it.
  } else {
    if (::rename(m_path.c_str(), destination.c_str()) != 0) {
      const int code = errno;
      if (code == ENOTEMPTY || code == EEXIST || code == ENOTDIR || code == EISDIR)
        throw io_error("could not write \"" + destination + "\": it exists and is not an empty directory");
      throw io_error("could not rename \"" + m_path + "\" to \"" + destination + "\": " + std::strerror(code));
    }
    m_path.clear();
  }
  if (sync)
    sync_directory(parent_of(destination));
}

std::string toc_dat_bytes(const archive& contents) {
  memory_sink sink;
  byte_writer writer(sink);
  write_header(writer, contents.header);
  write_toc(writer, contents.header, contents.entries);
  writer.flush();
  const auto& bytes = sink.bytes();
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::set<std::int64_t> ids_with_data_files(const std::vector<toc_entry>& entries) {
  std::set<std::int64_t> ids;
  for (const auto& entry : entries)
    if (entry.has_data() && !entry.data_file.empty())
      ids.insert(entry.dump_id);
  return ids;
}

std::string data_file_name(const archive_header& header, const toc_entry& entry) {
  if (entry.desc_text() != "BLOBS")
    return std::to_string(entry.dump_id) + ".dat";
  return header.version < k_vers_1_16 ? "blobs.toc" : "blobs_" + std::to_string(entry.dump_id) + ".toc";
}

} // namespace pgarc::detail
