// SPDX-License-Identifier: PostgreSQL
// Tests of the ustar header (src/lib/tar/tar_header.cpp): what pg_dump -Ft
// writes and pg_restore checks (name, octal size, checksum, type).
#include <boost/test/unit_test.hpp>

#include "pgarc/errors.hpp"
#include "pgarc/tar.hpp"
#include "tar/tar_header.hpp"

#include <cstring>

using namespace pgarc;
using namespace pgarc::detail;

namespace {

std::string field(const tar_header_bytes& header, std::size_t at, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(header.data()) + at, size);
}

std::string refusal(const tar_header_bytes& header) {
  try {
    (void)decode_tar_header(header, 1024);
  } catch (const format_error& problem) {
    return problem.what();
  }
  return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(tar_header)

BOOST_AUTO_TEST_CASE(made_header_reads_back) {
  const auto header = make_tar_header("4329.dat", 8791, 1796422621);
  BOOST_TEST(field(header, 124, 12) == std::string("00000021127\0", 12)); // 8791 in octal
  BOOST_TEST(field(header, 257, 6) == std::string("ustar\0", 6));
  const auto member = decode_tar_header(header, 512);
  BOOST_TEST_REQUIRE(member.has_value());
  BOOST_TEST(member->name == "4329.dat");
  BOOST_TEST(member->size == 8791u);
  BOOST_TEST(member->offset == 512u);
}

BOOST_AUTO_TEST_CASE(sizes_from_8_gib_use_base_256) {
  const std::uint64_t size = (std::uint64_t{1} << 33) + 5;
  const auto header = make_tar_header("big.dat", size, 0);
  BOOST_TEST(std::to_integer<unsigned>(header[124]) == 0x80u);
  BOOST_TEST(decode_tar_header(header, 0)->size == size);
}

BOOST_AUTO_TEST_CASE(resized_header_keeps_the_rest) {
  const auto header = make_tar_header("toc.dat", 10, 42);
  const auto resized = resized_tar_header(header, 4000);
  BOOST_TEST(decode_tar_header(resized, 0)->size == 4000u);
  BOOST_TEST(field(resized, 136, 12) == field(header, 136, 12));
}

BOOST_AUTO_TEST_CASE(a_zero_block_ends_the_archive) {
  const tar_header_bytes zeros{};
  BOOST_TEST(!decode_tar_header(zeros, 0).has_value());
}

BOOST_AUTO_TEST_CASE(damaged_headers_are_refused) {
  auto header = make_tar_header("4329.dat", 8791, 0);
  header[0] = std::byte{'5'};
  BOOST_TEST(refusal(header) == "tar header at byte 1024 has a wrong checksum (a damaged archive, or not a tar archive)");
  auto directory = make_tar_header("sub", 0, 0);
  directory[156] = std::byte{'5'};
  directory = resized_tar_header(directory, 0); // a valid checksum again
  BOOST_TEST(refusal(directory) == "tar header at byte 1024 is for \"sub\", which is not a regular file (type '5')");
}

BOOST_AUTO_TEST_CASE(only_a_toc_dat_first_member_is_a_pg_dump_tar) {
  const auto toc = make_tar_header("toc.dat", 100, 0);
  const auto other = make_tar_header("backup.dump", 100, 0);
  BOOST_TEST(looks_like_tar_archive(std::as_bytes(std::span(toc))));
  BOOST_TEST(!looks_like_tar_archive(std::as_bytes(std::span(other))));
  BOOST_TEST(!looks_like_tar_archive(std::as_bytes(std::span(toc)).first(100)));
}

BOOST_AUTO_TEST_SUITE_END()
