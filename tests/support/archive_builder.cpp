// SPDX-License-Identifier: PostgreSQL
// archive_builder: hand-encoded archives for tests; see archive_builder.hpp.
#include "archive_builder.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <map>
#include <stdexcept>

namespace pgarc::test {

void put_u8(bytes& out, std::uint8_t value) { out.push_back(std::byte{value}); }

void put_int(bytes& out, std::int64_t value, std::uint8_t int_size) {
  put_u8(out, value < 0 ? 1 : 0);
  std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value)
                                      : static_cast<std::uint64_t>(value);
  for (int index = 0; index < int_size; ++index) {
    put_u8(out, static_cast<std::uint8_t>(index < 8 ? magnitude & 0xff : 0));
    if (index < 8)
      magnitude >>= 8;
  }
}

void put_string(bytes& out, const pg_string& value, std::uint8_t int_size) {
  if (!value) {
    put_int(out, -1, int_size);
    return;
  }
  put_int(out, static_cast<std::int64_t>(value->size()), int_size);
  for (char character : *value)
    out.push_back(static_cast<std::byte>(character));
}

void put_offset(bytes& out, offset_state state, std::uint64_t position, std::uint8_t off_size) {
  put_u8(out, static_cast<std::uint8_t>(state));
  for (int index = 0; index < off_size; ++index) {
    put_u8(out, static_cast<std::uint8_t>(index < 8 ? position & 0xff : 0));
    if (index < 8)
      position >>= 8;
  }
}

bytes to_bytes(std::string_view text) {
  bytes out;
  for (char character : text)
    out.push_back(static_cast<std::byte>(character));
  return out;
}

archive_builder::archive_builder(archive_version version) {
  m_header.version = version;
  m_header.compression_level = 0;
  m_header.compression_byte = 0;
  m_header.tm_year = 126;
  m_header.tm_mon = 10;
  m_header.tm_mday = 21;
  m_header.database_name = "testdb";
  m_header.server_version = "15.20";
  m_header.pg_dump_version = "15.20";
}

archive_builder& archive_builder::add(toc_entry entry) {
  m_entries.push_back(std::move(entry));
  return *this;
}

archive_builder& archive_builder::add_block(block data) {
  m_blocks.push_back(std::move(data));
  return *this;
}

archive_builder& archive_builder::trailer(bytes extra) {
  m_trailer = std::move(extra);
  return *this;
}

toc_entry archive_builder::entry(std::int64_t dump_id, std::string desc, std::string tag,
                                 pg_string namespace_name, pg_string defn) {
  toc_entry result;
  result.dump_id = dump_id;
  result.table_oid = "0";
  result.oid = "0";
  result.tag = std::move(tag);
  result.desc = std::move(desc);
  result.section = static_cast<std::int64_t>(section::pre_data);
  result.defn = std::move(defn);
  result.namespace_name = std::move(namespace_name);
  result.with_oids = "false";
  return result;
}

toc_entry archive_builder::table_data(std::int64_t dump_id, std::string table,
                                      std::int64_t table_id, std::string namespace_name) {
  toc_entry result = entry(dump_id, "TABLE DATA", table, namespace_name);
  result.had_dumper = 1;
  result.section = static_cast<std::int64_t>(section::data);
  result.copy_stmt = "COPY " + namespace_name + "." + table + " FROM stdin;\n";
  result.owner = "postgres";
  result.dependencies = {std::to_string(table_id)};
  return result;
}

toc_entry archive_builder::blobs(std::int64_t dump_id) {
  toc_entry result = entry(dump_id, "BLOBS", "BLOBS");
  result.had_dumper = 1;
  result.section = static_cast<std::int64_t>(section::data);
  return result;
}

namespace {

void put_header(bytes& out, const archive_header& header) {
  for (char character : std::string("PGDMP"))
    out.push_back(static_cast<std::byte>(character));
  put_u8(out, header.version.major);
  put_u8(out, header.version.minor);
  put_u8(out, header.version.rev);
  put_u8(out, header.int_size);
  put_u8(out, header.off_size);
  put_u8(out, header.format);
  if (header.version >= k_vers_1_15)
    put_u8(out, header.compression_byte);
  else
    put_int(out, header.compression_level, header.int_size);
  for (std::int64_t field : {header.tm_sec, header.tm_min, header.tm_hour, header.tm_mday,
                             header.tm_mon, header.tm_year, header.tm_isdst})
    put_int(out, field, header.int_size);
  put_string(out, header.database_name, header.int_size);
  put_string(out, header.server_version, header.int_size);
  put_string(out, header.pg_dump_version, header.int_size);
}

void put_entry(bytes& out, const archive_header& header, const toc_entry& entry) {
  const auto& version = header.version;
  const std::uint8_t size = header.int_size;
  put_int(out, entry.dump_id, size);
  put_int(out, entry.had_dumper, size);
  put_string(out, entry.table_oid, size);
  put_string(out, entry.oid, size);
  put_string(out, entry.tag, size);
  put_string(out, entry.desc, size);
  if (version >= k_vers_1_11)
    put_int(out, entry.section, size);
  put_string(out, entry.defn, size);
  put_string(out, entry.drop_stmt, size);
  put_string(out, entry.copy_stmt, size);
  put_string(out, entry.namespace_name, size);
  put_string(out, entry.tablespace, size);
  if (version >= k_vers_1_14)
    put_string(out, entry.table_am, size);
  if (version >= k_vers_1_16)
    put_int(out, entry.relkind, size);
  put_string(out, entry.owner, size);
  put_string(out, entry.with_oids, size);
  for (const auto& dependency : entry.dependencies)
    put_string(out, dependency, size);
  put_string(out, std::nullopt, size);
  if (header.format == format_byte_custom)
    put_offset(out, entry.data_state, entry.data_offset, header.off_size);
  else
    put_string(out, entry.data_file, size);
}

void put_block(bytes& out, const block& data, std::uint8_t int_size) {
  put_u8(out, static_cast<std::uint8_t>(data.type));
  put_int(out, data.dump_id, int_size);
  auto put_chunks = [&](const std::vector<std::string>& chunks) {
    for (const auto& chunk : chunks) {
      put_int(out, static_cast<std::int64_t>(chunk.size()), int_size);
      for (char character : chunk)
        out.push_back(static_cast<std::byte>(character));
    }
    put_int(out, 0, int_size);
  };
  if (data.type == block_type::blobs) {
    for (const auto& [oid, chunks] : data.blobs) {
      put_int(out, oid, int_size);
      put_chunks(chunks);
    }
    put_int(out, 0, int_size);
  } else {
    put_chunks(data.chunks);
  }
}

} // namespace

bytes archive_builder::encode(bool positions, std::vector<std::uint64_t>* block_offsets) const {
  // Block offsets do not change the TOC's size, so encode twice: once to
  // measure, once with the positions.
  std::map<std::int64_t, std::uint64_t> offsets;
  bytes out;
  for (int pass = 0; pass < 2; ++pass) {
    out.clear();
    put_header(out, m_header);
    put_int(out, static_cast<std::int64_t>(m_entries.size()), m_header.int_size);
    for (auto entry : m_entries) {
      if (entry.had_dumper == 0) {
        entry.data_state = offset_state::no_data;
        entry.data_offset = 0;
      } else if (positions && offsets.count(entry.dump_id)) {
        entry.data_state = offset_state::position_set;
        entry.data_offset = offsets[entry.dump_id];
      } else {
        entry.data_state = offset_state::not_set;
        entry.data_offset = 0;
      }
      put_entry(out, m_header, entry);
    }
    for (const auto& data : m_blocks) {
      offsets[data.dump_id] = out.size();
      if (block_offsets && pass == 1)
        block_offsets->push_back(out.size());
      put_block(out, data, m_header.int_size);
    }
    out.insert(out.end(), m_trailer.begin(), m_trailer.end());
  }
  return out;
}

bytes archive_builder::build(bool positions) const { return encode(positions, nullptr); }

bytes archive_builder::build_header_and_toc(bool positions) const {
  std::vector<std::uint64_t> block_offsets;
  bytes all = encode(positions, &block_offsets);
  const std::size_t end = block_offsets.empty() ? all.size() - m_trailer.size() : block_offsets.front();
  return bytes(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(end));
}

} // namespace pgarc::test

namespace pgarc::test {

namespace {

std::string concatenated(const std::vector<std::string>& chunks) {
  std::string all;
  for (const auto& chunk : chunks)
    all += chunk;
  return all;
}

void write_file(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out)
    throw std::runtime_error("archive_builder: could not write " + path);
}

} // namespace

bytes archive_builder::build_toc_dat() const {
  archive_header header = m_header;
  header.format = format_byte_tar; // as pg_dump -Fd writes it
  bytes out;
  put_header(out, header);
  put_int(out, static_cast<std::int64_t>(m_entries.size()), header.int_size);
  for (auto entry : m_entries) {
    if (entry.had_dumper != 0 && entry.data_file.empty())
      entry.data_file = entry.desc && *entry.desc == "BLOBS" ? "blobs.toc" : std::to_string(entry.dump_id) + ".dat";
    put_entry(out, header, entry);
  }
  return out;
}

void archive_builder::write_directory(const std::string& path) const {
  std::filesystem::create_directory(path);
  const bytes toc = build_toc_dat();
  write_file(path + "/toc.dat", std::string_view(reinterpret_cast<const char*>(toc.data()), toc.size()));
  for (const auto& data : m_blocks) {
    if (data.type == block_type::blobs) {
      std::string list;
      for (const auto& [oid, chunks] : data.blobs) {
        const std::string name = "blob_" + std::to_string(oid) + ".dat";
        list += std::to_string(oid) + " " + name + "\n";
        write_file(path + "/" + name, concatenated(chunks));
      }
      write_file(path + "/blobs.toc", list);
    } else {
      write_file(path + "/" + std::to_string(data.dump_id) + ".dat", concatenated(data.chunks));
    }
  }
}

} // namespace pgarc::test
