// SPDX-License-Identifier: PostgreSQL
// The archive header (magic, version, sizes, format, compression, creation
// time, names). See ReadHead and WriteHead in pg_backup_archiver.c.
#pragma once

#include "format/pg_codec.hpp"
#include "pgarc/archive.hpp"

namespace pgarc::detail {

/// Reads and checks the header, failing on the first bad field. `layout`
/// says which format byte is expected: archCustom in a custom-format file,
/// archTar or archDirectory in the toc.dat of a directory or tar archive.
archive_header read_header(byte_reader& in, archive_layout layout = archive_layout::custom);
void write_header(byte_writer& out, const archive_header& header);

inline int_layout layout_of(const archive_header& header) noexcept {
  return {header.int_size, header.off_size};
}

} // namespace pgarc::detail
