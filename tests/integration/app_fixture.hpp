// SPDX-License-Identifier: PostgreSQL
// The cluster, databases and archives that every integration and acceptance
// test starts from, made once per run of a test executable (a Boost.Test
// global fixture): the fixture database app.sql, its pg_dump archives, a
// template database with Heroku's rules, the oracle (Heroku's documented fix
// applied to a restore of the original) and a Heroku-style capture of the oracle.
#pragma once

#include "temp_cluster.hpp"

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc::test {

/// One archive of the fixture database, by the pg_dump of the server the suite runs on (15, 17 or 18).
struct fixture_archive {
  std::string variant;              ///< as in testdata/vectors: default, z0, piped, ...
  std::vector<std::string> options; ///< pg_dump's options
  bool piped = false;               ///< written to a pipe, so without data offsets
  std::filesystem::path path;

  bool has_data() const { return variant != "schema"; }
};

/// The archive variants in the order they are made, for BOOST_DATA_TEST_CASE.
const std::vector<std::string>& archive_variants();

/// pg_restore options per restore mode: "serial" (none) and "parallel" (-j 2).
const std::vector<std::string>& restore_modes();
std::vector<std::string> restore_options(std::string_view mode);

class app_fixture {
public:
  /// Source database (app.sql, extensions in public).
  static constexpr const char* source_database = "app";
  /// The original default archive restored into an empty database, then
  /// heroku_schema.sql and Heroku's documented fix (heroku_fix.sql).
  static constexpr const char* oracle_database = "oracle";
  /// heroku_rules.sql; new Heroku-like databases are copies of it.
  static constexpr const char* heroku_template = "heroku_template";

  /// Reads PGARC_PG_BINDIR, PGARC_FIXTURES and PGARC_RETARGET (set by
  /// tests/integration/meson.build), starts the cluster and makes everything.
  /// Any failure is a std::runtime_error that says what is missing or broke.
  app_fixture();
  app_fixture(const app_fixture&) = delete;
  app_fixture& operator=(const app_fixture&) = delete;
  ~app_fixture();

  /// The fixture of this run; only valid while the global fixture lives.
  static app_fixture& instance();

  temp_cluster& cluster() { return *m_cluster; }
  const std::filesystem::path& bindir() const { return m_bindir; }
  std::filesystem::path fixture_file(std::string_view name) const;
  /// A path in the cluster's work folder.
  std::filesystem::path work_file(std::string_view name) const;

  const std::vector<fixture_archive>& archives() const { return m_archives; }
  const fixture_archive& archive(std::string_view variant) const;
  /// The oracle dumped the way Heroku's pg:backups captured databases
  /// (testdata/README.md, variant herokucapture): extensions in
  /// heroku_ext, but no CREATE SCHEMA heroku_ext, quoted names, no offsets.
  const std::filesystem::path& heroku_capture() const { return m_capture; }
  /// The same capture written by pg_dump as a directory archive (-Fd) and
  /// as a tar archive (-Ft).
  const std::filesystem::path& heroku_capture_directory() const { return m_capture_directory; }
  const std::filesystem::path& heroku_capture_tar() const { return m_capture_tar; }

  /// A new empty database, named "<purpose>_<n>".
  std::string new_plain_database(std::string_view purpose);
  /// A new database with Heroku's rules (a copy of heroku_template) and
  /// Heroku's database search_path, "$user", public, heroku_ext.
  std::string new_heroku_database(std::string_view purpose);
  /// A new copy of the source database.
  std::string new_copy_of_source(std::string_view purpose);

  /// Runs pgarc-retarget with `args`; does not check the exit status.
  process_result retarget(const std::vector<std::string>& args) const;

  /// Everything heroku_rules.sql adds besides heroku_ext itself, to leave out
  /// when comparing a Heroku-like database with one that is not.
  static const std::vector<dumped_object>& heroku_simulation_objects();

private:
  std::string unique_name(std::string_view purpose);

  std::filesystem::path m_bindir;
  std::filesystem::path m_fixtures;
  std::filesystem::path m_retarget;
  std::unique_ptr<temp_cluster> m_cluster;
  std::vector<fixture_archive> m_archives;
  std::filesystem::path m_capture;
  std::filesystem::path m_capture_directory;
  std::filesystem::path m_capture_tar;
  int m_databases = 0;
};

} // namespace pgarc::test
