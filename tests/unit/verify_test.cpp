// SPDX-License-Identifier: PostgreSQL
// Tests of verify_archive (src/lib/verify.cpp) on archives built in code.
#include <boost/test/unit_test.hpp>

#include "allocations.hpp"
#include "archive_builder.hpp"
#include "compress/codec.hpp"
#include "pgarc/verify.hpp"

using namespace pgarc;
using pgarc::test::archive_builder;
using pgarc::test::bytes;

namespace {

std::string gz(const std::string& text) {
  auto encoder = detail::make_compressor(compression_algorithm::gzip);
  std::string out;
  encoder->feed(std::as_bytes(std::span(text.data(), text.size())), out);
  encoder->finish(out);
  return out;
}

archive_builder with_table(const std::string& stream) {
  archive_builder builder;
  builder.header().compression_level = -1;
  builder.add(archive_builder::table_data(10, "users", 5));
  builder.add_block({10, block_type::data, {stream}, {}});
  return builder;
}

verify_report verify_bytes(const bytes& data) {
  memory_source source(data);
  archive_reader reader(source);
  return verify_archive(reader);
}

} // namespace

BOOST_AUTO_TEST_SUITE(verify)

BOOST_AUTO_TEST_CASE(unknown_compression_algorithm_is_reported_not_thrown) {
  // Found by read_archive_fuzz: make_decompressor's unsupported_error used to
  // escape verify_archive, which promises to throw only io_error.
  archive_builder builder(k_vers_1_15);
  builder.header().compression_byte = 16;
  builder.add(archive_builder::table_data(10, "users", 5));
  builder.add(archive_builder::table_data(11, "more", 5));
  builder.add_block({10, block_type::data, {"x"}, {}});
  builder.add_block({11, block_type::data, {"y"}, {}});
  const verify_report report = verify_bytes(builder.build());
  BOOST_TEST_REQUIRE(report.problems.size() == 1u);
  BOOST_TEST(report.problems[0].dump_id == 0);
  BOOST_TEST(report.problems[0].message ==
             "the header names an unknown compression algorithm 16; no stream is decompressed");
  BOOST_TEST(report.data_blocks == 2u);
}

BOOST_AUTO_TEST_CASE(a_small_stream_that_decodes_to_gigabytes_is_verified_in_bounded_memory) {
  // A zstd frame of RLE blocks, written by hand: 4 bytes per 128 KiB of
  // zeros, 256 MiB in all from 8 KiB in one chunk.
  std::string frame = "\x28\xb5\x2f\xfd";
  frame += '\x00';                   // no content size, no checksum
  frame += static_cast<char>(7 << 3); // window 2^(10+7) = 128 KiB
  constexpr int blocks = 2048;
  for (int block = 0; block < blocks; ++block) {
    const std::uint32_t header = (std::uint32_t{128} << 10 << 3) | (1u << 1) | (block == blocks - 1 ? 1u : 0u);
    frame += static_cast<char>(header & 0xff);
    frame += static_cast<char>((header >> 8) & 0xff);
    frame += static_cast<char>((header >> 16) & 0xff);
    frame += '\0'; // the byte repeated
  }
  archive_builder builder(k_vers_1_15);
  builder.header().compression_byte = static_cast<std::uint8_t>(compression_algorithm::zstd);
  toc_entry data = archive_builder::table_data(10, "users", 5);
  data.copy_stmt = std::nullopt; // INSERT statements: no COPY terminator expected
  builder.add(data).add_block({10, block_type::data, {frame}, {}});
  const bytes input = builder.build();
  memory_source source(input);
  archive_reader reader(source);
  pgarc::test::allocation_watch watch;
  const verify_report report = verify_archive(reader);
  BOOST_TEST(report.ok());
  BOOST_TEST(report.decompressed_bytes == std::uint64_t{256} << 20);
  BOOST_TEST(watch.largest() <= std::size_t{64} << 20);
}

BOOST_AUTO_TEST_CASE(intact_archive_is_ok) {
  const verify_report report = verify_bytes(with_table(gz("1\ta\n2\tb\n\\.\n\n\n")).build());
  BOOST_TEST(report.ok());
  BOOST_TEST(report.data_blocks == 1u);
  BOOST_TEST(report.decompressed_bytes == 13u);
}

BOOST_AUTO_TEST_CASE(empty_table_is_only_the_terminator) {
  BOOST_TEST(verify_bytes(with_table(gz("\\.\n\n\n")).build()).ok());
}

BOOST_AUTO_TEST_CASE(copy_data_without_terminator_is_reported) {
  const verify_report report = verify_bytes(with_table(gz("1\ta\n2\tb\n")).build());
  BOOST_TEST_REQUIRE(report.problems.size() == 1u);
  BOOST_TEST(report.problems[0].dump_id == 10);
  BOOST_TEST(report.problems[0].message == "the COPY data does not end with its terminator (\\.)");
}

BOOST_AUTO_TEST_CASE(corrupt_stream_is_reported_and_reading_goes_on) {
  std::string stream = gz(std::string(3000, 'x') + "\n\\.\n\n\n");
  stream[stream.size() / 2] = static_cast<char>(stream[stream.size() / 2] ^ 0x5a);
  archive_builder builder = with_table(stream);
  builder.add(archive_builder::table_data(11, "other", 6));
  builder.add_block({11, block_type::data, {gz("\\.\n\n\n")}, {}});
  const verify_report report = verify_bytes(builder.build());
  BOOST_TEST_REQUIRE(report.problems.size() == 1u);
  BOOST_TEST(report.problems[0].dump_id == 10);
  BOOST_TEST(report.problems[0].message.find("could not decompress") == 0u);
  BOOST_TEST(report.data_blocks == 2u);
}

BOOST_AUTO_TEST_CASE(missing_block_is_reported_by_entry) {
  archive_builder builder = with_table(gz("\\.\n\n\n"));
  builder.add(archive_builder::table_data(11, "other", 6));
  const verify_report report = verify_bytes(builder.build(false));
  BOOST_TEST_REQUIRE(report.problems.size() == 1u);
  BOOST_TEST(report.problems[0].dump_id == 11);
  BOOST_TEST(report.problems[0].message == "no data block found for this entry");
}

BOOST_AUTO_TEST_CASE(inserts_data_needs_no_terminator) {
  archive_builder builder;
  builder.header().compression_level = -1;
  toc_entry data = archive_builder::table_data(10, "users", 5);
  data.copy_stmt = std::nullopt;
  builder.add(data);
  builder.add_block({10, block_type::data, {gz("INSERT INTO public.users VALUES (1);\n\n\n")}, {}});
  BOOST_TEST(verify_bytes(builder.build()).ok());
}

BOOST_AUTO_TEST_CASE(large_objects_are_decompressed_one_by_one) {
  archive_builder builder;
  builder.header().compression_level = -1;
  toc_entry blobs = archive_builder::entry(12, "BLOBS", "BLOBS");
  blobs.had_dumper = 1;
  builder.add(blobs);
  builder.add_block({12, block_type::blobs, {}, {{17430, {gz("hello")}}, {17431, {"not zlib"}}}});
  const verify_report report = verify_bytes(builder.build());
  BOOST_TEST(report.large_objects == 2u);
  BOOST_TEST_REQUIRE(report.problems.size() == 1u);
  BOOST_TEST(report.problems[0].message.find("large object 17431") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
