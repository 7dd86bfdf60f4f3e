// SPDX-License-Identifier: PostgreSQL
// write_archive: header, TOC, then the data area, with data offsets placed as
// pg_dump's _CloseArchive places them; see include/pgarc/writer.hpp.
#include "pgarc/writer.hpp"

#include "format/data_blocks.hpp"
#include "format/header.hpp"
#include "format/stored_offsets.hpp"
#include "format/toc.hpp"
#include "io/byte_reader.hpp"
#include "io/byte_writer.hpp"
#include "io/fast_paths.hpp"
#include "pgarc/errors.hpp"
#include "reader_gate.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iterator>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>

namespace pgarc {

namespace {

/// The dump ids of the entries that have a data block, sorted and distinct.
std::vector<std::int64_t> data_ids(const std::vector<toc_entry>& entries) {
  std::vector<std::int64_t> ids;
  for (const auto& entry : entries)
    if (detail::expects_block(entry))
      ids.push_back(entry.dump_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::vector<std::int64_t> data_ids(const std::vector<detail::block_entry>& blocks) {
  std::vector<std::int64_t> ids;
  ids.reserve(blocks.size());
  for (const auto& block : blocks)
    ids.push_back(block.dump_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

/// Copies `length` bytes of file `fd` from `offset` through memory, for sinks
/// that cannot take a file range.
void copy_file_bytes(int fd, std::uint64_t offset, std::uint64_t length, detail::byte_writer& out,
                     const std::string& name) {
  std::vector<std::byte> buffer(std::size_t{1} << 20);
  while (length > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(length, buffer.size()));
    const ssize_t got = ::pread(fd, buffer.data(), want, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      throw io_error("could not read \"" + name + "\": " +
                     (got < 0 ? std::string(std::strerror(errno)) : "the file became shorter"));
    out.write(std::span(buffer.data(), static_cast<std::size_t>(got)));
    offset += static_cast<std::uint64_t>(got);
    length -= static_cast<std::uint64_t>(got);
  }
}

constexpr std::uint64_t page_size = 4096;

/// Lengthens the drop statement of entry `dump_id` (a comment line) with
/// spaces so that the data area starts at `data_start_in` modulo the page
/// size. Returns the bytes added.
std::uint64_t pad_to_page(std::vector<toc_entry>& entries, std::int64_t dump_id,
                          std::uint64_t data_start_in, std::uint64_t data_start_out) {
  const std::uint64_t shortfall = (data_start_in - data_start_out) % page_size;
  if (shortfall == 0 || dump_id == 0)
    return 0;
  for (auto& entry : entries) {
    if (entry.dump_id != dump_id)
      continue;
    if (!entry.drop_stmt)
      return 0;
    std::string drop = entry.drop_stmt.str();
    if (drop.rfind("--", 0) != 0 || drop.find('\n') != drop.size() - 1)
      return 0; // not a one-line comment: leave it alone
    drop.insert(drop.size() - 1, shortfall, ' ');
    entry.drop_stmt = drop;
    return shortfall;
  }
  return 0;
}

/// Appends `length` bytes of file `fd` from `offset` to `out`, whose write
/// position is `out_at`, in the kernel, a slice at a time so that `stop` ends
/// it early. Slices end on 64 KiB boundaries of the output, where the page
/// cache can use large folios. False when `out` cannot take file ranges
/// (nothing is written then). `copied` hears the bytes copied so far after
/// each slice.
bool copy_in_kernel(int fd, std::uint64_t offset, std::uint64_t length, byte_sink& out,
                    std::uint64_t out_at, const std::atomic<bool>& stop,
                    const std::function<void(std::uint64_t)>& copied = {}) {
  constexpr std::uint64_t slice = std::uint64_t{16} << 20, boundary = std::uint64_t{64} << 10;
  std::uint64_t done = 0;
  while (done < length && !stop) {
    const std::uint64_t step = std::min(slice - (out_at + done) % boundary, length - done);
    if (!detail::io_gate::append_file_range(out, fd, offset + done, step)) {
      if (done == 0)
        return false;
      throw io_error("could not write \"" + out.name() + "\": copying between the files stopped working");
    }
    done += step;
    if (copied)
      copied(done);
  }
  return true;
}

} // namespace

write_summary write_archive(archive_reader& source, archive edited, byte_sink& out,
                            const write_options& how) {
  const stream_rewriter* rewriter = how.rewriter;
  detail::byte_reader& data = detail::reader_gate::data_stream(source);
  const byte_source& input = detail::reader_gate::source(source);
  data.set_progress(how.progress);
  const std::vector<detail::block_entry>& original_blocks = detail::reader_gate::data_entries(source);
  const std::vector<std::int64_t> original_ids = data_ids(original_blocks);
  const std::vector<std::int64_t> kept_ids = data_ids(edited.entries);
  if (!std::includes(original_ids.begin(), original_ids.end(), kept_ids.begin(), kept_ids.end()))
    throw error("internal error: an edit added a TOC entry with a data block");
  // Entries removed with their data (--use-list): their blocks are left out.
  std::set<std::int64_t> dropped;
  std::set_difference(original_ids.begin(), original_ids.end(), kept_ids.begin(), kept_ids.end(),
                      std::inserter(dropped, dropped.end()));

  std::vector<toc_entry> entries = std::move(edited.entries);
  write_summary summary;
  detail::byte_writer writer(out);
  detail::write_header(writer, edited.header);
  const std::uint64_t toc_at = writer.offset();
  std::uint64_t data_start = toc_at + detail::toc_size(edited.header, entries);
  data_start += pad_to_page(entries, how.padding_entry, source.data_start(), data_start);

  // Positions the input had move by the change in TOC size; copy_data_area
  // checks that every stored position really points at its block. A block
  // that is rewritten changes size, so then only a seekable output can
  // have positions.
  bool rewrites_data = !dropped.empty(); // the data area is not copied as one range
  if (rewriter)
    for (const auto& entry : entries)
      rewrites_data = rewrites_data || (detail::expects_block(entry) && rewriter->wants(entry));
  bool all_positioned = true;
  for (auto& entry : entries) {
    if (!detail::expects_block(entry))
      continue;
    if (rewrites_data) {
      entry.data_state = offset_state::not_set;
      entry.data_offset = 0;
      all_positioned = false;
    } else if (entry.data_state == offset_state::position_set)
      entry.data_offset = entry.data_offset - source.data_start() + data_start;
    else
      all_positioned = false;
  }
  detail::write_toc(writer, edited.header, entries);

  detail::block_positions positions;
  const auto input_file = detail::io_gate::file_range(input);
  bool copied_in_kernel = false;
  if (!rewrites_data && input_file) {
    // Fast path between files: the kernel copies the bytes
    // (copy_file_range). Large blocks are checked and found by their stored
    // offsets first (see stored_offsets.hpp). Otherwise this thread walks
    // them while another copies, and nothing is committed unless every block
    // is found intact.
    writer.flush();
    const std::uint64_t data_at = writer.offset();
    const std::uint64_t from = input_file->second + source.data_start();
    const std::uint64_t length = input.size().value_or(0) - source.data_start();
    std::atomic<bool> stop{false};
    if (auto stored = detail::blocks_at_stored_offsets(input_file->first, input_file->second, source.data_start(),
                                                       source.data_start() + length, edited.header,
                                                       original_blocks)) {
      positions = std::move(*stored);
      std::function<void(std::uint64_t)> copied;
      if (how.progress)
        copied = [&how, &source](std::uint64_t bytes) { how.progress(source.data_start() + bytes); };
      copied_in_kernel = copy_in_kernel(input_file->first, from, length, out, data_start, stop, copied);
    } else {
      std::exception_ptr copy_failure;
      std::thread copier([&] {
        try {
          copied_in_kernel = copy_in_kernel(input_file->first, from, length, out, data_start, stop);
        } catch (...) {
          copy_failure = std::current_exception();
        }
      });
      detail::byte_writer counter = detail::byte_writer::counting(writer.offset());
      try {
        positions = detail::copy_data_area(data, counter, edited.header, original_blocks);
      } catch (...) {
        stop = true; // a bad block: the copy need not finish
        copier.join();
        throw;
      }
      copier.join();
      if (copy_failure)
        std::rethrow_exception(copy_failure);
      if (counter.offset() - writer.offset() != length)
        throw io_error("\"" + input.name() + "\" changed while it was read");
    }
    if (!copied_in_kernel) {
      copy_file_bytes(input_file->first, from, length, writer, input.name());
      writer.flush();
    }
    summary.bytes_written = data_at + length;
  } else {
    std::optional<detail::block_rewriting> rewriting;
    if (rewriter)
      rewriting.emplace(detail::block_rewriting{*rewriter, entries});
    positions = detail::copy_data_area(data, writer, edited.header, original_blocks,
                                       rewriting ? &*rewriting : nullptr, dropped.empty() ? nullptr : &dropped);
    writer.flush();
    summary.bytes_written = writer.offset();
  }
  summary.data_blocks = positions.size();
  summary.offsets_set = all_positioned;

  if (out.is_seekable() && !all_positioned) {
    // Like pg_dump's second WriteToc pass: same size, positions filled in.
    for (const auto& entry : entries)
      if (detail::expects_block(entry) && !positions.contains(entry.dump_id))
        throw error("internal error: no position for the block of dump id " + std::to_string(entry.dump_id));
    detail::overwrite_toc_with_positions(out, toc_at, edited.header, entries, positions);
    summary.offsets_set = true;
  }
  out.commit();
  return summary;
}

} // namespace pgarc
