// SPDX-License-Identifier: PostgreSQL
// Tests of write_archive and the data-area copy (src/lib/writer.cpp,
// src/lib/format/data_blocks.cpp): byte identity, offsets, pipes, framing errors.
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "compress/codec.hpp"
#include "io/fast_paths.hpp"
#include "messages.hpp"
#include "pipe_source.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/writer.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace pgarc;
using pgarc::test::archive_builder;
using pgarc::test::bytes;
using pgarc::test::message_is;

namespace {

/// A small pg_dump 15 style archive: an extension, a table, its data, and a
/// BLOBS entry with two large objects (one with an OID >= 2^31).
std::vector<toc_entry> sample_entries();

archive_builder sample(archive_version version = k_vers_1_14) {
  archive_builder builder(version);
  for (const auto& entry : sample_entries())
    builder.add(entry);
  builder.add_block({4001, block_type::data, {"a@b\n", "c@d\n", "\\.\n\n\n"}, {}});
  builder.add_block({4002, block_type::blobs, {}, {{17430, {"hello"}}, {-1, {"x", "y"}}}});
  return builder;
}

std::vector<toc_entry> sample_entries() {
  std::vector<toc_entry> entries;
  entries.push_back(archive_builder::entry(4000, "ENCODING", "ENCODING", std::nullopt,
                                     std::string("SET client_encoding = 'UTF8';\n")));
  entries.push_back(archive_builder::entry(2, "EXTENSION", "citext", std::nullopt,
                                     std::string("CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n")));
  toc_entry table = archive_builder::entry(200, "TABLE", "users", std::string("public"),
                                           std::string("CREATE TABLE public.users (email public.citext);\n"));
  table.dependencies = {"2"};
  entries.push_back(table);
  entries.push_back(archive_builder::table_data(4001, "users", 200));
  toc_entry blobs = archive_builder::entry(4002, "BLOBS", "BLOBS");
  blobs.had_dumper = 1;
  blobs.section = 3;
  entries.push_back(blobs);
  return entries;
}

struct result {
  bytes output;
  write_summary summary;
};

result rewrite(const bytes& input, bool seekable_output,
               const std::function<void(archive&)>& edit = {}, const write_options& how = {}) {
  memory_source source(input);
  archive_reader reader(source);
  archive edited = reader.contents();
  if (edit)
    edit(edited);
  memory_sink sink(seekable_output);
  result out;
  out.summary = write_archive(reader, edited, sink, how);
  out.output = sink.bytes();
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(writer)

BOOST_AUTO_TEST_CASE(unchanged_archive_is_written_byte_for_byte) {
  for (auto version : {k_vers_1_10, k_vers_1_12, k_vers_1_14, k_vers_1_15, k_vers_1_16}) {
    const bytes input = sample(version).build();
    for (bool seekable : {true, false}) {
      const result out = rewrite(input, seekable);
      BOOST_TEST(out.output == input);
      BOOST_TEST(out.summary.offsets_set);
      BOOST_TEST(out.summary.data_blocks == 2u);
    }
  }
}

BOOST_AUTO_TEST_CASE(piped_input_gets_offsets_when_output_can_seek) {
  const archive_builder builder = sample();
  const result out = rewrite(builder.build(false), true);
  BOOST_TEST(out.output == builder.build(true));
  BOOST_TEST(out.summary.offsets_set);
}

BOOST_AUTO_TEST_CASE(piped_input_to_a_pipe_keeps_offsets_unset) {
  const bytes input = sample().build(false);
  const result out = rewrite(input, false);
  BOOST_TEST(out.output == input);
  BOOST_TEST(!out.summary.offsets_set);
}

BOOST_AUTO_TEST_CASE(offsets_shift_by_the_change_in_toc_size) {
  const archive_builder builder = sample();
  const std::string longer = "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA heroku_ext;\n";
  for (bool seekable : {true, false}) {
    const result out = rewrite(builder.build(), seekable, [&](archive& edited) {
      edited.entries[1].defn = longer;
    });
    memory_source source(out.output);
    archive_reader reread(source);
    BOOST_TEST(reread.contents().entries[1].defn.value() == longer);
    const auto& data_entry = reread.contents().entries[3];
    BOOST_TEST((data_entry.data_state == offset_state::position_set));
    // The block really is where the offset says: a second rewrite checks it.
    BOOST_TEST(rewrite(out.output, false).output == out.output);
    BOOST_TEST(out.output.size() == builder.build().size() + 4);
  }
}

BOOST_AUTO_TEST_CASE(added_entry_without_data_is_written) {
  const result out = rewrite(sample().build(), true, [](archive& edited) {
    toc_entry schema = archive_builder::entry(4003, "SCHEMA", "heroku_ext", std::nullopt,
                                              std::string("CREATE SCHEMA IF NOT EXISTS heroku_ext;\n"));
    edited.entries.insert(edited.entries.begin() + 1, schema);
  });
  memory_source source(out.output);
  archive_reader reread(source);
  BOOST_TEST(reread.contents().entries.size() == 6u);
  BOOST_TEST(reread.contents().entries[1].tag.value() == "heroku_ext");
}

namespace {

/// The sample with a SCHEMA entry added (drop statement `drop`), written with
/// that entry as the padding entry.
archive rewrite_with_padding(const bytes& input, pg_string drop, result& out) {
  write_options how;
  how.padding_entry = 4003;
  out = rewrite(input, true, [&](archive& edited) {
    toc_entry schema = archive_builder::entry(4003, "SCHEMA", "heroku_ext", std::nullopt,
                                              std::string("CREATE SCHEMA IF NOT EXISTS heroku_ext;\n"));
    schema.drop_stmt = drop;
    edited.entries.insert(edited.entries.begin() + 1, schema);
  }, how);
  memory_source source(out.output);
  archive_reader reread(source);
  return reread.contents();
}

} // namespace

BOOST_AUTO_TEST_CASE(padding_keeps_the_data_area_on_the_same_page_offset) {
  const bytes input = sample().build();
  memory_source source(input);
  const std::uint64_t data_start_in = archive_reader(source).contents().data_start;
  result out;
  const archive written = rewrite_with_padding(input, std::string("-- not dropping\n"), out);
  BOOST_TEST(written.data_start % 4096 == data_start_in % 4096);
  BOOST_TEST(written.data_start > data_start_in);
  const std::string& drop = written.entries[1].drop_stmt.value();
  BOOST_TEST(drop.rfind("-- not dropping ", 0) == 0);
  BOOST_TEST(drop.back() == '\n');
  BOOST_TEST(drop.find_first_not_of(' ', 15) == drop.size() - 1); // only spaces added
  // The blocks are intact where the offsets say, and the padding is stable:
  // writing the output again changes nothing.
  BOOST_TEST(rewrite(out.output, false).output == out.output);
}

BOOST_AUTO_TEST_CASE(padding_leaves_statements_and_null_alone) {
  const bytes input = sample().build();
  for (const pg_string& drop : {pg_string(std::string("DROP SCHEMA heroku_ext;\n")), pg_string(),
                                pg_string(std::string("-- two\n-- lines\n"))}) {
    result out;
    const archive written = rewrite_with_padding(input, drop, out);
    BOOST_TEST((written.entries[1].drop_stmt == drop));
    memory_source source(input);
    BOOST_TEST(written.data_start != archive_reader(source).contents().data_start);
  }
}

BOOST_AUTO_TEST_CASE(bytes_after_the_last_block_are_kept) {
  archive_builder builder = sample();
  builder.trailer(pgarc::test::to_bytes("a second copy of the TOC"));
  const bytes input = builder.build();
  BOOST_TEST(rewrite(input, true).output == input);
  BOOST_TEST(rewrite(builder.build(false), true).output == input);
}

BOOST_AUTO_TEST_CASE(archive_without_data_ends_after_the_toc) {
  archive_builder builder;
  builder.add(archive_builder::entry(2, "EXTENSION", "citext"));
  const bytes input = builder.build();
  BOOST_TEST(rewrite(input, true).output == input);
}

BOOST_AUTO_TEST_CASE(missing_data_block_is_an_error) {
  // The BLOBS entry has data but the archive ends after the first block.
  archive_builder cut(k_vers_1_14);
  for (const auto& entry : sample_entries())
    cut.add(entry);
  cut.add_block({4001, block_type::data, {"a@b\n", "\\.\n\n\n"}, {}});
  BOOST_CHECK_EXCEPTION(rewrite(cut.build(false), true), format_error, [](const format_error& problem) {
    return std::string(problem.what()).find("before the data block of TOC entry with dump id 4002") !=
           std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(block_for_an_unknown_dump_id_is_an_error) {
  archive_builder stray(k_vers_1_14);
  stray.add(archive_builder::table_data(4001, "users", 200));
  stray.add_block({999, block_type::data, {"x"}, {}});
  BOOST_CHECK_EXCEPTION(rewrite(stray.build(false), true), format_error,
                        [](const format_error& problem) {
                          return std::string(problem.what()).find("belongs to dump id 999, which has no TOC entry with data") !=
                                 std::string::npos;
                        });
}

BOOST_AUTO_TEST_CASE(wrong_block_type_for_the_entry_is_an_error) {
  archive_builder builder(k_vers_1_14);
  builder.add(archive_builder::table_data(4001, "users", 200));
  builder.add_block({4001, block_type::blobs, {}, {{1, {"x"}}}});
  BOOST_CHECK_EXCEPTION(rewrite(builder.build(), true), format_error,
                        [](const format_error& problem) {
                          return std::string(problem.what()).find("has type 3 but its TOC entry (TABLE DATA users, dump id 4001) needs type 1") !=
                                 std::string::npos;
                        });
}

BOOST_AUTO_TEST_CASE(offset_that_misses_its_block_is_an_error) {
  bytes input = sample().build();
  // The TABLE DATA entry's offset is the 9 bytes before the BLOBS entry; find
  // it by rewriting the stored position of the first data block.
  memory_source source(input);
  archive_reader reader(source);
  const std::uint64_t first_block = reader.contents().data_start;
  bytes corrupt = input;
  for (std::size_t index = 0; index + 9 <= corrupt.size(); ++index) {
    if (std::to_integer<int>(corrupt[index]) == 2 &&
        std::to_integer<std::uint64_t>(corrupt[index + 1]) == (first_block & 0xff) &&
        std::to_integer<std::uint64_t>(corrupt[index + 2]) == ((first_block >> 8) & 0xff)) {
      corrupt[index + 1] = std::byte{static_cast<unsigned char>((first_block + 1) & 0xff)};
      break;
    }
  }
  BOOST_CHECK_EXCEPTION(rewrite(corrupt, true), format_error, [&](const format_error& problem) {
    return std::string(problem.what()) ==
           "data offset of TOC entry with dump id 4001 points at byte " +
               std::to_string(first_block + 1) + " but its block starts at byte " +
               std::to_string(first_block);
  });
}

BOOST_AUTO_TEST_CASE(negative_chunk_length_is_an_error) {
  archive_builder builder(k_vers_1_14);
  builder.add(archive_builder::table_data(4001, "users", 200));
  bytes input = builder.build(false);
  pgarc::test::put_u8(input, 1);
  pgarc::test::put_int(input, 4001);
  pgarc::test::put_int(input, -7);
  BOOST_CHECK_EXCEPTION(rewrite(input, true), format_error, [](const format_error& problem) {
    return std::string(problem.what()).find("is negative (-7)") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(chunk_longer_than_the_file_is_an_error) {
  archive_builder builder(k_vers_1_14);
  builder.add(archive_builder::table_data(4001, "users", 200));
  bytes input = builder.build(false);
  pgarc::test::put_u8(input, 1);
  pgarc::test::put_int(input, 4001);
  pgarc::test::put_int(input, 1000);
  input.push_back(std::byte{'x'});
  BOOST_CHECK_EXCEPTION(rewrite(input, true), format_error, [](const format_error& problem) {
    return std::string(problem.what()).find("claims 1000 bytes but only 1 follow") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(adding_an_entry_with_data_is_refused) {
  BOOST_CHECK_THROW(rewrite(sample().build(), true,
                            [](archive& edited) {
                              toc_entry extra = archive_builder::table_data(9999, "extra", 200);
                              extra.data_state = offset_state::not_set;
                              edited.entries.push_back(extra);
                            }),
                    pgarc::error);
}

namespace {

class replace_schema final : public stream_rewriter {
public:
  bool wants(const toc_entry& entry) const override { return entry.dump_id == 4001; }
  std::string rewrite(const toc_entry&, std::string stream) const override {
    for (auto at = stream.find("public."); at != std::string::npos; at = stream.find("public.", at))
      stream.replace(at, 7, "heroku_ext.");
    return stream;
  }
};

std::string packed(compression_algorithm algorithm, const std::string& text) {
  auto encoder = detail::make_compressor(algorithm);
  std::string out;
  encoder->feed(std::as_bytes(std::span(text.data(), text.size())), out);
  encoder->finish(out);
  return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(rewritten_stream_is_recompressed_with_the_same_algorithm) {
  const std::string rows = "INSERT INTO public.spatial_ref_sys VALUES (990001, 'TEST');\n\n\n";
  const std::string expected = "INSERT INTO heroku_ext.spatial_ref_sys VALUES (990001, 'TEST');\n\n\n";
  const std::pair<compression_algorithm, archive_version> cases[] = {
      {compression_algorithm::none, k_vers_1_16}, {compression_algorithm::gzip, k_vers_1_14},
      {compression_algorithm::lz4, k_vers_1_16}, {compression_algorithm::zstd, k_vers_1_15}};
  for (const auto& [algorithm, version] : cases) {
    BOOST_TEST_CONTEXT("algorithm " << int(algorithm)) {
      archive_builder builder(version);
      builder.header().compression_byte = static_cast<std::uint8_t>(algorithm);
      builder.header().compression_level = algorithm == compression_algorithm::gzip ? -1 : 0;
      toc_entry data = archive_builder::table_data(4001, "spatial_ref_sys", 228);
      data.copy_stmt = std::nullopt;
      builder.add(data).add(archive_builder::table_data(4002, "users", 229));
      const std::string stream = packed(algorithm, rows);
      builder.add_block({4001, block_type::data, {stream.substr(0, 5), stream.substr(5)}, {}});
      builder.add_block({4002, block_type::data, {"1\n", "\\.\n\n\n"}, {}});
      replace_schema rewriter;
      const bytes input = builder.build();
      for (bool seekable : {true, false}) {
        memory_source source(input);
        archive_reader reader(source);
        memory_sink sink(seekable);
        const write_summary summary = write_archive(reader, reader.contents(), sink, write_options{&rewriter, {}});
        BOOST_TEST(summary.offsets_set == seekable);
        // Read the result back and decompress the rewritten block.
        memory_source again(sink.bytes());
        archive_reader reread(again);
        BOOST_TEST((reread.contents().entries[0].data_state ==
                    (seekable ? offset_state::position_set : offset_state::not_set)));
        struct capture final : stream_rewriter {
          mutable std::string seen;
          bool wants(const toc_entry& entry) const override { return entry.dump_id == 4001; }
          std::string rewrite(const toc_entry&, std::string text) const override {
            seen = text;
            return text;
          }
        } reader_check;
        memory_sink discard;
        write_archive(reread, reread.contents(), discard, write_options{&reader_check, {}});
        BOOST_TEST(reader_check.seen == expected);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(block_where_another_entry_says_its_data_is_an_error) {
  // Two data entries whose positions are swapped: the first block found
  // belongs to the other entry (pg_restore: "found unexpected block ID").
  archive_builder builder(k_vers_1_14);
  builder.add(archive_builder::table_data(4001, "a", 200)).add(archive_builder::table_data(4002, "b", 201));
  builder.add_block({4001, block_type::data, {"1\n"}, {}});
  builder.add_block({4002, block_type::data, {"2\n"}, {}});
  bytes input = builder.build();
  memory_source probe(input);
  archive_reader reader(probe);
  const auto first = reader.contents().entries[0].data_offset;
  const auto second = reader.contents().entries[1].data_offset;
  // Find both stored positions (flag 2, then the position's low bytes), then swap them.
  auto field_of = [&](std::uint64_t position) {
    for (std::size_t index = 0; index + 9 <= input.size(); ++index)
      if (std::to_integer<int>(input[index]) == 2 &&
          std::to_integer<std::uint64_t>(input[index + 1]) == (position & 0xff) &&
          std::to_integer<std::uint64_t>(input[index + 2]) == ((position >> 8) & 0xff))
        return index + 1;
    BOOST_FAIL("stored position not found");
    return std::size_t{0};
  };
  const std::size_t first_field = field_of(first), second_field = field_of(second);
  for (std::size_t index = 0; index < 8; ++index)
    std::swap(input[first_field + index], input[second_field + index]);
  BOOST_CHECK_EXCEPTION(rewrite(input, true), format_error,
                        message_is("data block at byte " + std::to_string(first) +
                                   " belongs to dump id 4001, but the data offset of TOC entry "
                                   "with dump id 4002 points there"));
}

BOOST_AUTO_TEST_CASE(first_missing_block_in_toc_order_is_named) {
  archive_builder builder(k_vers_1_14);
  for (std::int64_t id = 4010; id > 4000; --id)
    builder.add(archive_builder::table_data(id, "t" + std::to_string(id), 200));
  const bytes input = builder.build(false);
  BOOST_CHECK_EXCEPTION(rewrite(input, true), format_error,
                        message_is("archive ends at byte " + std::to_string(input.size()) +
                                   " before the data block of TOC entry with dump id 4010 (10 data "
                                   "blocks missing)"));
}

BOOST_AUTO_TEST_CASE(huge_chunk_length_on_a_pipe_is_not_allocated_up_front) {
  archive_builder builder(k_vers_1_14);
  builder.add(archive_builder::table_data(4001, "users", 200));
  bytes input = builder.build(false);
  pgarc::test::put_u8(input, 1);
  pgarc::test::put_int(input, 4001);
  pgarc::test::put_int(input, 2000000000);
  input.push_back(std::byte{'x'});
  pgarc::test::pipe_source pipe(input);
  archive_reader reader(pipe);
  memory_sink sink(false);
  BOOST_CHECK_EXCEPTION(write_archive(reader, reader.contents(), sink), format_error,
                        [](const format_error& problem) {
                          return std::string(problem.what()).find("chunk in data block of dump id 4001 is truncated at byte") == 0 &&
                                 std::string(problem.what()).find("(needed 2000000000 bytes, 1 left)") != std::string::npos;
                        });
  BOOST_TEST(sink.bytes().size() < std::size_t{1} << 20);
}

BOOST_AUTO_TEST_CASE(value_too_wide_for_the_archive_integers_is_refused) {
  archive_builder builder(k_vers_1_14);
  builder.header().int_size = 1;
  builder.add(archive_builder::entry(2, "EXTENSION", "citext"));
  BOOST_CHECK_EXCEPTION(rewrite(builder.build(), true,
                                [](archive& edited) { edited.entries[0].defn = std::string(300, 'x'); }),
                        pgarc::error, message_is("cannot write 300 in the archive's 1-byte integers"));
}

namespace {

/// The sample with a table block of `size` bytes (in 4 KiB chunks, as pg_dump
/// writes them), written to a temporary file that is removed on destruction.
struct archive_file {
  std::filesystem::path path;
  bytes contents;
  explicit archive_file(std::size_t size) {
    archive_builder builder(k_vers_1_14);
    for (const auto& entry : sample_entries())
      builder.add(entry);
    std::vector<std::string> chunks;
    for (std::size_t done = 0; done < size; done += 4096)
      chunks.push_back(std::string(std::min<std::size_t>(4096, size - done), static_cast<char>('a' + done / 4096 % 26)));
    builder.add_block({4001, block_type::data, chunks, {}});
    builder.add_block({4002, block_type::blobs, {}, {}});
    contents = builder.build();
    path = std::filesystem::temp_directory_path() / ("pgarc-writer-test-" + std::to_string(::getpid()) + ".dump");
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(contents.data()),
                                                static_cast<std::streamsize>(contents.size()));
  }
  ~archive_file() { std::filesystem::remove(path); }
};

bytes read_back(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes data(text.size());
  std::memcpy(data.data(), text.data(), text.size());
  return data;
}

/// Takes the first file range it is offered, through memory, then refuses:
/// a copy that stops working halfway.
class fickle_sink final : public byte_sink, public pgarc::detail::file_range_sink {
public:
  void write(std::span<const std::byte> data) override { m_bytes.insert(m_bytes.end(), data.begin(), data.end()); }
  bool append_file_range(int fd, std::uint64_t offset, std::uint64_t length) override {
    if (m_ranges++ > 0)
      return false;
    std::vector<std::byte> buffer(length);
    return ::pread(fd, buffer.data(), length, static_cast<off_t>(offset)) == static_cast<ssize_t>(length) &&
           (write(buffer), true);
  }
  const std::string& name() const noexcept override { return m_name; }

private:
  std::vector<std::byte> m_bytes;
  int m_ranges = 0;
  std::string m_name = "fickle";
};

} // namespace

BOOST_AUTO_TEST_CASE(file_to_file_copy_in_slices_gives_the_same_bytes) {
  const archive_file input(std::size_t{40} << 20); // three 16 MiB slices
  const auto output = input.path.string() + ".out";
  {
    const auto source = file_source::open(input.path.string());
    archive_reader reader(*source);
    const auto sink = file_sink::create(output, durability::unsynced);
    write_archive(reader, reader.take_contents(), *sink);
  }
  BOOST_TEST((read_back(output) == input.contents));
  std::filesystem::remove(output);
}

BOOST_AUTO_TEST_CASE(file_to_a_sink_without_file_ranges_goes_through_memory) {
  const archive_file input(std::size_t{1} << 20);
  const auto source = file_source::open(input.path.string());
  archive_reader reader(*source);
  memory_sink sink;
  write_archive(reader, reader.take_contents(), sink);
  BOOST_TEST((sink.bytes() == input.contents));
}

BOOST_AUTO_TEST_CASE(kernel_copy_that_stops_working_halfway_is_an_error) {
  const archive_file input(std::size_t{20} << 20);
  const auto source = file_source::open(input.path.string());
  archive_reader reader(*source);
  fickle_sink sink;
  BOOST_CHECK_EXCEPTION(write_archive(reader, reader.take_contents(), sink), io_error,
                        message_is("could not write \"fickle\": copying between the files stopped working"));
}

namespace {

/// Where the table block of an archive_file starts: its type byte, then dump id 4001.
std::size_t table_block_at(const bytes& contents) {
  const bytes header = {std::byte{1}, std::byte{0}, std::byte{0xA1}, std::byte{0x0F}, std::byte{0}, std::byte{0}};
  const auto found = std::search(contents.begin(), contents.end(), header.begin(), header.end());
  BOOST_TEST_REQUIRE((found != contents.end()));
  return static_cast<std::size_t>(found - contents.begin());
}

/// Writes `contents` over the file at `path`.
void write_file(const std::filesystem::path& path, const bytes& contents) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(contents.data()), static_cast<std::streamsize>(contents.size()));
}

/// Retargets nothing: reads `path` and writes it to `path`.out.
void copy_archive(const std::filesystem::path& path) {
  const auto source = file_source::open(path.string());
  archive_reader reader(*source);
  const auto sink = file_sink::create(path.string() + ".out", durability::unsynced);
  write_archive(reader, reader.take_contents(), *sink);
}

} // namespace

BOOST_AUTO_TEST_CASE(large_blocks_between_files_are_found_by_their_stored_offsets) {
  // The 100th chunk of the 4 MiB table block gets a negative length. Between
  // files the block is found by its offset and copied as it is, chunks
  // unread (stored_offsets.hpp says why that is safe); the same bytes from
  // memory are walked, and the walk refuses them.
  archive_file input(std::size_t{4} << 20);
  const std::size_t chunk_100 = table_block_at(input.contents) + 6 + 99 * (5 + 4096);
  BOOST_TEST_REQUIRE(std::to_integer<int>(input.contents[chunk_100 + 2]) == 0x10); // 4096, little-endian
  input.contents[chunk_100] = std::byte{1};
  write_file(input.path, input.contents);
  copy_archive(input.path);
  BOOST_TEST((read_back(input.path.string() + ".out") == input.contents));
  std::filesystem::remove(input.path.string() + ".out");
  BOOST_CHECK_EXCEPTION(rewrite(input.contents, true), format_error,
                        [](const format_error& e) { return std::string(e.what()).find("is negative") != std::string::npos; });
}

BOOST_AUTO_TEST_CASE(copy_between_files_reports_progress_slice_by_slice) {
  // 40 MiB copied in the kernel in 16 MiB slices: progress after each, in
  // input bytes, up to the whole file.
  const archive_file input(std::size_t{40} << 20);
  const auto output = input.path.string() + ".out";
  std::vector<std::uint64_t> heard;
  {
    const auto source = file_source::open(input.path.string());
    archive_reader reader(*source);
    const auto sink = file_sink::create(output, durability::unsynced);
    write_options how;
    how.progress = [&heard](std::uint64_t bytes) { heard.push_back(bytes); };
    write_archive(reader, reader.take_contents(), *sink, how);
  }
  std::filesystem::remove(output);
  BOOST_TEST(heard.size() >= 3u);
  BOOST_TEST(std::is_sorted(heard.begin(), heard.end()));
  BOOST_TEST_REQUIRE(!heard.empty());
  BOOST_TEST(heard.back() == input.contents.size());
}

BOOST_AUTO_TEST_CASE(large_block_whose_header_does_not_match_is_walked_and_refused) {
  // A dump id no entry has, at the table block's stored offset: the walk
  // takes over and names it, as it does for small blocks.
  archive_file input(std::size_t{4} << 20);
  input.contents[table_block_at(input.contents) + 2] = std::byte{0xA3}; // dump id 4003
  write_file(input.path, input.contents);
  BOOST_CHECK_EXCEPTION(copy_archive(input.path), format_error,
                        [](const format_error& e) {
                          return std::string(e.what()).find("belongs to dump id 4003, but the data offset of TOC entry "
                                                            "with dump id 4001 points there") != std::string::npos;
                        });
  BOOST_TEST(!std::filesystem::exists(input.path.string() + ".out"));
}

BOOST_AUTO_TEST_CASE(truncated_file_with_large_blocks_is_refused) {
  // Cut inside the table block, or inside the last (BLOBS) block: either a
  // stored offset points past the end or the end is no zero length, and the
  // walk names what is missing.
  for (const std::size_t cut : {std::size_t{1}, std::size_t{5}, std::size_t{2} << 20}) {
    BOOST_TEST_CONTEXT("cut " << cut << " bytes") {
      archive_file input(std::size_t{4} << 20);
      input.contents.resize(input.contents.size() - cut);
      write_file(input.path, input.contents);
      BOOST_CHECK_THROW(copy_archive(input.path), format_error);
      BOOST_TEST(!std::filesystem::exists(input.path.string() + ".out"));
    }
  }
}

BOOST_AUTO_TEST_CASE(hostile_offsets_and_headers_between_files_are_refused_or_copied_intact) {
  // The stored-offsets path reads where the TOC says. Bytes of the TOC (the
  // data offsets among them) and of the block headers changed at random,
  // 300 times: each run either writes an archive that reads back, or fails
  // with pgarc::error and leaves no output; nothing else (ASan watches the
  // sanitizer build).
  archive_file input(std::size_t{1} << 20);
  const bytes original = input.contents;
  const std::size_t table_block = table_block_at(original);
  std::uint32_t state = 12345; // a fixed xorshift sequence: the same cases every run
  const auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  std::size_t written = 0, refused = 0;
  for (int round = 0; round < 300; ++round) {
    bytes changed = original;
    for (int edit = 0, edits = 1 + static_cast<int>(next() % 4); edit < edits; ++edit) {
      // Mostly the TOC, sometimes the block headers or the last bytes.
      const std::uint32_t where = next() % 10;
      std::size_t at = where < 7   ? next() % table_block
                       : where < 9 ? table_block + next() % 12
                                   : changed.size() - 1 - next() % 16;
      changed[at] = static_cast<std::byte>(next() & 0xff);
    }
    if (next() % 8 == 0)
      changed.resize(changed.size() - 1 - next() % (std::size_t{1} << 19));
    write_file(input.path, changed);
    const auto output = input.path.string() + ".out";
    try {
      copy_archive(input.path);
      const auto source = file_source::open(output);
      archive_reader reader(*source);
      BOOST_TEST(reader.contents().entries.size() == sample_entries().size());
      ++written;
    } catch (const pgarc::error&) {
      BOOST_TEST(!std::filesystem::exists(output));
      ++refused;
    }
    std::filesystem::remove(output);
  }
  BOOST_TEST_MESSAGE(written << " written, " << refused << " refused");
  BOOST_TEST(written > 0u);
  BOOST_TEST(refused > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
