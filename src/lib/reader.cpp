// SPDX-License-Identifier: PostgreSQL
// archive_reader: header and TOC into the model; see include/pgarc/reader.hpp.
#include "pgarc/reader.hpp"

#include "format/block_cursor.hpp"
#include "format/header.hpp"
#include "format/toc.hpp"
#include "io/byte_reader.hpp"


namespace pgarc {

archive_reader::archive_reader(byte_source& source)
    : m_source(source), m_reader(std::make_unique<detail::byte_reader>(source)) {
  m_archive.header = detail::read_header(*m_reader);
  m_archive.entries = detail::read_toc(*m_reader, m_archive.header);
  m_archive.data_start = m_data_start = m_reader->offset();
  m_data_entries = detail::block_entries(m_archive.entries);
}

archive_reader::~archive_reader() = default;

const std::string& archive_reader::source_name() const noexcept { return m_reader->source_name(); }

archive read_archive_toc(byte_source& source) {
  archive_reader reader(source);
  return reader.take_contents();
}

} // namespace pgarc
