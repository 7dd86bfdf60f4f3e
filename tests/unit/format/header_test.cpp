// SPDX-License-Identifier: PostgreSQL
// Tests of the archive header (src/lib/format/header.cpp).
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "format/header.hpp"
#include "messages.hpp"

using namespace pgarc;
using namespace pgarc::detail;
using pgarc::test::archive_builder;
using pgarc::test::bytes;
using pgarc::test::message_is;

namespace {

archive_header read_from(const bytes& data) {
  memory_source source(data);
  byte_reader in(source);
  return read_header(in);
}

bytes header_bytes(const archive_builder& builder) {
  // An archive with no entries is its header plus the entry count.
  archive_builder copy = builder;
  bytes all = copy.build();
  all.resize(all.size() - 1 - copy.header().int_size);
  return all;
}

} // namespace

BOOST_AUTO_TEST_SUITE(header)

BOOST_AUTO_TEST_CASE(every_field_of_a_1_14_header_is_read) {
  archive_builder builder(k_vers_1_14);
  builder.header().compression_level = -1;
  builder.header().tm_sec = 27;
  builder.header().tm_isdst = 1;
  builder.header().database_name = "tiny";
  builder.header().server_version = "15.20";
  builder.header().pg_dump_version = std::nullopt;
  const archive_header header = read_from(header_bytes(builder));
  BOOST_TEST((header.version == k_vers_1_14));
  BOOST_TEST(header.int_size == 4);
  BOOST_TEST(header.off_size == 8);
  BOOST_TEST(header.compression_level == -1);
  BOOST_TEST((header.compression() == compression_algorithm::gzip));
  BOOST_TEST(header.tm_sec == 27);
  BOOST_TEST(header.tm_isdst == 1);
  BOOST_TEST(header.database_name.value() == "tiny");
  BOOST_TEST(!header.pg_dump_version.has_value());
}

BOOST_AUTO_TEST_CASE(from_1_15_compression_is_one_algorithm_byte) {
  archive_builder builder(k_vers_1_15);
  builder.header().compression_byte = 3;
  const bytes data = header_bytes(builder);
  BOOST_TEST(std::to_integer<int>(data[11]) == 3);
  const archive_header header = read_from(data);
  BOOST_TEST((header.compression() == compression_algorithm::zstd));
}

BOOST_AUTO_TEST_CASE(level_zero_means_no_compression_before_1_15) {
  archive_builder builder(k_vers_1_12);
  builder.header().compression_level = 0;
  BOOST_TEST((read_from(header_bytes(builder)).compression() == compression_algorithm::none));
}

BOOST_AUTO_TEST_CASE(header_round_trips_through_writer) {
  for (auto version : {k_vers_1_10, k_vers_1_12, k_vers_1_14, k_vers_1_15, k_vers_1_16}) {
    archive_builder builder(version);
    builder.header().int_size = 8;
    const bytes data = header_bytes(builder);
    memory_sink sink;
    byte_writer out(sink);
    write_header(out, read_from(data));
    out.flush();
    BOOST_TEST(sink.bytes() == data);
  }
}

BOOST_AUTO_TEST_CASE(plain_sql_gets_a_hint) {
  const bytes data = pgarc::test::to_bytes("--\n-- PostgreSQL database dump\n--\n");
  BOOST_CHECK_EXCEPTION(read_from(data), format_error, [](const format_error& problem) {
    return std::string(problem.what()) ==
               "not a custom-format archive (no PGDMP signature at byte 0)" &&
           problem.hint().find("plain-format SQL dump") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(gzip_file_gets_a_hint) {
  const bytes data{std::byte{0x1f}, std::byte{0x8b}, std::byte{8}, std::byte{0}};
  BOOST_CHECK_EXCEPTION(read_from(data), format_error, [](const format_error& problem) {
    return problem.hint().find("gzip-compressed") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(newer_version_is_unsupported) {
  archive_builder builder(archive_version{1, 17, 0});
  BOOST_CHECK_EXCEPTION(read_from(header_bytes(builder)), unsupported_error,
                        message_is("archive version 1.17 is not supported (supported: 1.10 to 1.16)"));
}

BOOST_AUTO_TEST_CASE(older_version_is_unsupported) {
  archive_builder builder(archive_version{1, 9, 0});
  BOOST_CHECK_EXCEPTION(read_from(header_bytes(builder)), unsupported_error,
                        message_is("archive version 1.9 is not supported (supported: 1.10 to 1.16)"));
}

BOOST_AUTO_TEST_CASE(tar_and_directory_formats_are_refused) {
  archive_builder builder;
  builder.header().format = 3;
  BOOST_CHECK_EXCEPTION(read_from(header_bytes(builder)), unsupported_error,
                        message_is("the header describes a tar-format archive, not a custom-format one"));
  builder.header().format = 5;
  BOOST_CHECK_EXCEPTION(read_from(header_bytes(builder)), unsupported_error,
                        message_is("the header describes a directory-format archive, not a custom-format one"));
}

BOOST_AUTO_TEST_CASE(absurd_integer_size_is_refused) {
  bytes data = header_bytes(archive_builder());
  data[8] = std::byte{40};
  BOOST_CHECK_EXCEPTION(read_from(data), unsupported_error,
                        message_is("archive declares an integer size of 40 bytes (supported: 1 to 32)"));
}

BOOST_AUTO_TEST_CASE(truncated_header_names_the_field) {
  bytes data = header_bytes(archive_builder());
  data.resize(14);
  BOOST_CHECK_EXCEPTION(read_from(data), format_error,
                        message_is("compression level in header is truncated at byte 11 (needed 5 bytes, 3 left)"));
}

BOOST_AUTO_TEST_SUITE_END()
