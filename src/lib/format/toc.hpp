// SPDX-License-Identifier: PostgreSQL
// The table of contents: an entry count, then one entry per object, each
// ending with the custom format's data offset. See ReadToc/WriteToc in
// pg_backup_archiver.c and _ReadExtraToc/_WriteExtraToc in pg_backup_custom.c.
#pragma once

#include "format/header.hpp"
#include "pgarc/archive.hpp"

#include <vector>

namespace pgarc::detail {

/// Reads the entry count and every entry, gating fields on the version
/// exactly as ReadToc does, and checks what pg_restore relies on.
std::vector<toc_entry> read_toc(byte_reader& in, const archive_header& header);

/// Writes the TOC; each entry's data_state/data_offset are written as they are.
void write_toc(byte_writer& out, const archive_header& header, const std::vector<toc_entry>& entries);

/// Encoded size of the TOC, for placing data blocks before writing it.
std::uint64_t toc_size(const archive_header& header, const std::vector<toc_entry>& entries);

} // namespace pgarc::detail
