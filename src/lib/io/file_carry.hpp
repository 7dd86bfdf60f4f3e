// SPDX-License-Identifier: PostgreSQL
// Whole files carried from one directory to another without reading them
// in user space: a reflink (FICLONE), a hard link, or copy_file_range. The
// directory writer uses it for every data file it does not change.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pgarc::detail {

enum class carried { cloned, linked, copied };

/// Makes `to` (which must not exist) a hard link to `from` when `link` is
/// set; otherwise a reflink of it where the filesystem can, else a copy made
/// in the kernel (or through a buffer where that is refused). `copied_bytes`
/// grows by the bytes copied. With `sync`, a new file is flushed to disk.
/// Throws io_error naming the file.
carried carry_file(const std::string& from, const std::string& to, bool link, bool sync,
                   std::uint64_t& copied_bytes);

/// A file created (it must not exist) and appended to; finish() closes it.
class new_file {
public:
  /// Throws io_error.
  explicit new_file(std::string path);
  ~new_file();
  new_file(const new_file&) = delete;
  new_file& operator=(const new_file&) = delete;
  void append(std::string_view bytes);
  /// Flushes (with `sync`) and closes, reporting any delayed write error.
  void finish(bool sync);

private:
  std::string m_path;
  int m_fd;
};

/// Writes `bytes` as the new file `to`; flushed with `sync`. Throws io_error.
void write_new_file(const std::string& to, const std::string& bytes, bool sync);

/// The whole file `path` (a data stream a rewriter holds in memory anyway);
/// unsupported_error when it is over `limit` bytes, io_error.
std::string read_whole_file(const std::string& path, std::uint64_t limit);

/// Removes `path` and everything under it, without following symbolic
/// links; a missing path is fine. Never throws (best effort).
void remove_tree(const std::string& path) noexcept;

/// Flushes a directory's entries (after files were created or renamed in it).
void sync_directory(const std::string& path);

} // namespace pgarc::detail
