// SPDX-License-Identifier: PostgreSQL
// Tests of pg_dump's primitive encodings (src/lib/format/pg_codec.cpp).
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "format/pg_codec.hpp"
#include "messages.hpp"

using namespace pgarc;
using namespace pgarc::detail;
using pgarc::test::bytes;
using pgarc::test::message_is;

namespace {

struct reading {
  explicit reading(bytes input) : data(std::move(input)), source(data), in(source, 16) {}
  bytes data;
  memory_source source;
  byte_reader in;
};

bytes write_with(const std::function<void(byte_writer&)>& body) {
  memory_sink sink;
  byte_writer out(sink, 8);
  body(out);
  out.flush();
  return sink.bytes();
}

} // namespace

BOOST_AUTO_TEST_SUITE(pg_codec)

BOOST_AUTO_TEST_CASE(int_is_sign_byte_then_little_endian_magnitude) {
  reading input({std::byte{0}, std::byte{0xda}, std::byte{0x12}, std::byte{0}, std::byte{0}});
  BOOST_TEST(read_pg_int(input.in, {}, "dump id") == 4826);
  BOOST_TEST(input.in.offset() == 5u);
}

BOOST_AUTO_TEST_CASE(any_nonzero_sign_byte_means_negative) {
  reading input({std::byte{7}, std::byte{1}, std::byte{0}, std::byte{0}, std::byte{0}});
  BOOST_TEST(read_pg_int(input.in, {}, "value") == -1);
}

BOOST_AUTO_TEST_CASE(negative_zero_reads_as_zero) {
  reading input({std::byte{1}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}});
  BOOST_TEST(read_pg_int(input.in, {}, "value") == 0);
}

BOOST_AUTO_TEST_CASE(int_size_from_header_is_honoured) {
  bytes data;
  pgarc::test::put_int(data, 0x123456789aLL, 8);
  reading input(data);
  BOOST_TEST(read_pg_int(input.in, {8, 8}, "value") == 0x123456789aLL);
}

BOOST_AUTO_TEST_CASE(wide_int_with_nonzero_high_bytes_is_refused) {
  bytes data(1 + 9, std::byte{0});
  data[9] = std::byte{1};
  reading input(data);
  BOOST_CHECK_EXCEPTION(read_pg_int(input.in, {9, 8}, "value"), format_error,
                        message_is("value at byte 0 does not fit in 64 bits"));
}

BOOST_AUTO_TEST_CASE(truncated_int_reports_offset_and_counts) {
  reading input({std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0},
                 std::byte{0}, std::byte{1}});
  read_pg_int(input.in, {}, "first");
  BOOST_CHECK_EXCEPTION(read_pg_int(input.in, {}, "tag of TOC entry 3"), format_error,
                        message_is("tag of TOC entry 3 is truncated at byte 5 (needed 5 bytes, 2 left)"));
}

BOOST_AUTO_TEST_CASE(null_and_empty_strings_stay_distinct) {
  bytes data;
  pgarc::test::put_string(data, std::nullopt);
  pgarc::test::put_string(data, std::string());
  pgarc::test::put_string(data, std::string("public"));
  reading input(data);
  BOOST_TEST(!read_pg_string(input.in, {}, "a").has_value());
  auto empty = read_pg_string(input.in, {}, "b");
  BOOST_TEST((empty.has_value() && empty->empty()));
  BOOST_TEST(read_pg_string(input.in, {}, "c").value() == "public");
  const bytes written = write_with([](byte_writer& out) {
    write_pg_string(out, {}, std::nullopt);
    write_pg_string(out, {}, std::string());
    write_pg_string(out, {}, std::string("public"));
  });
  BOOST_TEST(written == data);
}

BOOST_AUTO_TEST_CASE(any_negative_length_reads_as_null) {
  bytes data;
  pgarc::test::put_int(data, -5);
  reading input(data);
  BOOST_TEST(!read_pg_string(input.in, {}, "owner").has_value());
}

BOOST_AUTO_TEST_CASE(string_longer_than_the_rest_fails_before_allocating) {
  bytes data;
  pgarc::test::put_int(data, 2000000000);
  data.push_back(std::byte{'x'});
  reading input(data);
  BOOST_CHECK_EXCEPTION(read_pg_string(input.in, {}, "defn of TOC entry 1"), format_error,
                        message_is("defn of TOC entry 1 at byte 0 claims 2000000000 bytes but only 1 follow"));
}

BOOST_AUTO_TEST_CASE(offset_flags_and_positions_round_trip) {
  const bytes written = write_with([](byte_writer& out) {
    write_pg_offset(out, {}, {offset_state::position_set, 10274});
    write_pg_offset(out, {}, {offset_state::no_data, 0});
  });
  bytes expected;
  pgarc::test::put_offset(expected, offset_state::position_set, 10274);
  pgarc::test::put_offset(expected, offset_state::no_data, 0);
  BOOST_TEST(written == expected);
  reading input(written);
  const pg_offset first = read_pg_offset(input.in, {}, "offset");
  BOOST_TEST((first.state == offset_state::position_set));
  BOOST_TEST(first.position == 10274u);
  BOOST_TEST((read_pg_offset(input.in, {}, "offset").state == offset_state::no_data));
}

BOOST_AUTO_TEST_CASE(unknown_offset_flag_is_refused) {
  bytes data;
  pgarc::test::put_u8(data, 4);
  data.resize(9);
  reading input(data);
  BOOST_CHECK_EXCEPTION(read_pg_offset(input.in, {}, "data offset of TOC entry 2"), format_error,
                        message_is("data offset of TOC entry 2 at byte 0 has an unexpected data offset flag 4"));
}

BOOST_AUTO_TEST_CASE(ints_round_trip_through_writer) {
  for (std::int64_t value : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1},
                             std::int64_t{2147483647}, std::int64_t{-2147483647}}) {
    const bytes written = write_with([&](byte_writer& out) { write_pg_int(out, {}, value); });
    bytes expected;
    pgarc::test::put_int(expected, value);
    BOOST_TEST(written == expected);
    reading input(written);
    BOOST_TEST(read_pg_int(input.in, {}, "value") == value);
  }
}

BOOST_AUTO_TEST_SUITE_END()
