// SPDX-License-Identifier: PostgreSQL
// Tests of buffered writes (src/lib/io/byte_writer.cpp): small writes are
// gathered, large ones go to the sink as they are, in order either way.
#include <boost/test/unit_test.hpp>

#include "io/byte_writer.hpp"
#include "pgarc/io.hpp"

#include <vector>

using namespace pgarc;
using namespace pgarc::detail;

namespace {

/// Records the size of every write it receives.
class recording_sink final : public byte_sink {
public:
  void write(std::span<const std::byte> data) override {
    sizes.push_back(data.size());
    bytes.insert(bytes.end(), data.begin(), data.end());
  }
  const std::string& name() const noexcept override { return m_name; }
  std::vector<std::size_t> sizes;
  std::vector<std::byte> bytes;

private:
  std::string m_name = "recording";
};

std::vector<std::byte> pattern(std::size_t size, unsigned seed) {
  std::vector<std::byte> data(size);
  for (std::size_t at = 0; at < size; ++at)
    data[at] = std::byte(static_cast<unsigned char>((at * 7 + seed) % 251));
  return data;
}

} // namespace

BOOST_AUTO_TEST_SUITE(byte_writer_writes)

BOOST_AUTO_TEST_CASE(large_writes_bypass_the_buffer_in_order) {
  recording_sink sink;
  byte_writer writer(sink, 1024);
  const auto head = pattern(10, 1), large = pattern(256, 2), small = pattern(100, 3), larger = pattern(5000, 4);
  writer.write(head);
  writer.write(large); // a quarter of the buffer: the 10 bytes first, then these as they are
  writer.write(small);
  writer.write_u8(42);
  writer.write(larger);
  writer.flush();
  std::vector<std::byte> expected;
  for (const auto* part : {&head, &large, &small})
    expected.insert(expected.end(), part->begin(), part->end());
  expected.push_back(std::byte{42});
  expected.insert(expected.end(), larger.begin(), larger.end());
  BOOST_TEST((sink.bytes == expected));
  BOOST_TEST((sink.sizes == std::vector<std::size_t>{10, 256, 101, 5000}));
  BOOST_TEST(writer.offset() == expected.size());
}

BOOST_AUTO_TEST_CASE(small_writes_are_gathered) {
  recording_sink sink;
  byte_writer writer(sink, 1024);
  for (unsigned round = 0; round < 40; ++round)
    writer.write(pattern(100, round)); // each under a quarter of the buffer
  writer.flush();
  BOOST_TEST(sink.bytes.size() == 4000u);
  // Ten writes fill the buffer up to 1000 bytes; the eleventh does not fit.
  BOOST_TEST((sink.sizes == std::vector<std::size_t>{1000, 1000, 1000, 1000}));
}

BOOST_AUTO_TEST_SUITE_END()
