// SPDX-License-Identifier: PostgreSQL
// What write_tar() and verify_tar() need of a tar_archive_reader: the stream
// after toc.dat, the TOC as read and toc.dat's header. Library only.
#pragma once

#include "pgarc/tar.hpp"
#include "tar/tar_header.hpp"

namespace pgarc::detail {

class tar_gate {
public:
  static byte_reader& stream(tar_archive_reader& reader) noexcept { return *reader.m_reader; }
  static const std::vector<toc_entry>& entries(const tar_archive_reader& reader) noexcept {
    return reader.m_entries_read;
  }
  static tar_header_bytes toc_header(const tar_archive_reader& reader) noexcept { return reader.m_toc_header; }
};

} // namespace pgarc::detail
