// SPDX-License-Identifier: PostgreSQL
// Building a directory archive: the temporary directory beside the
// destination, the toc.dat bytes, and the final rename. Shared by the
// directory writer and the conversion from a custom-format archive.
#pragma once

#include "pgarc/archive.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace pgarc::detail {

/// The directory holding `path` ("." for a bare name).
std::string parent_of(const std::string& path);

/// A new directory beside the destination, named ".NAME.pgarc-XXXXXX";
/// removed with everything in it unless released.
class temporary_directory {
public:
  /// Throws io_error.
  explicit temporary_directory(const std::string& destination);
  ~temporary_directory();
  temporary_directory(const temporary_directory&) = delete;
  temporary_directory& operator=(const temporary_directory&) = delete;
  const std::string& path() const noexcept { return m_path; }
  /// Syncs the directory (with `sync`) and puts it at `destination`:
  /// renamed there when that does not exist or is an empty directory, or
  /// with `replace` exchanged with the old archive (renameat2
  /// RENAME_EXCHANGE), which is then removed. Throws io_error.
  void move_into_place(const std::string& destination, bool replace, bool sync);

private:
  std::string m_path;
};

/// The bytes of toc.dat for `contents` (header and TOC, file names as the
/// entries' last field).
std::string toc_dat_bytes(const archive& contents);

/// The dump ids of entries that name a data file.
std::set<std::int64_t> ids_with_data_files(const std::vector<toc_entry>& entries);

/// The name pg_dump gives an entry's data file: "<dump id>.dat", and for
/// BLOBS "blobs.toc" (before 1.16) or "blobs_<dump id>.toc".
std::string data_file_name(const archive_header& header, const toc_entry& entry);

} // namespace pgarc::detail
