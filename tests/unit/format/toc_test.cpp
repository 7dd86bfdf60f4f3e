// SPDX-License-Identifier: PostgreSQL
// Tests of TOC entries per archive version (src/lib/format/toc.cpp).
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "format/header.hpp"
#include "format/toc.hpp"
#include "messages.hpp"

using namespace pgarc;
using namespace pgarc::detail;
using pgarc::test::archive_builder;
using pgarc::test::bytes;
using pgarc::test::message_is;

namespace {

struct parsed {
  archive_header header;
  std::vector<toc_entry> entries;
  std::uint64_t end = 0;
};

parsed read_all(const bytes& data) {
  memory_source source(data);
  byte_reader in(source);
  parsed result;
  result.header = read_header(in);
  result.entries = read_toc(in, result.header);
  result.end = in.offset();
  return result;
}

toc_entry full_entry() {
  toc_entry entry = archive_builder::entry(224, "TABLE", "booking", std::string("app"),
                                           std::string("CREATE TABLE app.booking (room integer);\n"));
  entry.table_oid = "1259";
  entry.oid = "17413";
  entry.drop_stmt = "DROP TABLE app.booking;\n";
  entry.tablespace = "";
  entry.table_am = "heap";
  entry.relkind = 'r';
  entry.owner = "app_owner";
  entry.dependencies = {"13", "2", "2"};
  return entry;
}

} // namespace

BOOST_AUTO_TEST_SUITE(toc)

BOOST_AUTO_TEST_CASE(fields_are_gated_on_the_version) {
  for (auto version : {k_vers_1_10, k_vers_1_11, k_vers_1_12, k_vers_1_13, k_vers_1_14,
                       k_vers_1_15, k_vers_1_16}) {
    BOOST_TEST_CONTEXT("version 1." << int(version.minor)) {
      archive_builder builder(version);
      builder.add(full_entry());
      const parsed result = read_all(builder.build());
      BOOST_TEST_REQUIRE(result.entries.size() == 1u);
      const toc_entry& entry = result.entries.front();
      BOOST_TEST(entry.dump_id == 224);
      BOOST_TEST(entry.tag.value() == "booking");
      BOOST_TEST(entry.namespace_name.value() == "app");
      BOOST_TEST(entry.owner.value() == "app_owner");
      BOOST_TEST(entry.dependencies == (std::vector<std::string>{"13", "2", "2"}));
      BOOST_TEST(entry.tablespace.value().empty());
      // Fields an older version does not have are not read (and the builder
      // does not write them), so the entry ends exactly where the file does.
      BOOST_TEST(entry.section == (version >= k_vers_1_11 ? 2 : 0));
      BOOST_TEST(entry.table_am.has_value() == (version >= k_vers_1_14));
      BOOST_TEST(entry.relkind == (version >= k_vers_1_16 ? 'r' : 0));
    }
  }
}

BOOST_AUTO_TEST_CASE(null_and_empty_fields_survive_a_round_trip) {
  archive_builder builder(k_vers_1_14);
  toc_entry entry = full_entry();
  entry.copy_stmt = std::nullopt;
  entry.owner = "";
  entry.tablespace = std::nullopt;
  builder.add(entry);
  const bytes data = builder.build();
  const parsed result = read_all(data);
  BOOST_TEST(!result.entries[0].copy_stmt.has_value());
  BOOST_TEST((result.entries[0].owner.has_value() && result.entries[0].owner->empty()));
  memory_sink sink;
  byte_writer out(sink);
  write_header(out, result.header);
  write_toc(out, result.header, result.entries);
  out.flush();
  BOOST_TEST(sink.bytes() == data);
}

BOOST_AUTO_TEST_CASE(toc_size_matches_what_is_written) {
  archive_builder builder(k_vers_1_16);
  builder.add(full_entry()).add(archive_builder::entry(2, "EXTENSION", "citext"));
  const parsed result = read_all(builder.build());
  memory_sink sink;
  byte_writer out(sink);
  write_toc(out, result.header, result.entries);
  out.flush();
  BOOST_TEST(toc_size(result.header, result.entries) == sink.bytes().size());
}

BOOST_AUTO_TEST_CASE(data_offsets_are_read_per_entry) {
  archive_builder builder;
  builder.add(full_entry()).add(archive_builder::table_data(4826, "booking", 224, "app"));
  builder.add_block({4826, block_type::data, {"1\t[2020-01-01,2020-01-02)\n", "\\.\n\n\n"}, {}});
  const bytes data = builder.build();
  const parsed result = read_all(data);
  BOOST_TEST((result.entries[0].data_state == offset_state::no_data));
  BOOST_TEST((result.entries[1].data_state == offset_state::position_set));
  BOOST_TEST(result.entries[1].data_offset == result.end);
  const parsed piped = read_all(builder.build(false));
  BOOST_TEST((piped.entries[1].data_state == offset_state::not_set));
}

BOOST_AUTO_TEST_CASE(non_positive_dump_id_is_refused) {
  archive_builder builder;
  builder.add(archive_builder::entry(0, "TABLE", "t"));
  BOOST_CHECK_EXCEPTION(read_all(builder.build()), format_error,
                        message_is("dump id of TOC entry 1 at byte 87 is out of range (0)"));
}

BOOST_AUTO_TEST_CASE(duplicate_dump_id_is_refused) {
  archive_builder builder;
  builder.add(archive_builder::entry(7, "TABLE", "a")).add(archive_builder::entry(7, "TABLE", "b"));
  BOOST_CHECK_EXCEPTION(read_all(builder.build()), format_error, [](const format_error& problem) {
    return std::string(problem.what()).find("TOC entry 2 at byte") == 0 &&
           std::string(problem.what()).find("repeats dump id 7") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(null_tag_is_refused_because_pg_restore_crashes_on_it) {
  archive_builder builder;
  toc_entry entry = archive_builder::entry(3, "TABLE", "t");
  entry.tag = std::nullopt;
  builder.add(entry);
  BOOST_CHECK_EXCEPTION(read_all(builder.build()), format_error, [](const format_error& problem) {
    return std::string(problem.what()).find("tag of TOC entry 1 (dump id 3) at byte") == 0 &&
           std::string(problem.what()).find("is NULL, which pg_restore cannot handle") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(huge_entry_count_fails_before_allocating) {
  bytes data = archive_builder().build();
  data.resize(data.size() - 5);
  pgarc::test::put_int(data, 1000000000);
  BOOST_CHECK_EXCEPTION(read_all(data), format_error,
                        message_is("TOC entry count at byte 82 claims 1000000000 entries but only 0 bytes follow"));
}

BOOST_AUTO_TEST_CASE(truncated_entry_names_field_and_entry) {
  archive_builder builder;
  builder.add(full_entry());
  bytes data = builder.build();
  data.resize(data.size() - 20);
  BOOST_CHECK_EXCEPTION(read_all(data), format_error, [](const format_error& problem) {
    return std::string(problem.what()).find("of TOC entry 1 (dump id 224) is truncated at byte") !=
           std::string::npos;
  });
}

BOOST_AUTO_TEST_SUITE_END()
