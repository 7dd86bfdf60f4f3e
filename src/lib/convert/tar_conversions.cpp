// SPDX-License-Identifier: PostgreSQL
// Conversions to and from tar archives, which hold every stream uncompressed
// as one member: a directory's files become members (and back), a tar's
// members become a custom archive's blocks of chunks. See include/pgarc/convert.hpp.
#include "pgarc/convert.hpp"

#include "directory/directory_output.hpp"
#include "directory/member_names.hpp"
#include "format/data_blocks.hpp"
#include "format/header.hpp"
#include "format/pg_codec.hpp"
#include "format/toc.hpp"
#include "io/byte_reader.hpp"
#include "io/byte_writer.hpp"
#include "io/file_carry.hpp"
#include "pgarc/errors.hpp"
#include "tar/tar_gate.hpp"
#include "tar/tar_members.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <unordered_map>
#include <vector>

namespace pgarc {

namespace {

constexpr std::size_t chunk_size = 128 * 1024;

void write_padding(detail::byte_writer& out, std::uint64_t size) {
  static const std::array<std::byte, detail::tar_block> zeros{};
  out.write(std::span(zeros.data(), static_cast<std::size_t>(detail::tar_padding(size))));
}

void end_tar(detail::byte_writer& out) {
  static const std::array<std::byte, 2 * detail::tar_block> end{};
  out.write(end);
}

/// Appends the file `path` of `size` bytes as member `name`.
void file_as_member(detail::byte_writer& out, const std::string& path, const std::string& name,
                    std::uint64_t size, std::int64_t mtime) {
  out.write(detail::make_tar_header(name, size, mtime));
  std::FILE* file = std::fopen(path.c_str(), "rbe");
  if (!file)
    throw io_error("could not open \"" + path + "\": " + std::strerror(errno));
  std::vector<char> buffer(chunk_size);
  std::uint64_t done = 0;
  std::size_t got = 0;
  while (done < size && (got = std::fread(buffer.data(), 1, std::min<std::uint64_t>(buffer.size(), size - done), file)) > 0) {
    out.write(std::string_view(buffer.data(), got));
    done += got;
  }
  std::fclose(file);
  if (done != size)
    throw io_error("could not read \"" + path + "\": the file became shorter");
  write_padding(out, size);
}

/// The whole of the current member, rewritten when `rewriter` wants it;
/// nullopt when it does not (the caller copies the member as it is).
std::optional<std::string> rewritten_member(detail::byte_reader& in, const detail::tar_data_member& found,
                                            const stream_rewriter* rewriter) {
  if (found.kind != detail::member_kind::data || !rewriter || !rewriter->wants(*found.entry))
    return std::nullopt;
  const std::string what = "member \"" + found.member.name + "\"";
  if (found.member.size > detail::max_rewritten_stream)
    throw unsupported_error(what + " is over 256 MiB; pgarc rewrites only small data files");
  std::string stream;
  in.read_append(stream, found.member.size, what);
  return rewriter->rewrite(*found.entry, std::move(stream));
}

void require_uncompressed(const archive_header& header) {
  if (header.compression() != compression_algorithm::none)
    throw unsupported_error(std::string("the data is ") + detail::compression_name(header.compression()) +
                            "-compressed, and a tar archive holds only uncompressed data (pg_dump -Ft "
                            "never compresses); converting would mean decompressing every stream");
}

archive as_layout(archive edited, archive_layout layout, std::uint8_t format_byte) {
  edited.header.format = format_byte;
  edited.layout = layout;
  return edited;
}

} // namespace

write_summary write_tar_from_directory(const directory_archive& source, archive edited, byte_sink& out,
                                       const stream_rewriter* rewriter) {
  require_uncompressed(edited.header);
  for (const auto& file : source.files())
    if (file.compression != compression_algorithm::none)
      throw unsupported_error("member \"" + file.file + "\" of dump id " + std::to_string(file.dump_id) +
                              " is compressed, and a tar archive holds only uncompressed data");
  edited = as_layout(std::move(edited), archive_layout::tar, format_byte_tar);
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  write_summary summary;
  detail::byte_writer writer(out);
  const std::string toc = detail::toc_dat_bytes(edited);
  writer.write(detail::make_tar_header("toc.dat", toc.size(), now));
  writer.write(toc);
  write_padding(writer, toc.size());
  for (const auto& entry : edited.entries) {
    const data_file* file = source.file_of(entry.dump_id);
    if (!file || entry.data_file.empty())
      continue;
    ++summary.data_blocks;
    // pg_dump -Ft writes each large object, then their list (_EndLOs).
    for (const auto& object : file->large_objects)
      file_as_member(writer, source.directory() + "/" + object.file, object.name, object.size, now);
    const std::string path = source.directory() + "/" + file->file;
    if (!file->is_blobs && rewriter && rewriter->wants(entry)) {
      const std::string stream = rewriter->rewrite(entry, detail::read_whole_file(path, detail::max_rewritten_stream));
      writer.write(detail::make_tar_header(entry.data_file, stream.size(), now));
      writer.write(stream);
      write_padding(writer, stream.size());
      continue;
    }
    file_as_member(writer, path, file->is_blobs ? file->file : entry.data_file, file->size, now);
  }
  end_tar(writer);
  writer.flush();
  summary.bytes_written = writer.offset();
  out.commit();
  return summary;
}

directory_write_summary write_directory_from_tar(tar_archive_reader& source, archive edited,
                                                 const std::string& destination,
                                                 const directory_write_options& how) {
  const stream_rewriter* rewriter = how.rewriter;
  detail::byte_reader& in = detail::tar_gate::stream(source);
  edited = as_layout(std::move(edited), archive_layout::directory, format_byte_tar);
  directory_write_summary summary;
  detail::temporary_directory built(destination);
  if (how.on_temporary)
    how.on_temporary(built.path());
  detail::tar_member_cursor cursor(in, detail::tar_gate::entries(source));
  std::string payload;
  while (const auto found = cursor.next()) {
    const detail::tar_member& member = found->member;
    const std::string what = "member \"" + member.name + "\"";
    if (found->kind == detail::member_kind::script) {
      in.copy_to(nullptr, member.size, what);
    } else if (const auto stream = rewritten_member(in, *found, rewriter)) {
      detail::write_new_file(built.path() + "/" + member.name, *stream, how.sync);
      ++summary.files_rewritten;
    } else {
      detail::new_file file(built.path() + "/" + member.name);
      std::uint64_t left = member.size;
      while (left > 0) {
        const std::uint64_t take = std::min<std::uint64_t>(left, chunk_size);
        payload.clear();
        in.read_append(payload, take, what);
        file.append(payload);
        left -= take;
      }
      file.finish(how.sync);
      ++summary.files_copied;
      summary.bytes_copied += member.size;
    }
    cursor.finish_member(member);
  }
  cursor.check_complete();
  detail::write_new_file(built.path() + "/toc.dat", detail::toc_dat_bytes(edited), how.sync);
  built.move_into_place(destination, how.replace, how.sync);
  return summary;
}

write_summary write_custom_from_tar(tar_archive_reader& source, archive edited, byte_sink& out,
                                    const stream_rewriter* rewriter) {
  detail::byte_reader& in = detail::tar_gate::stream(source);
  edited = as_layout(std::move(edited), archive_layout::custom, format_byte_custom);
  for (auto& entry : edited.entries) {
    entry.data_state = entry.data_file.empty() ? offset_state::no_data : offset_state::not_set;
    entry.data_offset = 0;
    entry.data_file.clear();
  }
  const detail::int_layout layout = detail::layout_of(edited.header);
  write_summary summary;
  detail::byte_writer writer(out);
  detail::write_header(writer, edited.header);
  const std::uint64_t toc_at = writer.offset();
  detail::write_toc(writer, edited.header, edited.entries);
  detail::block_positions positions;
  // Large objects come before their list, in TOC order: the first one opens
  // the block of the next BLOBS entry, its list closes it.
  std::vector<const toc_entry*> blobs_entries;
  for (const auto& entry : detail::tar_gate::entries(source))
    if (entry.has_data() && !entry.data_file.empty() && entry.desc_text() == "BLOBS")
      blobs_entries.push_back(&entry);
  std::size_t next_blobs = 0;
  bool in_blobs_block = false;
  const auto start_block = [&](block_type type, std::int64_t dump_id) {
    positions[dump_id] = writer.offset();
    writer.write_u8(static_cast<std::uint8_t>(type));
    detail::write_pg_int(writer, layout, dump_id);
    ++summary.data_blocks;
  };
  const auto open_blobs_block = [&](const std::string& what) {
    if (in_blobs_block)
      return;
    if (next_blobs >= blobs_entries.size())
      throw format_error(what + " is a large object, but no BLOBS entry is left for it", in.offset());
    start_block(block_type::blobs, blobs_entries[next_blobs++]->dump_id);
    in_blobs_block = true;
  };
  std::string payload;
  detail::tar_member_cursor cursor(in, detail::tar_gate::entries(source));
  while (const auto found = cursor.next()) {
    const detail::tar_member& member = found->member;
    const std::string what = "member \"" + member.name + "\"";
    const auto chunks = [&] {
      if (const auto stream = rewritten_member(in, *found, rewriter)) {
        for (std::size_t at = 0; at < stream->size(); at += chunk_size) {
          const std::string_view piece = std::string_view(*stream).substr(at, chunk_size);
          detail::write_pg_int(writer, layout, static_cast<std::int64_t>(piece.size()));
          writer.write(piece);
        }
        detail::write_pg_int(writer, layout, 0);
        return;
      }
      std::uint64_t left = member.size;
      while (left > 0) {
        const std::uint64_t take = std::min<std::uint64_t>(left, chunk_size);
        payload.clear();
        in.read_append(payload, take, what);
        detail::write_pg_int(writer, layout, static_cast<std::int64_t>(take));
        writer.write(payload);
        left -= take;
      }
      detail::write_pg_int(writer, layout, 0);
    };
    switch (found->kind) {
    case detail::member_kind::script:
      in.copy_to(nullptr, member.size, what);
      break;
    case detail::member_kind::large_object:
      open_blobs_block(what);
      detail::write_pg_int(writer, layout, static_cast<std::int32_t>(found->oid));
      chunks();
      break;
    case detail::member_kind::large_object_list:
      // The list itself is not stored in a custom archive; an empty group
      // still gets its (empty) block.
      open_blobs_block(what);
      detail::write_pg_int(writer, layout, 0);
      in_blobs_block = false;
      in.copy_to(nullptr, member.size, what);
      break;
    case detail::member_kind::data:
      if (in_blobs_block)
        throw format_error(what + " comes between large objects and their list", member.offset);
      start_block(block_type::data, found->entry->dump_id);
      chunks();
      break;
    }
    cursor.finish_member(member);
  }
  cursor.check_complete();
  if (in_blobs_block)
    throw format_error("the large objects at the end of the tar archive have no list member", in.offset());
  detail::finish_custom_archive(writer, toc_at, edited.header, edited.entries, positions, summary);
  return summary;
}

} // namespace pgarc
