// SPDX-License-Identifier: PostgreSQL
// --catalog-from: extension membership read from a live database decides the
// names, is recorded as such in the report, and a connection failure is one
// error line without the password.
#include "app_fixture.hpp"
#include "temp_cluster.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgarc::test;

namespace {

std::string conninfo(const temp_cluster& cluster, const std::string& database) {
  return "host=" + cluster.root().string() + " port=" + std::to_string(cluster.port()) +
         " user=postgres dbname=" + database;
}

} // namespace

BOOST_AUTO_TEST_SUITE(catalog_from)

BOOST_AUTO_TEST_CASE(live_catalog_decides_and_is_named_in_the_report) {
  app_fixture& fixture = app_fixture::instance();
  // The source database has every extension the archive creates.
  const process_result result = fixture.retarget(
      {fixture.archive("default").path.string(), "--dry-run", "--json", "--catalog-from",
       conninfo(fixture.cluster(), app_fixture::source_database)});
  BOOST_TEST_REQUIRE(result.succeeded(), result.describe());
  BOOST_TEST(result.out.find("\"catalog\": \"live catalog\"") != std::string::npos);
  BOOST_TEST(result.out.find("\"catalog\": \"built-in catalog\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(unreachable_catalog_database_is_one_error_line) {
  app_fixture& fixture = app_fixture::instance();
  const process_result result = fixture.retarget(
      {fixture.archive("default").path.string(), "--dry-run", "--catalog-from",
       conninfo(fixture.cluster(), "no_such_database") + " password=sekrit"});
  BOOST_TEST(result.exit_status == 1);
  BOOST_TEST(result.err.find("pgarc-retarget: error: could not connect to") == 0u);
  BOOST_TEST(result.err.find("no_such_database") != std::string::npos);
  BOOST_TEST(result.err.find("sekrit") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
