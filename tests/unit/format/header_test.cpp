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
                        message_is("archive version 1.17 at byte 5 is not supported (supported: 1.10 to 1.16)"));
}

BOOST_AUTO_TEST_CASE(older_version_is_unsupported) {
  archive_builder builder(archive_version{1, 9, 0});
  BOOST_CHECK_EXCEPTION(read_from(header_bytes(builder)), unsupported_error,
                        message_is("archive version 1.9 at byte 5 is not supported (supported: 1.10 to 1.16)"));
}

BOOST_AUTO_TEST_CASE(tar_and_directory_formats_are_refused) {
  // pg_dump -Fd and -Ft both write code 3 into toc.dat; only -Fd compresses.
  archive_builder builder;
  builder.header().format = 3;
  builder.header().compression_level = 0;
  BOOST_CHECK_EXCEPTION(read_from(header_bytes(builder)), unsupported_error,
                        message_is("archive format at byte 10 says it is the toc.dat of a tar-format "
                                   "(pg_dump -Ft) or directory-format (pg_dump -Fd) archive, not a "
                                   "custom-format archive"));
  builder.header().compression_level = -1;
  BOOST_CHECK_EXCEPTION(read_from(header_bytes(builder)), unsupported_error,
                        message_is("archive format at byte 10 says it is the toc.dat of a "
                                   "directory-format archive (pg_dump -Fd), not a custom-format archive"));
  builder.header().format = 5;
  BOOST_CHECK_EXCEPTION(read_from(header_bytes(builder)), unsupported_error,
                        message_is("archive format at byte 10 says it is the toc.dat of a "
                                   "directory-format archive (pg_dump -Fd), not a custom-format archive"));
  builder.header().format = 7;
  BOOST_CHECK_EXCEPTION(read_from(header_bytes(builder)), unsupported_error,
                        message_is("archive format at byte 10 says it is an archive of unknown format (7), "
                                   "not a custom-format archive"));
}

BOOST_AUTO_TEST_CASE(absurd_integer_size_is_refused) {
  bytes data = header_bytes(archive_builder());
  data[8] = std::byte{40};
  BOOST_CHECK_EXCEPTION(read_from(data), unsupported_error,
                        message_is("integer size in header at byte 8 is 40 bytes (supported: 1 to 32)"));
}

BOOST_AUTO_TEST_CASE(truncated_header_names_the_field) {
  bytes data = header_bytes(archive_builder());
  data.resize(14);
  BOOST_CHECK_EXCEPTION(read_from(data), format_error,
                        message_is("compression level in header is truncated at byte 11 (needed 5 bytes, 3 left)"));
}

BOOST_AUTO_TEST_CASE(zero_offset_size_is_refused) {
  bytes data = header_bytes(archive_builder());
  data[9] = std::byte{0};
  BOOST_CHECK_EXCEPTION(read_from(data), unsupported_error,
                        message_is("offset size in header at byte 9 is 0 bytes (supported: 1 to 32)"));
}

BOOST_AUTO_TEST_CASE(empty_and_short_inputs_say_so) {
  BOOST_CHECK_EXCEPTION(read_from(bytes{}), format_error,
                        message_is("not a custom-format archive (the input is empty; expected the "
                                   "PGDMP signature at byte 0)"));
  BOOST_CHECK_EXCEPTION(read_from(pgarc::test::to_bytes("PGD")), format_error,
                        message_is("not a custom-format archive (the input has only 3 bytes; "
                                   "expected the PGDMP signature at byte 0)"));
}

BOOST_AUTO_TEST_CASE(compressed_and_plain_files_get_a_hint_naming_what_they_are) {
  const std::pair<bytes, std::string> cases[] = {
      {{std::byte{0x28}, std::byte{0xb5}, std::byte{0x2f}, std::byte{0xfd}, std::byte{0}}, "zstd-compressed"},
      {{std::byte{0x04}, std::byte{0x22}, std::byte{0x4d}, std::byte{0x18}, std::byte{0}}, "lz4-compressed"},
      {pgarc::test::to_bytes("BZh91AY&SY"), "bzip2-compressed"},
      {{std::byte{0xfd}, std::byte{'7'}, std::byte{'z'}, std::byte{'X'}, std::byte{'Z'}, std::byte{0}}, "xz-compressed"},
      {pgarc::test::to_bytes("\\connect postgres\n"), "plain-format SQL dump"},
      {pgarc::test::to_bytes("SELECT 1;\n"), "pg_dump -Fc (custom format)"},
  };
  for (const auto& [data, hint] : cases) {
    BOOST_TEST_CONTEXT("hint " << hint) {
      BOOST_CHECK_EXCEPTION(read_from(data), format_error, [&](const format_error& problem) {
        BOOST_TEST_INFO("hint: " << problem.hint());
        return problem.offset() == 0 && problem.hint().find(hint) != std::string::npos;
      });
    }
  }
}

BOOST_AUTO_TEST_CASE(tar_files_are_recognised_by_their_ustar_magic) {
  // A tar header: the member's name at byte 0, "ustar" at byte 257.
  bytes tar(1024);
  const auto put = [&](std::size_t at, std::string_view text) {
    for (char character : text)
      tar[at++] = static_cast<std::byte>(character);
  };
  put(257, "ustar");
  put(0, "toc.dat");
  BOOST_CHECK_EXCEPTION(read_from(tar), format_error, [](const format_error& problem) {
    return problem.hint().find("tar-format dump (pg_dump -Ft)") != std::string::npos;
  });
  put(0, "backup.dump");
  BOOST_CHECK_EXCEPTION(read_from(tar), format_error, [](const format_error& problem) {
    return problem.hint().find("extract the dump from it first") != std::string::npos;
  });
  // Without the magic it is nothing in particular.
  put(257, "xxxxx");
  BOOST_CHECK_EXCEPTION(read_from(tar), format_error, [](const format_error& problem) {
    return problem.hint().find("tar") == std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(every_truncation_of_a_header_names_the_field) {
  for (auto version : {k_vers_1_10, k_vers_1_14, k_vers_1_15}) {
    const bytes data = header_bytes(archive_builder(version));
    for (std::size_t size = 5; size < data.size(); ++size) {
      BOOST_TEST_CONTEXT("version 1." << int(version.minor) << ", " << size << " bytes") {
        const bytes cut(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(size));
        BOOST_CHECK_EXCEPTION(read_from(cut), format_error, [&](const format_error& problem) {
          const std::string message = problem.what();
          BOOST_TEST_INFO("message: " << message);
          // A string's length is compared with the bytes left before reading it.
          return message.find("in header is truncated at byte ") != std::string::npos ||
                 message.find("archive version is truncated at byte ") == 0 ||
                 (message.find(" in header at byte ") != std::string::npos &&
                  message.find(" follow") != std::string::npos);
        });
      }
    }
  }
  // The exact wording, for one field of each kind.
  const bytes data = header_bytes(archive_builder());
  BOOST_CHECK_EXCEPTION(read_from(bytes(data.begin(), data.begin() + 7)), format_error,
                        message_is("archive version is truncated at byte 7 (needed 1 byte, 0 left)"));
  BOOST_CHECK_EXCEPTION(read_from(bytes(data.begin(), data.begin() + 50)), format_error,
                        message_is("creation time in header is truncated at byte 46 (needed 5 bytes, 4 left)"));
}

BOOST_AUTO_TEST_SUITE_END()
