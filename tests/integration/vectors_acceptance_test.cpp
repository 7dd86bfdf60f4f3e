// SPDX-License-Identifier: PostgreSQL
// Acceptance on real archives of testdata/vectors that the fixture's own
// pg_dump cannot make: 9.6 and 11 (archive versions 1.12 and 1.13: names
// unqualified before 1.13), and 16 to 19 (1.15 and 1.16, read with pg_restore
// 18 whatever the server). Retargeted, each must restore into a Heroku-rule
// database with no error the original does not also give in a plain database,
// and the original must fail on Heroku.
//
// Errors the original also gives are not ours, and are the reason for that
// rule: a 9.6 archive always fails its own CREATE SCHEMA public; an archive
// of pg_dump 17 or later, restored into an older server, fails on settings
// that server lacks (SET transaction_timeout on PostgreSQL 15); the vectors
// of pg_dump 16 to 19 were dumped from a 15.20 server that stored an
// attribute option pg_attver, which PostgreSQL 18 rejects on restore.
#include "app_fixture.hpp"
#include "temp_cluster.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>

namespace data = boost::unit_test::data;
namespace fs = std::filesystem;
using namespace pgarc::test;

namespace {

const std::vector<std::string>& old_vectors() {
  static const std::vector<std::string> names = {
      "tiny.pg96.default", "tiny.pg96.piped", "tiny.pg96.quoteall", "tiny.pg96.inserts",
      "tiny.pg96.z0",      "tiny.pg11.default", "tiny.pg11.piped",  "tiny.pg11.quoteall",
      "tiny.pg11.inserts", "tiny.pg11.schema"};
  return names;
}

/// Archives 1.15 and 1.16 of pg_dump 16 and 19 (no Debian package makes
/// them), and of 17 and 18 for servers of another version.
const std::vector<std::string>& new_vectors() {
  static const std::vector<std::string> names = {
      "tiny.pg16.default", "tiny.pg16.piped", "tiny.pg16.lz4",  "tiny.pg16.zstd", "tiny.pg17.default",
      "tiny.pg17.piped",   "tiny.pg18.default", "tiny.pg18.stats", "tiny.pg19.default", "tiny.pg19.piped"};
  return names;
}

/// The pg_restore that reads an archive: the cluster's own for 1.14 and
/// older (every server here reads those), else pg_restore 18.
fs::path restore_program_for(const std::string& name) {
  if (name.find(".pg96.") != std::string::npos || name.find(".pg11.") != std::string::npos)
    return {};
  const char* newest = std::getenv("PGARC_PG_RESTORE_NEWEST");
  BOOST_TEST_REQUIRE(newest != nullptr, "PGARC_PG_RESTORE_NEWEST is not set (tests/integration/meson.build)");
  return newest;
}

fs::path vector_path(const std::string& name) {
  const char* directory = std::getenv("PGARC_VECTORS");
  BOOST_TEST_REQUIRE(directory != nullptr, "PGARC_VECTORS is not set (tests/integration/meson.build)");
  return fs::path(directory) / (name + ".dump");
}

/// The first line of each error, which names what failed.
std::vector<std::string> error_texts(const restore_result& result) {
  std::vector<std::string> texts = result.errors();
  std::sort(texts.begin(), texts.end());
  return texts;
}

/// The number of rows of `table`, or "absent".
std::string row_count(temp_cluster& cluster, const std::string& database, const std::string& table) {
  if (cluster.query_value(database, "SELECT to_regclass('" + table + "') IS NULL") == "t")
    return "absent";
  return cluster.query_value(database, "SELECT count(*) FROM " + table);
}

/// Restores `name` into a plain and a Heroku-rule database, and its
/// retargeted version into another Heroku-rule one; compares their errors.
void check_vector_on_heroku(const std::string& name) {
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const fs::path original = vector_path(name);
  const fs::path pg_restore = restore_program_for(name);

  const std::string plain = fixture.new_plain_database("vector_plain");
  const std::vector<std::string> baseline = error_texts(cluster.restore(original, plain, {}, pg_restore));
  const std::string heroku_original = fixture.new_heroku_database("vector_original");
  const restore_result before = cluster.restore(original, heroku_original, {}, pg_restore);
  BOOST_TEST(before.has_error("must be installed in schema \"heroku_ext\""), before.messages);

  const fs::path retargeted = fixture.work_file(name + ".retargeted.dump");
  const process_result retargeting = fixture.retarget({original.string(), "-o", retargeted.string()});
  BOOST_TEST_REQUIRE(retargeting.succeeded(), retargeting.describe());
  const std::string heroku = fixture.new_heroku_database("vector_retargeted");
  const std::vector<std::string> after = error_texts(cluster.restore(retargeted, heroku, {}, pg_restore));
  std::vector<std::string> new_errors;
  std::set_difference(after.begin(), after.end(), baseline.begin(), baseline.end(),
                      std::back_inserter(new_errors));
  std::string listed;
  for (const auto& line : new_errors)
    listed += line + "\n";
  BOOST_TEST(new_errors.empty(), "errors the original does not give in a plain database:\n" << listed);
  // The data arrived as in the plain database (where the original's own
  // errors may have left a table out, it is left out of both).
  if (name.find("schema") == std::string::npos)
    for (const char* table : {"public.users", "public.rooms", "public.reservations"})
      BOOST_TEST(row_count(cluster, heroku, table) == row_count(cluster, plain, table), table);
  BOOST_TEST(cluster.query_value(heroku, "SELECT count(*) FROM pg_extension"
                                         " WHERE extnamespace = 'heroku_ext'::regnamespace") == "3");
  for (const auto& database : {plain, heroku_original, heroku})
    cluster.drop_database(database);
}

} // namespace

BOOST_AUTO_TEST_SUITE(old_archives)

BOOST_DATA_TEST_CASE(old_vector_retargeted_restores_on_heroku, data::make(old_vectors()), name) {
  check_vector_on_heroku(name);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(new_archives)

BOOST_DATA_TEST_CASE(new_vector_retargeted_restores_on_heroku, data::make(new_vectors()), name) {
  check_vector_on_heroku(name);
}

BOOST_AUTO_TEST_SUITE_END()
