// SPDX-License-Identifier: PostgreSQL
// Tests of write_tar_from_custom and measure_custom_streams
// (src/lib/convert/tar_conversions.cpp) on custom archives built in code:
// the members and their order, sizes found by going back or by measuring
// first, and the refusals. The tar output is read back here by a small
// reader of its own, not by the library's.
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "pgarc/convert.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/tar.hpp"
#include "pipe_source.hpp"

#include <string>
#include <utility>
#include <vector>

using namespace pgarc;
using pgarc::test::archive_builder;
using pgarc::test::bytes;

namespace {

using members = std::vector<std::pair<std::string, std::string>>;

/// A table with data in three chunks and a BLOBS entry with two large
/// objects (the second with an OID over 2^31, stored negative), uncompressed.
archive_builder table_and_large_objects(archive_version version = k_vers_1_16) {
  archive_builder builder(version);
  builder.add(archive_builder::entry(5, "TABLE", "users", "public", "CREATE TABLE public.users (id int, name text);\n"))
      .add(archive_builder::table_data(10, "users", 5))
      .add(archive_builder::blobs(11))
      .add_block({10, block_type::data, {"1\tone\n", "2\ttwo\n", "\\.\n\n\n"}, {}})
      .add_block({11, block_type::blobs, {}, {{16385, {"hel", "lo"}}, {-1294967296, {"world"}}}});
  return builder;
}

std::size_t octal(const std::byte* field, std::size_t width) {
  std::size_t value = 0;
  for (std::size_t at = 0; at < width && field[at] >= std::byte{'0'} && field[at] <= std::byte{'7'}; ++at)
    value = value * 8 + static_cast<std::size_t>(field[at]) - '0';
  return value;
}

/// The (name, content) members of a ustar archive; checks the end blocks.
members members_of(const std::vector<std::byte>& tar) {
  members found;
  std::size_t at = 0;
  while (at + 512 <= tar.size() && tar[at] != std::byte{0}) {
    const char* header = reinterpret_cast<const char*>(tar.data() + at);
    const std::string name(header, std::string_view(header, 100).find('\0'));
    const std::size_t size = octal(tar.data() + at + 124, 11);
    BOOST_TEST_REQUIRE(at + 512 + size <= tar.size());
    found.emplace_back(name, std::string(reinterpret_cast<const char*>(tar.data() + at + 512), size));
    at += 512 + (size + 511) / 512 * 512;
  }
  BOOST_TEST(tar.size() == at + 1024); // two zero blocks end it
  BOOST_TEST(tar.size() % 512 == 0);
  return found;
}

/// The custom archive `input` converted to tar into `out`.
void convert(const bytes& input, byte_sink& out, const custom_stream_sizes* sizes = nullptr) {
  memory_source source(input);
  archive_reader reader(source);
  write_tar_from_custom(reader, reader.take_contents(), out, nullptr, sizes);
}

custom_stream_sizes measured(const bytes& input) {
  memory_source source(input);
  archive_reader reader(source);
  return measure_custom_streams(reader);
}

/// The message of the exception of type E that `work` throws ("" if none).
template <class E, class F>
std::string refusal(F work) {
  try {
    work();
  } catch (const E& problem) {
    return problem.what();
  }
  return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(convert_custom_to_tar)

BOOST_AUTO_TEST_CASE(members_are_laid_out_as_pg_dump_tar_does) {
  memory_sink out;
  convert(table_and_large_objects().build(), out);
  const members tar = members_of(out.bytes());
  BOOST_TEST_REQUIRE(tar.size() == 5u);
  BOOST_TEST(tar[0].first == "toc.dat");
  BOOST_TEST(tar[1].first == "10.dat");
  BOOST_TEST(tar[1].second == "1\tone\n2\ttwo\n\\.\n\n\n");
  BOOST_TEST(tar[2].first == "blob_16385.dat");
  BOOST_TEST(tar[2].second == "hello");
  BOOST_TEST(tar[3].first == "blob_3000000000.dat");
  BOOST_TEST(tar[3].second == "world");
  BOOST_TEST(tar[4].first == "blobs_11.toc");
  BOOST_TEST(tar[4].second == "16385 blob_16385.dat\n3000000000 blob_3000000000.dat\n");
}

BOOST_AUTO_TEST_CASE(toc_dat_names_each_data_member_as_pg_dump_tar_does) {
  memory_sink out;
  convert(table_and_large_objects().build(), out);
  memory_source back(out.bytes());
  tar_archive_reader reader(back);
  const archive& read = reader.contents();
  BOOST_TEST((read.layout == archive_layout::tar));
  BOOST_TEST_REQUIRE(read.entries.size() == 3u);
  BOOST_TEST(read.entries[0].data_file.empty());
  BOOST_TEST(read.entries[1].data_file == "10.dat");
  BOOST_TEST(read.entries[2].data_file == "11.dat"); // _ArchiveEntry in pg_backup_tar.c
  // ... and the library reads all of it back as a whole.
  BOOST_TEST(verify_tar(reader).problems.empty());
}

BOOST_AUTO_TEST_CASE(archives_before_1_16_name_the_list_blobs_toc) {
  memory_sink out;
  convert(table_and_large_objects(k_vers_1_14).build(), out);
  const members tar = members_of(out.bytes());
  BOOST_TEST_REQUIRE(tar.size() == 5u);
  BOOST_TEST(tar[4].first == "blobs.toc");
}

BOOST_AUTO_TEST_CASE(measured_sizes_give_the_same_members_on_a_pipe) {
  const bytes input = table_and_large_objects().build(false);
  const custom_stream_sizes sizes = measured(input);
  BOOST_TEST((sizes.streams == std::vector<std::uint64_t>{17, 5, 5}));
  memory_sink seekable;
  convert(input, seekable);
  memory_sink pipe(false);
  convert(input, pipe, &sizes);
  BOOST_TEST((members_of(pipe.bytes()) == members_of(seekable.bytes())));
}

BOOST_AUTO_TEST_CASE(a_pipe_without_sizes_is_refused) {
  memory_sink pipe(false);
  const std::string why =
      refusal<unsupported_error>([&] { convert(table_and_large_objects().build(), pipe); });
  BOOST_TEST(why.find("cannot seek back") != std::string::npos, why);
  BOOST_TEST(pipe.bytes().empty());
}

BOOST_AUTO_TEST_CASE(sizes_that_no_longer_match_are_an_io_error) {
  const bytes input = table_and_large_objects().build();
  custom_stream_sizes sizes = measured(input);
  sizes.streams[1] += 1;
  memory_sink pipe(false);
  const std::string why = refusal<io_error>([&] { convert(input, pipe, &sizes); });
  BOOST_TEST(why.find("changed while it was read") != std::string::npos, why);
  sizes.streams.pop_back();
  sizes.streams[1] -= 1;
  const std::string fewer = refusal<io_error>([&] { convert(input, pipe, &sizes); });
  BOOST_TEST(fewer.find("changed while it was read") != std::string::npos, fewer);
}

BOOST_AUTO_TEST_CASE(compressed_data_is_refused) {
  archive_builder builder = table_and_large_objects();
  builder.header().compression_byte = static_cast<std::uint8_t>(compression_algorithm::zstd);
  memory_sink out;
  const std::string why = refusal<unsupported_error>([&] { convert(builder.build(), out); });
  BOOST_TEST(why.find("zstd-compressed") != std::string::npos, why);
  BOOST_TEST(why.find("decompressing") != std::string::npos, why);
  BOOST_TEST(out.bytes().empty());
}

BOOST_AUTO_TEST_CASE(blocks_out_of_toc_order_are_refused) {
  archive_builder builder(k_vers_1_16);
  builder.add(archive_builder::table_data(10, "a", 5));
  builder.add(archive_builder::table_data(12, "b", 6));
  builder.add_block({12, block_type::data, {"2\n\\.\n"}, {}});
  builder.add_block({10, block_type::data, {"1\n\\.\n"}, {}});
  memory_sink out;
  const std::string why = refusal<unsupported_error>([&] { convert(builder.build(), out); });
  BOOST_TEST(why.find("dump id 12 comes before that of dump id 10") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(a_missing_block_is_a_format_error) {
  archive_builder builder(k_vers_1_16);
  builder.add(archive_builder::table_data(10, "a", 5));
  builder.add(archive_builder::table_data(12, "b", 6));
  builder.add_block({10, block_type::data, {"1\n\\.\n"}, {}});
  memory_sink out;
  const std::string why = refusal<format_error>([&] { convert(builder.build(false), out); });
  BOOST_TEST(why.find("no data block found for dump id 12") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(read_from_a_pipe_into_a_seekable_output) {
  const bytes input = table_and_large_objects().build(false);
  test::pipe_source source(input);
  archive_reader reader(source);
  memory_sink out;
  write_tar_from_custom(reader, reader.take_contents(), out);
  memory_sink direct;
  convert(input, direct);
  BOOST_TEST((members_of(out.bytes()) == members_of(direct.bytes())));
}

BOOST_AUTO_TEST_CASE(converted_back_to_custom_gives_the_same_streams) {
  const bytes input = table_and_large_objects().build();
  memory_sink tar;
  convert(input, tar);
  memory_source tar_source(tar.bytes());
  tar_archive_reader tar_reader(tar_source);
  memory_sink custom;
  write_custom_from_tar(tar_reader, tar_reader.take_contents(), custom);
  memory_sink again;
  convert(custom.bytes(), again);
  BOOST_TEST((members_of(again.bytes()) == members_of(tar.bytes())));
}

BOOST_AUTO_TEST_SUITE_END()
