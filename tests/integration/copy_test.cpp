// SPDX-License-Identifier: PostgreSQL
// pgarc-retarget with nothing to move copies an archive (--from names a
// schema no extension lives in): every fixture archive, copied, must restore into the same database as its source (and a
// seekable archive must come back byte for byte).
#include "app_fixture.hpp"
#include "temp_cluster.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
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

/// A file's bytes; for a directory archive each member's name and bytes,
/// in name order (so a changed, missing or extra member shows).
std::string archive_bytes(const fs::path& path) {
  if (!fs::is_directory(path))
    return file_bytes(path);
  std::vector<fs::path> members;
  for (const auto& member : fs::directory_iterator(path))
    members.push_back(member.path());
  std::sort(members.begin(), members.end());
  std::string all;
  for (const auto& member : members)
    all += member.filename().string() + "\n" + file_bytes(member) + "\n";
  return all;
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
    BOOST_TEST((archive_bytes(copied) == archive_bytes(original.path)), "the copy of " << variant << " differs");

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

// Conversions carry the streams over as they are: an uncompressed custom
// archive through a directory archive and a tar archive back to a custom
// archive (c -> d -> t -> c) restores the source database (data, large
// objects) at every step. gzip is refused: its framing differs between the
// custom and directory formats.
BOOST_AUTO_TEST_CASE(custom_to_directory_to_tar_and_back_restores_like_its_source) {
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const fs::path directory = fixture.work_file("converted.z0.dir");
  const fs::path custom = fixture.work_file("converted.z0.back.dump");
  process_result converting = fixture.retarget(
      {fixture.archive("z0").path.string(), "-F", "d", "-o", directory.string(), "--from", "pgarc_no_such_schema"});
  BOOST_TEST_REQUIRE(converting.succeeded(), converting.describe());
  const fs::path tar = fixture.work_file("converted.z0.tar");
  converting = fixture.retarget({directory.string(), "-F", "t", "-o", tar.string(), "--from", "pgarc_no_such_schema"});
  BOOST_TEST_REQUIRE(converting.succeeded(), converting.describe());
  converting = fixture.retarget({tar.string(), "-F", "c", "-o", custom.string(), "--from", "pgarc_no_such_schema"});
  BOOST_TEST_REQUIRE(converting.succeeded(), converting.describe());
  for (const auto& [archive, mode] : std::vector<std::pair<fs::path, std::string>>{
           {directory, "parallel"}, {tar, "serial"}, {custom, "parallel"}}) {
    const std::string restored = fixture.new_plain_database("converted");
    const restore_result result = cluster.restore(archive, restored, restore_options(mode));
    BOOST_TEST(result.error_count == 0, result.messages);
    BOOST_TEST(result.exit_status == 0);
    const std::string difference = cluster.database_difference(app_fixture::source_database, restored, {});
    BOOST_TEST(difference.empty(), archive.filename().string() + ": " + difference);
    cluster.drop_database(restored);
  }

  const fs::path refused = fixture.work_file("converted.gzip.dump");
  const process_result gzip = fixture.retarget(
      {fixture.archive("dir_inserts").path.string(), "-F", "c", "-o", refused.string(), "--from", "pgarc_no_such_schema"});
  BOOST_TEST(!gzip.succeeded());
  BOOST_TEST(gzip.err.find("gzip-compressed") != std::string::npos, gzip.describe());
  BOOST_TEST(!fs::exists(refused));
}

// lz4 and zstd (pg_dump 16 and later): a directory archive dumped by two
// workers converts to a custom archive without decompressing, and that
// restores the source database with -j 2. pg_dump 15 has neither method,
// which is checked instead.
BOOST_DATA_TEST_CASE(lz4_and_zstd_directory_archives_convert_and_restore,
                     data::make(std::vector<std::string>{"lz4", "zstd"}), method) {
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const fs::path directory = fixture.work_file("app." + method + ".dir");
  const int version = std::stoi(cluster.query_value("postgres", "SHOW server_version_num"));
  if (version < 160000) {
    BOOST_CHECK_THROW(cluster.dump(app_fixture::source_database, directory, {"-Fd", "-Z", method}),
                      std::runtime_error);
    return;
  }
  cluster.dump(app_fixture::source_database, directory, {"-Fd", "-j", "2", "-Z", method});
  const fs::path custom = fixture.work_file("app." + method + ".dump");
  const process_result converting = fixture.retarget(
      {directory.string(), "-F", "c", "-o", custom.string(), "--from", "pgarc_no_such_schema", "--verify"});
  BOOST_TEST_REQUIRE(converting.succeeded(), converting.describe());
  const std::string restored = fixture.new_plain_database("converted_" + method);
  const restore_result result = cluster.restore(custom, restored, restore_options("parallel"));
  BOOST_TEST(result.error_count == 0, result.messages);
  BOOST_TEST(result.exit_status == 0);
  const std::string difference = cluster.database_difference(app_fixture::source_database, restored, {});
  BOOST_TEST(difference.empty(), difference);
  cluster.drop_database(restored);
}

BOOST_AUTO_TEST_SUITE_END()
