// SPDX-License-Identifier: PostgreSQL
// Acceptance on the real 9.6 and 11 archives of ../shared/vectors (archive
// versions 1.12 and 1.13: names unqualified before 1.13). Retargeted, each
// must restore into a Heroku-rule database with no error the original does
// not also give in a plain database (a 9.6 archive always fails its own
// CREATE SCHEMA public there), and the original must fail on Heroku.
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

} // namespace

BOOST_AUTO_TEST_SUITE(old_archives)

BOOST_DATA_TEST_CASE(old_vector_retargeted_restores_on_heroku, data::make(old_vectors()), name) {
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const fs::path original = vector_path(name);

  const std::string plain = fixture.new_plain_database("vector_plain");
  const std::vector<std::string> baseline = error_texts(cluster.restore(original, plain, {}));
  const std::string heroku_original = fixture.new_heroku_database("vector_original");
  const restore_result before = cluster.restore(original, heroku_original, {});
  BOOST_TEST(before.has_error("must be installed in schema \"heroku_ext\""), before.messages);

  const fs::path retargeted = fixture.work_file(name + ".retargeted.dump");
  const process_result retargeting = fixture.retarget({original.string(), "-o", retargeted.string()});
  BOOST_TEST_REQUIRE(retargeting.succeeded(), retargeting.describe());
  const std::string heroku = fixture.new_heroku_database("vector_retargeted");
  const std::vector<std::string> after = error_texts(cluster.restore(retargeted, heroku, {}));
  std::vector<std::string> new_errors;
  std::set_difference(after.begin(), after.end(), baseline.begin(), baseline.end(),
                      std::back_inserter(new_errors));
  std::string listed;
  for (const auto& line : new_errors)
    listed += line + "\n";
  BOOST_TEST(new_errors.empty(), "errors the original does not give in a plain database:\n" << listed);
  // The data arrived: every table of tiny.sql has its rows.
  if (name.find("schema") == std::string::npos)
    BOOST_TEST(cluster.query_value(heroku, "SELECT count(*) FROM public.users") ==
               cluster.query_value(plain, "SELECT count(*) FROM public.users"));
  for (const auto& database : {plain, heroku_original, heroku})
    cluster.drop_database(database);
}

BOOST_AUTO_TEST_SUITE_END()
