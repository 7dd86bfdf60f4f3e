// SPDX-License-Identifier: PostgreSQL
// archive_reader: header and TOC into the model; see include/pgarc/reader.hpp.
#include "pgarc/reader.hpp"

#include "format/block_cursor.hpp"
#include "format/header.hpp"
#include "format/toc.hpp"
#include "io/byte_reader.hpp"

#include <algorithm>

namespace pgarc {

archive_reader::archive_reader(byte_source& source)
    : m_source(source), m_reader(std::make_unique<detail::byte_reader>(source)) {
  m_archive.header = detail::read_header(*m_reader);
  m_archive.entries = detail::read_toc(*m_reader, m_archive.header);
  m_archive.data_start = m_data_start = m_reader->offset();
  m_data_entries.reserve(static_cast<std::size_t>(
      std::count_if(m_archive.entries.begin(), m_archive.entries.end(), detail::expects_block)));
  for (const auto& entry : m_archive.entries)
    if (detail::expects_block(entry)) {
      toc_entry& copy = m_data_entries.emplace_back();
      copy.dump_id = entry.dump_id;
      copy.had_dumper = entry.had_dumper;
      copy.table_oid = entry.table_oid;
      copy.oid = entry.oid;
      copy.tag = entry.tag;
      copy.desc = entry.desc;
      copy.section = entry.section;
      copy.namespace_name = entry.namespace_name;
      copy.tablespace = entry.tablespace;
      copy.table_am = entry.table_am;
      copy.relkind = entry.relkind;
      copy.owner = entry.owner;
      copy.with_oids = entry.with_oids;
      copy.dependencies = entry.dependencies;
      copy.data_state = entry.data_state;
      copy.data_offset = entry.data_offset;
      copy.data_file = entry.data_file;
    }
}

archive_reader::~archive_reader() = default;

const std::string& archive_reader::source_name() const noexcept { return m_reader->source_name(); }

archive read_archive_toc(byte_source& source) {
  archive_reader reader(source);
  return reader.take_contents();
}

} // namespace pgarc
