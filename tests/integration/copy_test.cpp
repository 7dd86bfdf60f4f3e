// SPDX-License-Identifier: PostgreSQL
// pgarc-retarget with nothing to move copies an archive (--from names a
// schema no extension lives in): every fixture archive, copied, must restore into the same database as its source (and a
// seekable archive must come back byte for byte).
#include "app_fixture.hpp"
#include "temp_cluster.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>

namespace data = boost::unit_test::data;
namespace fs = std::filesystem;
using namespace pgarc::test;

namespace {

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(copy)

BOOST_DATA_TEST_CASE(copied_archive_restores_like_its_source, data::make(archive_variants()), variant) {
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const fixture_archive& original = fixture.archive(variant);
  const fs::path copied = fixture.work_file("copied." + variant + ".dump");

  const process_result copying = fixture.retarget(
      {original.path.string(), "-o", copied.string(), "--from", "pgarc_no_such_schema"});
  BOOST_TEST_REQUIRE(copying.succeeded(), copying.describe());
  if (!original.piped)
    BOOST_TEST((file_bytes(copied) == file_bytes(original.path)), "the copy of " << variant << " differs");

  const std::string restored = fixture.new_plain_database("copy_" + variant);
  const restore_result result = cluster.restore(copied, restored);
  BOOST_TEST(result.error_count == 0, result.messages);
  BOOST_TEST(result.exit_status == 0);
  comparison_options compared;
  compared.data = original.has_data();
  const std::string difference = cluster.database_difference(app_fixture::source_database, restored, compared);
  BOOST_TEST(difference.empty(), difference);
  cluster.drop_database(restored);
}

BOOST_AUTO_TEST_SUITE_END()
