// SPDX-License-Identifier: PostgreSQL
// write_custom_from_directory: the files of a directory archive become the
// blocks of one custom-format archive, each file's bytes cut into chunks
// and never decoded; offsets are filled in afterwards when the output can
// seek (as _CloseArchive in pg_backup_custom.c does). See include/pgarc/convert.hpp.
#include "pgarc/convert.hpp"

#include "compress/codec.hpp"
#include "directory/member_names.hpp"
#include "format/data_blocks.hpp"
#include "format/header.hpp"
#include "format/pg_codec.hpp"
#include "format/toc.hpp"
#include "io/byte_writer.hpp"
#include "io/file_carry.hpp"
#include "pgarc/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace pgarc {

namespace {

/// Chunk size of the blocks written: pg_dump's own vary (one per row, 4 KiB
/// of zlib output, 128 kB in master); any size restores the same.
constexpr std::size_t chunk_size = 128 * 1024;

class block_writer {
public:
  block_writer(detail::byte_writer& out, const archive_header& header)
      : m_out(out), m_layout(detail::layout_of(header)), m_buffer(chunk_size) {}

  void start(block_type type, std::int64_t dump_id) {
    m_out.write_u8(static_cast<std::uint8_t>(type));
    detail::write_pg_int(m_out, m_layout, dump_id);
  }
  /// The whole of file `path` as chunks, then the end of the chunk list.
  void file_as_chunks(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rbe");
    if (!file)
      throw io_error("could not open \"" + path + "\": " + std::strerror(errno));
    std::size_t got = 0;
    while ((got = std::fread(m_buffer.data(), 1, m_buffer.size(), file)) > 0)
      chunk(std::string_view(m_buffer.data(), got));
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed)
      throw io_error("could not read \"" + path + "\"");
    end_list();
  }
  /// `bytes` as chunks, then the end of the chunk list.
  void bytes_as_chunks(std::string_view bytes) {
    for (std::size_t at = 0; at < bytes.size(); at += chunk_size)
      chunk(bytes.substr(at, chunk_size));
    end_list();
  }
  void integer(std::int64_t value) { detail::write_pg_int(m_out, m_layout, value); }
  void end_list() { integer(0); }

private:
  void chunk(std::string_view bytes) {
    integer(static_cast<std::int64_t>(bytes.size()));
    m_out.write(bytes);
  }
  detail::byte_writer& m_out;
  detail::int_layout m_layout;
  std::vector<char> m_buffer;
};

/// The OID as pg_dump stores it in a BLOBS block: through an int, so from
/// 2^31 up it is negative.
std::int64_t stored_oid(std::uint32_t oid) { return static_cast<std::int32_t>(oid); }

} // namespace

write_summary write_custom_from_directory(const directory_archive& source, archive edited, byte_sink& out,
                                          const stream_rewriter* rewriter) {
  const compression_algorithm algorithm = edited.header.compression();
  if (conversion_obstacle_of(edited.header, archive_layout::directory, archive_layout::custom) !=
      conversion_obstacle::none)
    throw unsupported_error("the data is gzip-compressed: a directory archive holds gzip files and a "
                            "custom archive zlib streams, whose checksums differ, so converting "
                            "would mean decompressing every stream");
  for (const auto& file : source.files()) {
    const bool mixed = file.is_blobs ? std::any_of(file.large_objects.begin(), file.large_objects.end(),
                                                   [&](const auto& object) { return object.compression != algorithm; })
                                     : file.compression != algorithm;
    if (mixed)
      throw unsupported_error("data file of dump id " + std::to_string(file.dump_id) +
                              " is not compressed with the archive's " + detail::compression_name(algorithm) +
                              "; a custom archive has one compression for all its data");
  }
  edited.header.format = format_byte_custom;
  edited.layout = archive_layout::custom;
  for (auto& entry : edited.entries) {
    const bool has_file = source.file_of(entry.dump_id) != nullptr && !entry.data_file.empty();
    entry.data_file.clear();
    entry.data_state = has_file ? offset_state::not_set : offset_state::no_data;
    entry.data_offset = 0;
  }

  write_summary summary;
  detail::byte_writer writer(out);
  detail::write_header(writer, edited.header);
  const std::uint64_t toc_at = writer.offset();
  detail::write_toc(writer, edited.header, edited.entries);
  block_writer blocks(writer, edited.header);
  detail::block_positions positions;
  for (const auto& entry : edited.entries) {
    if (entry.data_state == offset_state::no_data)
      continue;
    const data_file& file = *source.file_of(entry.dump_id);
    positions[entry.dump_id] = writer.offset();
    ++summary.data_blocks;
    if (file.is_blobs) {
      blocks.start(block_type::blobs, entry.dump_id);
      for (const auto& object : file.large_objects) {
        blocks.integer(stored_oid(object.oid));
        blocks.file_as_chunks(source.directory() + "/" + object.file);
      }
      blocks.end_list();
      continue;
    }
    blocks.start(block_type::data, entry.dump_id);
    const std::string path = source.directory() + "/" + file.file;
    if (rewriter && rewriter->wants(entry))
      blocks.bytes_as_chunks(detail::recompress(
          detail::read_whole_file(path, detail::max_rewritten_stream), algorithm, static_cast<int>(edited.header.compression_level),
          detail::stream_framing::file, detail::stream_framing::block, "member \"" + file.file + "\"",
          detail::max_rewritten_stream,
          [&](std::string stream) { return rewriter->rewrite(entry, std::move(stream)); }));
    else
      blocks.file_as_chunks(path);
  }
  detail::finish_custom_archive(writer, toc_at, edited.header, edited.entries, positions, summary);
  return summary;
}

} // namespace pgarc
