// SPDX-License-Identifier: PostgreSQL
// Tests of archive_reader on real archives (src/lib/reader.cpp): every
// truncation of a real archive, read and copied, must end in one format_error
// naming a byte offset. The vectors directory is the argument after "--".
#include <boost/test/unit_test.hpp>

#include "pgarc/errors.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/writer.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace pgarc;

namespace {

std::vector<std::byte> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::byte> data(text.size());
  std::transform(text.begin(), text.end(), data.begin(), [](char c) { return static_cast<std::byte>(c); });
  return data;
}

std::filesystem::path vectors_dir() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  return suite.argc > 1 ? suite.argv[suite.argc - 1] : "";
}

/// Reads `data` and copies it to memory as pgarc-retarget -o does.
void read_and_copy(std::span<const std::byte> data) {
  memory_source source(data);
  archive_reader reader(source);
  memory_sink sink(false);
  write_archive(reader, reader.contents(), sink);
}

} // namespace

BOOST_AUTO_TEST_SUITE(reader)

// A default dump, a piped one (no offsets), lz4 and zstd data, and 1.12 and
// 1.13 archives from pg_dump 9.6 and 11.
BOOST_AUTO_TEST_CASE(every_truncation_of_a_real_archive_is_a_format_error) {
  const char* const names[] = {"tiny.pg15.default.dump", "tiny.pg15.piped.dump",
                               "tiny.pg16.lz4.dump",     "tiny.pg17.zstd.dump",
                               "tiny.pg96.default.dump", "plain.pg11.default.dump"};
  for (const char* name : names) {
    BOOST_TEST_CONTEXT(name) {
      const auto data = read_file(vectors_dir() / name);
      BOOST_TEST_REQUIRE(data.size() > 1000u, "vector " << name << " not found in " << vectors_dir());
      BOOST_CHECK_NO_THROW(read_and_copy(data));
      std::size_t failures = 0;
      for (std::size_t size = 0; size < data.size() && failures < 5; ++size) {
        const std::span<const std::byte> cut(data.data(), size);
        try {
          read_and_copy(cut);
          BOOST_ERROR("the first " << size << " bytes were read without error");
          ++failures;
        } catch (const format_error& problem) {
          const std::string message = problem.what();
          // One line that names the byte where reading failed.
          if (message.find('\n') != std::string::npos || problem.offset() > size ||
              message.find("byte " + std::to_string(problem.offset())) == std::string::npos) {
            BOOST_ERROR("the first " << size << " bytes: " << message << " (offset "
                                     << problem.offset() << ")");
            ++failures;
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
