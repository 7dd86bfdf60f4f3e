// SPDX-License-Identifier: PostgreSQL
// Tar-format archives (pg_dump -Ft), read front to back as a stream: the
// first member, toc.dat, holds the header and TOC (each entry naming its data
// member); data members follow in TOC order, large objects as blob_OID.dat
// members before their list, and restore.sql last (pg_backup_tar.c).
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/io.hpp"
#include "pgarc/stream_rewriter.hpp"
#include "pgarc/verify.hpp"
#include "pgarc/writer.hpp"

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace pgarc {

namespace detail {
class byte_reader;
class tar_gate;
} // namespace detail

/// True when `first` (the input's first bytes, 512 or more) is a valid tar
/// header for a member named toc.dat, as every pg_dump -Ft archive starts.
bool looks_like_tar_archive(std::span<const std::byte> first) noexcept;

/// Reads the toc.dat member of a tar archive on construction and leaves the
/// source at the next member. Throws format_error (a damaged header or
/// toc.dat, naming the member), unsupported_error, io_error.
class tar_archive_reader {
public:
  explicit tar_archive_reader(byte_source& source);
  ~tar_archive_reader();
  tar_archive_reader(const tar_archive_reader&) = delete;
  tar_archive_reader& operator=(const tar_archive_reader&) = delete;

  const archive& contents() const noexcept { return m_archive; }
  /// Moves the header and TOC out; write_tar() still works.
  archive take_contents() noexcept { return std::move(m_archive); }

private:
  friend class detail::tar_gate;
  std::unique_ptr<detail::byte_reader> m_reader;
  archive m_archive;
  std::vector<toc_entry> m_entries_read;
  std::array<std::byte, 512> m_toc_header{};
};

/// Writes `edited` (the reader's contents with changes among entries without
/// data) as a new tar archive to `out`: a new toc.dat member, then every
/// data and large-object member copied as it is (or rewritten when
/// `rewriter` wants it), then the end-of-archive blocks. restore.sql is
/// left out: pg_restore never reads it, and it holds the same definitions
/// as toc.dat, which a rewritten archive would contradict. Calls
/// out.commit() on success. Throws format_error (a member missing, cut
/// short, not named by the TOC, or with a name that is a path), io_error.
write_summary write_tar(tar_archive_reader& source, archive edited, byte_sink& out,
                        const stream_rewriter* rewriter = nullptr);

/// Reads every member after toc.dat and checks it as verify_archive()
/// checks blocks (every data entry has its member, COPY data ends with its
/// terminator). Problems are collected; throws only io_error.
verify_report verify_tar(tar_archive_reader& source);

} // namespace pgarc
