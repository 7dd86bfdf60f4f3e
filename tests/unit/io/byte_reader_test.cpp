// SPDX-License-Identifier: PostgreSQL
// Tests of buffered, checked reads (src/lib/io/byte_reader.cpp): offsets,
// reads across buffer refills, truncation errors that name the field and the
// byte where it began, lent bytes, and copies to sinks.
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "io/byte_reader.hpp"
#include "io/fast_paths.hpp"
#include "messages.hpp"
#include "pipe_source.hpp"

#include <numeric>

using namespace pgarc;
using namespace pgarc::detail;
using pgarc::test::bytes;
using pgarc::test::message_is;

namespace {

bytes counting(std::size_t size) {
  bytes data(size);
  for (std::size_t index = 0; index < size; ++index)
    data[index] = std::byte(index % 251);
  return data;
}

/// A source that lends its bytes in windows of `window`, as a mapped file does.
class window_source final : public byte_source, public lending_source {
public:
  window_source(const bytes& data, std::size_t window) : m_data(data), m_window(window) {}
  /// Reached only once everything was lent: an empty loan may mean "cannot
  /// lend", so the reader asks read_some to confirm the end.
  std::size_t read_some(std::span<std::byte>) override {
    BOOST_TEST(m_position == m_data.size());
    return 0;
  }
  std::span<const std::byte> lend(std::size_t) override { // see io/fast_paths.hpp
    const std::size_t take = std::min(m_window, m_data.size() - m_position);
    const std::span<const std::byte> lent(m_data.data() + m_position, take);
    m_position += take;
    ++lends;
    return lent;
  }
  std::optional<std::uint64_t> size() const noexcept override { return m_data.size(); }
  const std::string& name() const noexcept override { return m_name; }
  int lends = 0;

private:
  const bytes& m_data;
  std::size_t m_window;
  std::size_t m_position = 0;
  std::string m_name = "lent";
};

} // namespace

BOOST_AUTO_TEST_SUITE(io_byte_reader)

BOOST_AUTO_TEST_CASE(reads_across_refills_keep_order_and_offset) {
  const bytes data = counting(100);
  memory_source source(data);
  byte_reader in(source, 7); // a buffer smaller than every read below
  BOOST_TEST(in.read_u8("first") == 0);
  bytes middle(30);
  in.read_exact(middle, "middle");
  BOOST_TEST(std::equal(middle.begin(), middle.end(), data.begin() + 1));
  std::string text;
  in.read_append(text, 20, "text");
  BOOST_TEST(text.size() == 20u);
  BOOST_TEST(static_cast<unsigned char>(text[0]) == 31u);
  BOOST_TEST(in.offset() == 51u);
  BOOST_TEST(*in.remaining() == 49u);
  BOOST_TEST(*in.peek_u8() == 51u);
  BOOST_TEST(in.offset() == 51u); // peeking consumes nothing
}

BOOST_AUTO_TEST_CASE(truncation_names_the_field_and_where_it_began) {
  const bytes data = counting(10);
  memory_source source(data);
  byte_reader in(source, 4);
  bytes skip(6);
  in.read_exact(skip, "head");
  bytes wanted(8);
  BOOST_CHECK_EXCEPTION(in.read_exact(wanted, "table name"), format_error,
                        message_is("table name is truncated at byte 6 (needed 8 bytes, 4 left)"));
}

BOOST_AUTO_TEST_CASE(truncated_append_and_single_byte) {
  const bytes data = counting(3);
  memory_source source(data);
  byte_reader in(source);
  std::string text;
  BOOST_CHECK_EXCEPTION(in.read_append(text, 5, "tag"), format_error,
                        message_is("tag is truncated at byte 0 (needed 5 bytes, 3 left)"));
  pgarc::test::pipe_source empty({});
  byte_reader nothing(empty);
  BOOST_TEST(nothing.at_end());
  BOOST_TEST(!nothing.peek_u8().has_value());
  BOOST_TEST(!nothing.remaining().has_value()); // a pipe: size unknown
  BOOST_CHECK_EXCEPTION(nothing.read_u8("version"), format_error,
                        message_is("version is truncated at byte 0 (needed 1 byte, 0 left)"));
}

BOOST_AUTO_TEST_CASE(lent_bytes_are_read_without_read_some) {
  const bytes data = counting(50);
  window_source source(data, 16);
  byte_reader in(source, 8);
  bytes all(50);
  in.read_exact(all, "everything");
  BOOST_TEST((all == data));
  BOOST_TEST(source.lends == 4); // 16 + 16 + 16 + 2
  BOOST_TEST(in.at_end());
}

BOOST_AUTO_TEST_CASE(copies_pass_bytes_unchanged_or_discard_them) {
  const bytes data = counting(40);
  pgarc::test::pipe_source source(data);
  byte_reader in(source, 6);
  memory_sink sink;
  in.copy_to(&sink, 10, "first ten");
  in.copy_to(nullptr, 5, "skipped");
  BOOST_TEST(in.copy_rest(sink) == 25u);
  bytes expected(data.begin(), data.begin() + 10);
  expected.insert(expected.end(), data.begin() + 15, data.end());
  BOOST_TEST((sink.bytes() == expected));
  BOOST_TEST(in.offset() == 40u);
  BOOST_CHECK_EXCEPTION(in.copy_to(&sink, 1, "data block"), format_error,
                        message_is("data block is truncated at byte 40 (needed 1 byte, 0 left)"));
}

BOOST_AUTO_TEST_CASE(progress_is_called_on_each_refill_with_the_offset) {
  const bytes data = counting(20);
  pgarc::test::pipe_source source(data);
  byte_reader in(source, 8);
  std::vector<std::uint64_t> seen;
  in.set_progress([&](std::uint64_t offset) { seen.push_back(offset); });
  memory_sink sink;
  in.copy_rest(sink);
  BOOST_TEST((seen == std::vector<std::uint64_t>{0, 8, 16}));
}

BOOST_AUTO_TEST_SUITE_END()
