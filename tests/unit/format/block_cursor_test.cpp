// SPDX-License-Identifier: PostgreSQL
// Tests of block_cursor (src/lib/format/block_cursor.cpp): a data area
// written by hand, walked against entries made in code.
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "format/block_cursor.hpp"
#include "io/byte_reader.hpp"
#include "messages.hpp"
#include "pgarc/errors.hpp"

using namespace pgarc;
using namespace pgarc::detail;
using pgarc::test::archive_builder;
using pgarc::test::bytes;
using pgarc::test::message_is;
using pgarc::test::put_int;
using pgarc::test::put_u8;

namespace {

/// A data area, appended to block by block.
struct data_area {
  bytes data;

  data_area& begin(block_type type, std::int64_t dump_id) {
    put_u8(data, static_cast<std::uint8_t>(type));
    put_int(data, dump_id);
    return *this;
  }
  data_area& chunk(const std::string& payload) {
    put_int(data, static_cast<std::int64_t>(payload.size()));
    for (char character : payload)
      data.push_back(static_cast<std::byte>(character));
    return *this;
  }
  data_area& end_list() {
    put_int(data, 0);
    return *this;
  }
  data_area& large_object(std::int64_t oid, const std::string& payload) {
    put_int(data, oid);
    return chunk(payload).end_list();
  }
};

toc_entry table_data(std::int64_t dump_id, std::optional<std::uint64_t> offset = std::nullopt) {
  toc_entry entry = archive_builder::table_data(dump_id, "t" + std::to_string(dump_id), 1);
  entry.data_state = offset ? offset_state::position_set : offset_state::not_set;
  entry.data_offset = offset.value_or(0);
  return entry;
}

toc_entry blobs(std::int64_t dump_id) {
  toc_entry entry = archive_builder::entry(dump_id, "BLOBS", "BLOBS");
  entry.had_dumper = 1;
  entry.data_state = offset_state::not_set;
  return entry;
}

/// The cursor over `area` and its reader, kept alive together.
struct walk {
  walk(const data_area& area, std::vector<toc_entry> toc)
      : entries(std::move(toc)), blocks(block_entries(entries)), source(area.data), in(source),
        cursor(in, header, blocks) {}
  archive_header header;
  std::vector<toc_entry> entries;
  std::vector<block_entry> blocks; // of the entries that expect one
  memory_source source;
  byte_reader in;
  block_cursor cursor;

  /// Consumes the current chunk list; returns its payload.
  std::string chunks() {
    std::string payload;
    while (const std::uint64_t length = cursor.next_chunk())
      in.read_append(payload, length, "chunk");
    return payload;
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(format_block_cursor)

BOOST_AUTO_TEST_CASE(walks_data_and_large_objects_then_stops_at_what_follows) {
  data_area area;
  area.begin(block_type::data, 10).chunk("ab").chunk("c").end_list();
  // pg_dump writes an OID with WriteInt, so 3000000000 is stored as negative.
  area.begin(block_type::blobs, 12).large_object(16385, "x").large_object(-1294967296, "y").end_list();
  put_u8(area.data, 0xEE); // not a block: bytes after the last one
  walk w(area, {table_data(10), archive_builder::entry(11, "TABLE", "t"), blobs(12)});

  auto block = w.cursor.next_block();
  BOOST_TEST_REQUIRE(block.has_value());
  BOOST_TEST(block->offset == 0u);
  BOOST_TEST(block->dump_id == 10);
  BOOST_TEST((block->fault == block_fault::none));
  BOOST_TEST(block->entry == &w.blocks[0]);
  BOOST_TEST(w.cursor.owner() == "data block of dump id 10");
  BOOST_TEST(w.chunks() == "abc");

  block = w.cursor.next_block();
  BOOST_TEST_REQUIRE(block.has_value());
  BOOST_TEST((block->type == block_type::blobs));
  BOOST_TEST(block->entry == &w.blocks[1]); // the TABLE entry expects none
  BOOST_TEST(w.cursor.next_large_object() == 16385);
  BOOST_TEST(w.cursor.owner() == "large object 16385 in data block of dump id 12");
  BOOST_TEST(w.chunks() == "x");
  BOOST_TEST(w.cursor.next_large_object() == -1294967296);
  BOOST_TEST(w.cursor.owner() == "large object 3000000000 in data block of dump id 12");
  BOOST_TEST(w.chunks() == "y");
  BOOST_TEST(w.cursor.next_large_object() == 0);

  BOOST_TEST(!w.cursor.next_block().has_value()); // every block found: 0xEE is left alone
  BOOST_TEST(w.cursor.missing().empty());
  BOOST_TEST((w.in.peek_u8() == std::optional<std::uint8_t>(0xEE)));
}

BOOST_AUTO_TEST_CASE(each_fault_is_reported_with_its_block) {
  struct scenario {
    const char* name;
    data_area area;
    std::vector<toc_entry> entries;
    int blocks_before; // well-formed blocks to walk first
    block_fault fault;
    std::string message;
  };
  std::vector<scenario> scenarios;
  {
    scenario s{"unknown dump id", {}, {table_data(10)}, 0, block_fault::unknown_dump_id,
               "data block at byte 0 belongs to dump id 99, which has no TOC entry with data"};
    s.area.begin(block_type::data, 99).end_list();
    scenarios.push_back(std::move(s));
  }
  {
    scenario s{"repeated", {}, {table_data(10), table_data(11)}, 1, block_fault::repeated,
               "data block at byte 11 repeats the data block of dump id 10"};
    s.area.begin(block_type::data, 10).end_list().begin(block_type::data, 10).end_list();
    scenarios.push_back(std::move(s));
  }
  {
    scenario s{"large objects in a table's block", {}, {table_data(10)}, 0, block_fault::wrong_type,
               "data block at byte 0 has type 3 but its TOC entry (TABLE DATA t10, dump id 10) needs type 1"};
    s.area.begin(block_type::blobs, 10).end_list();
    scenarios.push_back(std::move(s));
  }
  {
    scenario s{"stored offset elsewhere", {}, {table_data(10, 500)}, 0, block_fault::offset_elsewhere,
               "data offset of TOC entry with dump id 10 points at byte 500 but its block starts at byte 0"};
    s.area.begin(block_type::data, 10).end_list();
    scenarios.push_back(std::move(s));
  }
  {
    scenario s{"another entry's offset points here", {}, {table_data(10, 0), table_data(11)}, 0,
               block_fault::claimed,
               "data block at byte 0 belongs to dump id 11, but the data offset of TOC entry with dump id 10 "
               "points there"};
    s.area.begin(block_type::data, 11).end_list();
    scenarios.push_back(std::move(s));
  }
  for (auto& s : scenarios) {
    BOOST_TEST_CONTEXT(s.name) {
      walk w(s.area, s.entries);
      for (int index = 0; index < s.blocks_before; ++index) {
        BOOST_TEST((w.cursor.next_block()->fault == block_fault::none));
        w.chunks();
      }
      const auto block = w.cursor.next_block();
      BOOST_TEST_REQUIRE(block.has_value());
      BOOST_TEST((block->fault == s.fault));
      BOOST_TEST(describe_fault(*block) == s.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(missing_blocks_are_named_in_toc_order_at_the_end_of_input) {
  data_area area;
  area.begin(block_type::data, 11).end_list();
  walk w(area, {table_data(12), table_data(11), table_data(10)});
  BOOST_TEST(w.cursor.next_block().has_value());
  w.chunks();
  BOOST_TEST(!w.cursor.next_block().has_value());
  const auto missing = w.cursor.missing();
  BOOST_TEST_REQUIRE(missing.size() == 2u);
  BOOST_TEST(missing[0]->dump_id == 12);
  BOOST_TEST(missing[1]->dump_id == 10);
}

BOOST_AUTO_TEST_CASE(framing_errors_name_the_block_and_byte) {
  {
    data_area area;
    area.begin(block_type::data, 10);
    put_int(area.data, -7);
    walk w(area, {table_data(10)});
    w.cursor.next_block();
    BOOST_CHECK_EXCEPTION(w.cursor.next_chunk(), format_error,
                          message_is("chunk length in data block of dump id 10 at byte 6 is negative (-7)"));
  }
  {
    data_area area;
    area.begin(block_type::data, 10).chunk("abc");
    area.data.resize(area.data.size() - 2);
    walk w(area, {table_data(10)});
    w.cursor.next_block();
    BOOST_CHECK_EXCEPTION(w.cursor.next_chunk(), format_error,
                          message_is("chunk in data block of dump id 10 at byte 6 claims 3 bytes but only 1 follow"));
  }
  {
    data_area area;
    area.begin(block_type::data, 10).chunk("abcdef");
    walk w(area, {table_data(10)});
    w.cursor.next_block();
    BOOST_CHECK_EXCEPTION(w.cursor.next_chunk(4), format_error,
                          message_is("chunk length in data block of dump id 10 at byte 6 is out of range (6)"));
  }
  {
    data_area area;
    put_u8(area.data, 7);
    walk w(area, {table_data(10)});
    BOOST_CHECK_EXCEPTION(w.cursor.next_block(), format_error,
                          message_is("unrecognized data block type 7 at byte 0"));
  }
}

BOOST_AUTO_TEST_SUITE_END()
