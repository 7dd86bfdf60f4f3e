// SPDX-License-Identifier: PostgreSQL
// Tests of the streaming codecs (src/lib/compress/codec.cpp).
#include <boost/test/unit_test.hpp>

#include "compress/codec.hpp"
#include "messages.hpp"
#include "pgarc/errors.hpp"

using namespace pgarc;
using namespace pgarc::detail;

namespace {

std::span<const std::byte> as_span(const std::string& text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

std::string compress(compression_algorithm algorithm, const std::string& text) {
  auto encoder = make_compressor(algorithm);
  std::string out;
  encoder->feed(as_span(text), out);
  encoder->finish(out);
  return out;
}

std::string decompress(compression_algorithm algorithm, const std::string& data,
                       std::size_t piece = 7) {
  auto decoder = make_decompressor(algorithm, "test stream");
  std::string out;
  for (std::size_t start = 0; start < data.size(); start += piece)
    decoder->feed(as_span(data.substr(start, piece)), out);
  decoder->finish(out);
  return out;
}

const compression_algorithm all_algorithms[] = {
    compression_algorithm::none, compression_algorithm::gzip, compression_algorithm::lz4,
    compression_algorithm::zstd};

} // namespace

BOOST_AUTO_TEST_SUITE(codec)

BOOST_AUTO_TEST_CASE(every_algorithm_round_trips_in_small_pieces) {
  std::string text;
  for (int row = 0; row < 20000; ++row)
    text += "INSERT INTO public.spatial_ref_sys VALUES (" + std::to_string(row) + ", 'x');\n";
  for (auto algorithm : all_algorithms) {
    BOOST_TEST_CONTEXT("algorithm " << int(algorithm)) {
      const std::string packed = compress(algorithm, text);
      BOOST_TEST(decompress(algorithm, packed) == text);
      BOOST_TEST(decompress(algorithm, packed, 100000) == text);
    }
  }
}

BOOST_AUTO_TEST_CASE(streams_start_with_the_format_pg_dump_writes) {
  BOOST_TEST(static_cast<unsigned char>(compress(compression_algorithm::gzip, "x")[0]) == 0x78);
  BOOST_TEST(compress(compression_algorithm::lz4, "x").substr(0, 4) == std::string("\x04\x22\x4d\x18"));
  BOOST_TEST(compress(compression_algorithm::zstd, "x").substr(0, 4) == std::string("\x28\xb5\x2f\xfd"));
}

BOOST_AUTO_TEST_CASE(empty_stream_round_trips) {
  for (auto algorithm : all_algorithms)
    BOOST_TEST(decompress(algorithm, compress(algorithm, "")).empty());
}

BOOST_AUTO_TEST_CASE(corrupt_or_truncated_streams_are_errors) {
  const std::string text(5000, 'a');
  for (auto algorithm : {compression_algorithm::gzip, compression_algorithm::lz4,
                         compression_algorithm::zstd}) {
    BOOST_TEST_CONTEXT("algorithm " << int(algorithm)) {
      std::string packed = compress(algorithm, text);
      BOOST_CHECK_THROW(decompress(algorithm, packed.substr(0, packed.size() - 3)), format_error);
      std::string flipped = packed;
      flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5a);
      flipped[2] = static_cast<char>(flipped[2] ^ 0x33);
      BOOST_CHECK_THROW(decompress(algorithm, flipped), format_error);
    }
  }
}

BOOST_AUTO_TEST_CASE(zlib_stream_with_no_data_at_all_is_an_error) {
  // pg_restore keeps inflating and fails; an lz4 or zstd reader accepts it.
  BOOST_CHECK_THROW(decompress(compression_algorithm::gzip, ""), format_error);
  BOOST_TEST(decompress(compression_algorithm::lz4, "").empty());
  BOOST_TEST(decompress(compression_algorithm::zstd, "").empty());
}

BOOST_AUTO_TEST_CASE(output_beyond_the_limit_is_refused_while_decoding) {
  // 64 MiB of zeros compress to a few kilobytes; the decoder must stop at
  // the limit instead of producing everything first.
  const std::string zeros(std::size_t{64} << 20, '\0');
  for (auto algorithm : {compression_algorithm::none, compression_algorithm::gzip,
                         compression_algorithm::lz4, compression_algorithm::zstd}) {
    BOOST_TEST_CONTEXT("algorithm " << int(algorithm)) {
      const std::string packed = algorithm == compression_algorithm::none
                                     ? std::string(std::size_t{2} << 20, '\0')
                                     : compress(algorithm, zeros);
      auto decoder = make_decompressor(algorithm, "data block of dump id 7", std::size_t{1} << 20);
      std::string out;
      BOOST_CHECK_EXCEPTION(
          {
            decoder->feed(as_span(packed), out);
            decoder->finish(out);
          },
          unsupported_error,
          pgarc::test::message_is("data block of dump id 7 decompresses to more than 1 MiB, too "
                                  "large to hold in memory"));
      BOOST_TEST(out.size() <= std::size_t{1} << 20);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
