// SPDX-License-Identifier: PostgreSQL
// Tests of copy_data_area (src/lib/format/data_blocks.cpp) on archives built
// in code: what it copies, what it rewrites, what it refuses.
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "format/data_blocks.hpp"
#include "io/byte_reader.hpp"
#include "io/byte_writer.hpp"
#include "messages.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/reader.hpp"
#include "reader_gate.hpp"

#include <algorithm>
#include <optional>
#include <cctype>

using namespace pgarc;
using pgarc::test::archive_builder;
using pgarc::test::bytes;
using pgarc::test::message_is;

namespace {

toc_entry blobs_entry(std::int64_t dump_id) {
  toc_entry entry = archive_builder::entry(dump_id, "BLOBS", "BLOBS");
  entry.had_dumper = 1;
  return entry;
}

/// An uncompressed archive with a table's block and a large objects' block,
/// one of whose OIDs pg_dump stores as a negative int.
archive_builder two_blocks() {
  archive_builder builder;
  builder.header().compression_level = 0;
  builder.add(archive_builder::table_data(10, "users", 5)).add(blobs_entry(11));
  builder.add_block({10, block_type::data, {"1\tann\n", "\\.\n\n"}, {}});
  builder.add_block({11, block_type::blobs, {}, {{16385, {"x"}}, {-1294967296, {"yz"}}}});
  return builder;
}

struct copy_result {
  bytes data_area;
  detail::block_positions positions;
  std::uint64_t input_data_start = 0;
};

/// A source that hands out at most `step` bytes a read, as a slow pipe
/// does: chunks then straddle the reader's buffered bytes anywhere.
class trickle_source final : public byte_source {
public:
  trickle_source(std::span<const std::byte> data, std::size_t step) : m_bytes(data, "trickle"), m_step(step) {}
  std::size_t read_some(std::span<std::byte> buffer) override {
    return m_bytes.read_some(buffer.first(std::min(buffer.size(), m_step)));
  }
  const std::string& name() const noexcept override { return m_bytes.name(); }

private:
  memory_source m_bytes;
  std::size_t m_step;
};

/// Reads `archive`'s TOC, then copies its data area to memory; with `step`,
/// reading at most that many bytes at a time.
copy_result copy(const bytes& archive, const stream_rewriter* rewriter = nullptr, std::size_t step = 0) {
  memory_source whole(archive);
  trickle_source trickle(archive, step);
  byte_source& source = step == 0 ? static_cast<byte_source&>(whole) : trickle;
  archive_reader reader(source);
  memory_sink sink;
  copy_result result;
  result.input_data_start = reader.data_start();
  {
    detail::byte_writer out(sink);
    std::optional<detail::block_rewriting> rewriting;
    if (rewriter)
      rewriting.emplace(detail::block_rewriting{*rewriter, reader.contents().entries});
    result.positions = detail::copy_data_area(detail::reader_gate::data_stream(reader), out,
                                              reader.contents().header, detail::reader_gate::data_entries(reader),
                                              rewriting ? &*rewriting : nullptr);
    out.flush();
  }
  result.data_area = sink.bytes();
  return result;
}

bytes data_area_of(const bytes& archive, std::uint64_t start) { return bytes(archive.begin() + start, archive.end()); }

/// Upper-cases the stream of the entries it is given.
class shout final : public stream_rewriter {
public:
  bool wants(const toc_entry& entry) const override { return entry.desc_text() == "TABLE DATA"; }
  std::string rewrite(const toc_entry&, std::string stream) const override {
    std::ranges::transform(stream, stream.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return stream;
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(format_data_blocks)

BOOST_AUTO_TEST_CASE(copies_every_block_and_the_bytes_after_them_unchanged) {
  archive_builder builder = two_blocks();
  builder.trailer(pgarc::test::to_bytes("a copy of the TOC"));
  const bytes archive = builder.build();
  const copy_result result = copy(archive);
  BOOST_TEST((result.data_area == data_area_of(archive, result.input_data_start)));
  BOOST_TEST_REQUIRE(result.positions.size() == 2u);
  BOOST_TEST(result.positions.at(10) == 0u); // output offsets: the writer started at 0
  BOOST_TEST(result.positions.at(11) > 0u);
}

BOOST_AUTO_TEST_CASE(chunks_copied_in_runs_are_the_same_wherever_reads_end) {
  // A chunk per row, as pg_dump -Z0 writes them: copied a run of buffered
  // chunks at a time, and one by one where a chunk straddles a read.
  archive_builder builder;
  builder.header().compression_level = 0;
  builder.add(archive_builder::table_data(10, "users", 5)).add(blobs_entry(11));
  std::vector<std::string> rows;
  for (int row = 0; row < 40; ++row)
    rows.push_back(std::to_string(row) + "\t" + std::string(static_cast<std::size_t>(row % 9), 'x') + "\n");
  rows.push_back("\\.\n\n");
  builder.add_block({10, block_type::data, rows, {}});
  builder.add_block({11, block_type::blobs, {}, {{16385, {"a", "bc", "def"}}, {16386, {"g"}}}});
  builder.trailer(pgarc::test::to_bytes("after"));
  const bytes archive = builder.build();
  const copy_result whole = copy(archive);
  BOOST_TEST((whole.data_area == data_area_of(archive, whole.input_data_start)));
  for (const std::size_t step : {1u, 2u, 3u, 5u, 7u, 13u, 64u}) {
    BOOST_TEST_INFO("reads of at most " << step << " bytes");
    const copy_result trickled = copy(archive, nullptr, step);
    BOOST_TEST((trickled.data_area == whole.data_area));
    BOOST_TEST((trickled.positions == whole.positions));
  }
}

BOOST_AUTO_TEST_CASE(a_rewritten_stream_is_written_back_in_chunks) {
  const bytes archive = two_blocks().build(false);
  const shout rewriter;
  const copy_result result = copy(archive, &rewriter);
  const copy_result expected = copy(archive_builder(two_blocks()).build(false));
  // The table's block: type, dump id, one chunk with the whole stream, 0.
  bytes block;
  pgarc::test::put_u8(block, 1);
  pgarc::test::put_int(block, 10);
  pgarc::test::put_int(block, 10);
  for (char c : std::string("1\tANN\n\\.\n\n"))
    block.push_back(static_cast<std::byte>(c));
  pgarc::test::put_int(block, 0);
  BOOST_TEST_REQUIRE(result.data_area.size() >= block.size());
  BOOST_TEST((bytes(result.data_area.begin(), result.data_area.begin() + static_cast<long>(block.size())) == block));
  // The large objects are copied as they were.
  const std::uint64_t blobs_at = expected.positions.at(11);
  BOOST_TEST((bytes(result.data_area.begin() + static_cast<long>(result.positions.at(11)), result.data_area.end()) ==
              bytes(expected.data_area.begin() + static_cast<long>(blobs_at), expected.data_area.end())));
}

BOOST_AUTO_TEST_CASE(a_block_that_does_not_match_the_toc_is_refused) {
  archive_builder builder;
  builder.header().compression_level = 0;
  builder.add(archive_builder::table_data(10, "users", 5));
  builder.add_block({99, block_type::data, {"x"}, {}});
  const bytes archive = builder.build(false);
  memory_source source(archive);
  archive_reader reader(source);
  const std::string at = std::to_string(reader.data_start());
  BOOST_CHECK_EXCEPTION(copy(archive), format_error,
                        message_is("data block at byte " + at + " belongs to dump id 99, which has no TOC entry with data"));
}

BOOST_AUTO_TEST_CASE(an_archive_that_ends_early_names_the_first_missing_block) {
  archive_builder builder;
  builder.header().compression_level = 0;
  builder.add(archive_builder::table_data(10, "users", 5)).add(archive_builder::table_data(11, "more", 5));
  builder.add(archive_builder::table_data(12, "most", 5));
  builder.add_block({11, block_type::data, {"x"}, {}});
  const bytes archive = builder.build(false);
  BOOST_CHECK_EXCEPTION(copy(archive), format_error, [&](const format_error& problem) {
    const std::string message = problem.what();
    BOOST_TEST_INFO("message: " << message);
    return message.find("before the data block of TOC entry with dump id 10 (2 data blocks missing)") !=
               std::string::npos &&
           problem.offset() == archive.size();
  });
}

BOOST_AUTO_TEST_SUITE_END()
