// SPDX-License-Identifier: PostgreSQL
// Conversions to and from tar archives, which hold every stream uncompressed
// as one member: a directory's files become members (and back), a tar's
// members become a custom archive's blocks of chunks, a custom archive's
// chunk lists become members. See include/pgarc/convert.hpp.
#include "pgarc/convert.hpp"

#include "convert/chunk_lists.hpp"
#include "directory/directory_output.hpp"
#include "directory/member_names.hpp"
#include "format/block_cursor.hpp"
#include "format/data_blocks.hpp"
#include "format/header.hpp"
#include "format/pg_codec.hpp"
#include "format/toc.hpp"
#include "io/byte_reader.hpp"
#include "io/byte_writer.hpp"
#include "io/file_carry.hpp"
#include "pgarc/errors.hpp"
#include "reader_gate.hpp"
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

/// Appends the member `name` holding `bytes`.
void whole_member(detail::byte_writer& out, const std::string& name, std::string_view bytes, std::int64_t mtime) {
  out.write(detail::make_tar_header(name, bytes.size(), mtime));
  out.write(bytes);
  write_padding(out, bytes.size());
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
  whole_member(writer, "toc.dat", detail::toc_dat_bytes(edited), now);
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
      whole_member(writer, entry.data_file,
                   rewriter->rewrite(entry, detail::read_whole_file(path, detail::max_rewritten_stream)), now);
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

custom_stream_sizes measure_custom_streams(archive_reader& source) {
  detail::byte_reader& in = detail::reader_gate::data_stream(source);
  detail::block_cursor cursor(in, source.contents().header, detail::reader_gate::data_entries(source));
  custom_stream_sizes sizes;
  const auto skip_stream = [&] {
    std::uint64_t size = 0;
    while (const std::uint64_t length = cursor.next_chunk()) {
      in.copy_to(nullptr, length, cursor.chunk_what());
      size += length;
    }
    sizes.streams.push_back(size);
  };
  while (const auto block = cursor.next_block()) {
    if (block->fault != detail::block_fault::none)
      throw format_error(detail::describe_fault(*block), block->offset);
    if (block->type == block_type::data)
      skip_stream();
    else
      while (cursor.next_large_object())
        skip_stream();
  }
  return sizes;
}

write_summary write_tar_from_custom(archive_reader& source, archive edited, byte_sink& out,
                                    const stream_rewriter* rewriter, const custom_stream_sizes* sizes) {
  require_uncompressed(edited.header);
  if (!sizes && !out.is_seekable())
    throw unsupported_error("\"" + out.name() + "\" cannot seek back, and a tar member's header gives the "
                            "member's size before its data");
  detail::byte_reader& in = detail::reader_gate::data_stream(source);
  const archive_header read_header = edited.header;
  edited = as_layout(std::move(edited), archive_layout::tar, format_byte_tar);
  // pg_dump -Ft names every entry's data "<dump id>.dat" in toc.dat, a BLOBS
  // entry's too; pg_restore finds members in TOC order, large objects as
  // the members that follow, up to their list.
  std::vector<const toc_entry*> in_toc_order;
  for (auto& entry : edited.entries) {
    entry.data_file.clear();
    if (detail::expects_block(entry)) {
      entry.data_file = std::to_string(entry.dump_id) + ".dat";
      in_toc_order.push_back(&entry);
    }
    entry.data_state = entry.data_file.empty() ? offset_state::no_data : offset_state::not_set;
    entry.data_offset = 0;
  }
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  write_summary summary;
  detail::byte_writer writer(out);
  whole_member(writer, "toc.dat", detail::toc_dat_bytes(edited), now);

  detail::block_cursor cursor(in, read_header, detail::reader_gate::data_entries(source));
  detail::writer_sink copy(writer);
  // Headers written with a size of 0, to be written again at the end.
  std::vector<std::pair<std::uint64_t, detail::tar_header_bytes>> headers_to_fix;
  std::size_t streams = 0;
  // The cursor's current chunk list as the member `name`.
  const auto copied_member = [&](const std::string& name) {
    std::optional<std::uint64_t> measured;
    if (sizes) {
      if (streams >= sizes->streams.size())
        throw io_error("\"" + in.source_name() + "\" changed while it was read: " + cursor.owner() +
                       " was not there before");
      measured = sizes->streams[streams];
    }
    ++streams;
    const std::uint64_t header_at = writer.offset();
    writer.write(detail::make_tar_header(name, measured.value_or(0), now));
    std::uint64_t size = 0;
    while (const std::uint64_t length = cursor.next_chunk()) {
      in.copy_to(&copy, length, cursor.chunk_what());
      size += length;
    }
    if (measured && size != *measured)
      throw io_error("\"" + in.source_name() + "\" changed while it was read: " + cursor.owner() + " holds " +
                     std::to_string(size) + " bytes, not the " + std::to_string(*measured) + " measured");
    if (!measured)
      headers_to_fix.emplace_back(header_at, detail::make_tar_header(name, size, now));
    write_padding(writer, size);
  };

  std::size_t next_in_toc = 0;
  while (const auto block = cursor.next_block()) {
    if (block->fault != detail::block_fault::none)
      throw format_error(detail::describe_fault(*block), block->offset);
    if (next_in_toc >= in_toc_order.size())
      throw error("internal error: an edit changed which TOC entries have data blocks");
    if (in_toc_order[next_in_toc]->dump_id != block->dump_id)
      throw unsupported_error("the data of dump id " + std::to_string(block->dump_id) + " comes before that of dump id " +
                              std::to_string(in_toc_order[next_in_toc]->dump_id) +
                              ", which the TOC lists first, and pg_restore reads a tar archive's members "
                              "in TOC order without going back");
    const toc_entry& entry = *in_toc_order[next_in_toc++];
    ++summary.data_blocks;
    if (block->type == block_type::data) {
      if (rewriter && rewriter->wants(entry)) {
        ++streams;
        whole_member(writer, entry.data_file, rewriter->rewrite(entry, detail::gather_chunks(cursor)), now);
      } else {
        copied_member(entry.data_file);
      }
      continue;
    }
    // pg_dump -Ft writes each large object, then their list (_EndLOs).
    std::string list;
    while (const std::int64_t stored = cursor.next_large_object()) {
      const std::string oid = std::to_string(detail::oid_of(stored));
      const std::string name = "blob_" + oid + ".dat";
      list += oid + " " + name + "\n";
      copied_member(name);
    }
    whole_member(writer, detail::data_file_name(edited.header, entry), list, now);
  }
  if (const auto missing = cursor.missing(); !missing.empty())
    throw format_error("no data block found for dump id " + std::to_string(missing.front()->dump_id) +
                           " before the end of the archive",
                       in.offset());
  end_tar(writer);
  writer.flush();
  for (const auto& [at, header] : headers_to_fix)
    out.overwrite_at(at, header);
  summary.bytes_written = writer.offset();
  out.commit();
  return summary;
}

} // namespace pgarc
