// SPDX-License-Identifier: PostgreSQL
// Tests of TOC entries per archive version (src/lib/format/toc.cpp).
#include <boost/test/unit_test.hpp>

#include "allocations.hpp"
#include "archive_builder.hpp"
#include "format/header.hpp"
#include "format/toc.hpp"
#include "messages.hpp"
#include "pipe_source.hpp"

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

parsed read_from(byte_source& source) {
  byte_reader in(source);
  parsed result;
  result.header = read_header(in);
  result.entries = read_toc(in, result.header);
  result.end = in.offset();
  return result;
}

parsed read_all(const bytes& data) {
  memory_source source(data);
  return read_from(source);
}

/// True when `problem` is a format_error whose message starts with `start`
/// and ends with `end`, the byte offset in between being easy to get wrong
/// by hand.
auto message_between(std::string start, std::string end) {
  return [start = std::move(start), end = std::move(end)](const format_error& problem) {
    const std::string message = problem.what();
    BOOST_TEST_INFO("message: " << message);
    return message.size() >= start.size() + end.size() && message.compare(0, start.size(), start) == 0 &&
           message.compare(message.size() - end.size(), end.size(), end) == 0;
  };
}

/// The byte offset of the format_error reading `data` throws (0 if none).
std::uint64_t offset_of_error(const bytes& data) {
  try {
    read_all(data);
  } catch (const format_error& problem) {
    return problem.offset();
  }
  return 0;
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

BOOST_AUTO_TEST_CASE(negative_entry_count_is_refused) {
  bytes data = archive_builder().build();
  data.resize(data.size() - 5);
  pgarc::test::put_int(data, -3);
  BOOST_CHECK_EXCEPTION(read_all(data), format_error,
                        message_is("TOC entry count at byte 82 is negative (-3)"));
}

BOOST_AUTO_TEST_CASE(null_in_a_field_pg_restore_dereferences_is_refused) {
  using field_pointer = pg_string toc_entry::*;
  const std::pair<field_pointer, std::string> fields[] = {
      {&toc_entry::table_oid, "catalog table oid"}, {&toc_entry::oid, "oid"},
      {&toc_entry::tag, "tag"}, {&toc_entry::desc, "type"}, {&toc_entry::with_oids, "WITH OIDS flag"}};
  for (const auto& [member, name] : fields) {
    BOOST_TEST_CONTEXT(name) {
      toc_entry entry = full_entry();
      entry.*member = std::nullopt;
      archive_builder builder;
      builder.add(archive_builder::entry(1, "SCHEMA", "app")).add(entry);
      BOOST_CHECK_EXCEPTION(read_all(builder.build()), format_error,
                            message_between(name + " of TOC entry 2 (dump id 224) at byte ",
                                            " is NULL, which pg_restore cannot handle"));
    }
  }
}

BOOST_AUTO_TEST_CASE(definitions_pg_restore_parses_while_reading_must_be_valid) {
  const std::pair<std::string, pg_string> bad[] = {
      {"ENCODING", std::nullopt},
      {"STDSTRINGS", std::nullopt},
      {"SEARCHPATH", std::nullopt},
      {"ENCODING", std::string("SET client_encoding = UTF8;\n")},
      {"STDSTRINGS", std::string("SET standard_conforming_strings = 'yes';\n")},
      {"STDSTRINGS", std::string("SET standard_conforming_strings = on;\n")},
  };
  for (const auto& [desc, defn] : bad) {
    BOOST_TEST_CONTEXT(desc << " " << defn.value_or("NULL")) {
      archive_builder builder;
      builder.add(archive_builder::entry(4000, desc, desc, std::nullopt, defn));
      const std::string problem =
          !defn               ? "is NULL, which pg_restore cannot handle"
          : desc == "ENCODING" ? "is not a valid ENCODING item (expected the encoding name in single quotes)"
                               : "is not a valid STDSTRINGS item (expected 'on' or 'off' in single quotes)";
      BOOST_CHECK_EXCEPTION(read_all(builder.build()), format_error,
                            message_between("definition of TOC entry 1 (dump id 4000) at byte 1", problem));
    }
  }
  // What pg_dump writes is accepted, and other entries may have no definition.
  archive_builder good;
  good.add(archive_builder::entry(4000, "ENCODING", "ENCODING", std::nullopt,
                                  std::string("SET client_encoding = 'UTF8';\n")))
      .add(archive_builder::entry(4001, "STDSTRINGS", "STDSTRINGS", std::nullopt,
                                  std::string("SET standard_conforming_strings = 'off';\n")))
      .add(archive_builder::entry(4002, "SEARCHPATH", "SEARCHPATH", std::nullopt,
                                  std::string("SELECT pg_catalog.set_config('search_path', '', false);\n")))
      .add(archive_builder::entry(4003, "COMMENT", "SCHEMA public"));
  BOOST_TEST(read_all(good.build()).entries.size() == 4u);
}

BOOST_AUTO_TEST_CASE(table_data_needs_a_first_dependency_within_the_dump_ids) {
  for (std::string table : {"0", "-5", "4002", "99999999999", "abc", ""}) {
    BOOST_TEST_CONTEXT("first dependency \"" << table << "\"") {
      archive_builder builder;
      toc_entry data = archive_builder::table_data(4001, "users", 200);
      data.dependencies = {table, "7"};
      builder.add(archive_builder::entry(200, "TABLE", "users")).add(data);
      builder.add_block({4001, block_type::data, {"\\.\n\n\n"}, {}});
      const bytes archive = builder.build();
      BOOST_CHECK_EXCEPTION(read_all(archive), format_error,
                            message_is("first dependency of TOC entry 2 (dump id 4001) at byte " +
                                       std::to_string(offset_of_error(archive)) + " is \"" + table +
                                       "\", not a table's dump id (TABLE DATA needs one from 1 to 4001)"));
    }
  }
  // pg_restore reads the number as sscanf("%d") does; a data-only dump
  // names a table that has no entry; and TABLE DATA may have no dependency.
  for (std::vector<std::string> dependencies :
       {std::vector<std::string>{" 200"}, {"3999"}, {"200abc"}, {}}) {
    archive_builder builder;
    toc_entry data = archive_builder::table_data(4001, "users", 200);
    data.dependencies = dependencies;
    builder.add(data).add_block({4001, block_type::data, {"\\.\n\n\n"}, {}});
    BOOST_TEST(read_all(builder.build()).entries.size() == 1u);
  }
}

BOOST_AUTO_TEST_CASE(data_offsets_outside_the_file_are_refused_when_its_size_is_known) {
  archive_builder builder;
  builder.add(archive_builder::table_data(4001, "users", 200));
  builder.add_block({4001, block_type::data, {"1\n", "\\.\n\n\n"}, {}});
  const bytes good = builder.build();
  const parsed layout = read_all(good);
  const std::uint64_t block_at = layout.entries[0].data_offset;
  // The offset's eight position bytes end 8 bytes before the first block.
  const auto with_position = [&](std::uint64_t position) {
    bytes data = good;
    for (std::size_t index = 0; index < 8; ++index)
      data[block_at - 8 + index] = std::byte{static_cast<unsigned char>(position >> (8 * index))};
    return data;
  };
  const std::string field = "data offset of TOC entry 1 (dump id 4001) at byte " + std::to_string(block_at - 9);
  BOOST_CHECK_EXCEPTION(read_all(with_position(good.size())), format_error,
                        message_is(field + " points at byte " + std::to_string(good.size()) +
                                   ", past the end of the file (" + std::to_string(good.size()) + " bytes)"));
  BOOST_CHECK_EXCEPTION(read_all(with_position(std::uint64_t{1} << 62)), format_error,
                        message_between(field + " points at byte 4611686018427387904", "bytes)"));
  BOOST_CHECK_EXCEPTION(read_all(with_position(20)), format_error,
                        message_is(field + " points at byte 20, inside the header and TOC (data starts at byte " +
                                   std::to_string(block_at) + ")"));
  // From a pipe the size is unknown: the data copy checks the position instead.
  const bytes outside = with_position(good.size());
  pgarc::test::pipe_source pipe(outside);
  BOOST_TEST(read_from(pipe).entries[0].data_offset == good.size());
}

BOOST_AUTO_TEST_CASE(every_truncation_of_a_toc_names_a_field_and_its_offset) {
  for (auto version : {k_vers_1_10, k_vers_1_12, k_vers_1_14, k_vers_1_16}) {
    archive_builder builder(version);
    builder.add(full_entry()).add(archive_builder::table_data(4826, "booking", 224, "app"));
    const bytes whole = builder.build_header_and_toc();
    memory_source source(whole);
    byte_reader header_reader(source);
    read_header(header_reader);
    const std::uint64_t toc_start = header_reader.offset();
    for (std::size_t size = toc_start; size < whole.size(); ++size) {
      BOOST_TEST_CONTEXT("version 1." << int(version.minor) << ", cut at " << size) {
        const bytes cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(size));
        BOOST_CHECK_EXCEPTION(read_all(cut), format_error, [&](const format_error& problem) {
          const std::string message = problem.what();
          BOOST_TEST_INFO("message: " << message);
          const bool names_entry = message.find(" of TOC entry ") != std::string::npos ||
                                   message.find("TOC entry count") == 0;
          return names_entry && problem.offset() <= size && problem.offset() >= toc_start &&
                 message.find(" at byte " + std::to_string(problem.offset())) != std::string::npos;
        });
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(huge_claims_on_a_pipe_are_not_allocated_up_front) {
  // Through a pipe the reader cannot compare a length with the bytes left; it
  // must then let memory grow only with the bytes that really arrive.
  archive_builder builder;
  bytes data = builder.build();
  data.resize(data.size() - 5);
  pgarc::test::put_int(data, 2000000000); // TOC entries
  pgarc::test::put_int(data, 1);          // dump id
  pgarc::test::put_int(data, 0);          // data flag
  pgarc::test::put_int(data, (std::int64_t{1} << 30) - 1); // catalog table oid: 1 GB - 1
  for (int filler = 0; filler < 100; ++filler)
    pgarc::test::put_u8(data, '1');
  pgarc::test::pipe_source pipe(data);
  byte_reader in(pipe); // its buffer is allocated before the watch starts
  const archive_header header = read_header(in);
  pgarc::test::allocation_watch watch;
  BOOST_CHECK_EXCEPTION(read_toc(in, header), format_error,
                        message_is("catalog table oid of TOC entry 1 (dump id 1) is truncated at byte 102 "
                                   "(needed 1073741823 bytes, 100 left)"));
  BOOST_TEST(watch.largest() < std::size_t{1} << 20);
}

BOOST_AUTO_TEST_CASE(string_beyond_postgres_field_limit_is_refused_on_a_pipe) {
  bytes data = archive_builder().build();
  data.resize(data.size() - 5);
  pgarc::test::put_int(data, 1);
  pgarc::test::put_int(data, 1);
  pgarc::test::put_int(data, 0);
  pgarc::test::put_int(data, std::int64_t{1} << 30, 4);
  pgarc::test::pipe_source pipe(data);
  BOOST_CHECK_EXCEPTION(read_from(pipe), format_error,
                        message_is("catalog table oid of TOC entry 1 (dump id 1) at byte 97 has an absurd "
                                   "length of 1073741824"));
}

BOOST_AUTO_TEST_SUITE_END()
