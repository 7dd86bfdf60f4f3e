// SPDX-License-Identifier: PostgreSQL
// Makes the fixture databases and archives; see app_fixture.hpp. The order
// matters: roles before any database, archives before the oracle (which is a
// restore of one of them), the oracle before its capture.
#include "app_fixture.hpp"

#include "process.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace pgarc::test {

namespace {

namespace fs = std::filesystem;

app_fixture* current_fixture = nullptr;

std::string environment_value(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string required_environment(const char* name, const std::string& meaning) {
  std::string value = environment_value(name);
  if (value.empty())
    throw std::runtime_error(std::string(name) + " is not set; it names " + meaning +
                             ". Run the tests through meson test, which sets it (tests/integration/meson.build).");
  return value;
}

fs::path postgres_bindir() {
  const std::string bindir = environment_value("PGARC_PG_BINDIR");
  if (bindir.empty())
    throw std::runtime_error(
        "no PostgreSQL bin directory: PGARC_PG_BINDIR is empty because meson found no pg_config when "
        "the build was configured. Install PostgreSQL 15 (tools/install-deps) and reconfigure, or "
        "configure with -Dpg_bindir=DIR.");
  return bindir;
}

/// The major version of the suite's pg_dump ("pg_dump (PostgreSQL) 17.4"
/// gives 17); 0 when it cannot be run. Asked once, when the test cases are
/// registered.
int pg_dump_major() {
  static const int major = [] {
    try {
      const process_result version = run_process({(postgres_bindir() / "pg_dump").string(), "--version"});
      const auto at = version.out.find(") ");
      return version.exit_status == 0 && at != std::string::npos ? std::atoi(version.out.c_str() + at + 2) : 0;
    } catch (const std::exception&) {
      return 0; // the fixture reports the missing server when it starts
    }
  }();
  return major;
}

/// How each archive of the fixture database is made (by the pg_dump of the
/// suite's server), named as
/// in testdata/README.md.
std::vector<fixture_archive> archive_plan() {
  std::vector<fixture_archive> plan = {
      {"default", {"-Fc"}, false, {}},
      {"z0", {"-Fc", "-Z0"}, false, {}},
      {"piped", {"-Fc"}, true, {}},
      {"quoteall", {"-Fc", "--quote-all-identifiers"}, false, {}},
      {"inserts", {"-Fc", "--inserts"}, false, {}},
      {"schema", {"-Fc", "--schema-only"}, false, {}},
      // Directory archives (issue 15): gzip files holding INSERT statements
      // (a moved configuration table's file is rewritten), and uncompressed
      // files written by two pg_dump workers.
      {"dir_inserts", {"-Fd", "--inserts"}, false, {}},
      {"dir_j2_z0", {"-Fd", "-j", "2", "-Z0"}, false, {}},
  };
  // pg_dump 16 and later also compress with lz4 and zstd: .dat.lz4 and
  // .dat.zst files, carried over as they are.
  if (pg_dump_major() >= 16) {
    plan.push_back({"dir_lz4", {"-Fd", "-Z", "lz4"}, false, {}});
    plan.push_back({"dir_zstd", {"-Fd", "-j", "2", "-Z", "zstd"}, false, {}});
  }
  return plan;
}

class stopwatch {
public:
  explicit stopwatch(std::string what) : m_what(std::move(what)) {}
  ~stopwatch() {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - m_start);
    BOOST_TEST_MESSAGE("fixture: " << m_what << " took " << elapsed.count() << " ms");
  }

private:
  std::string m_what;
  std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

} // namespace

const std::vector<std::string>& archive_variants() {
  static const std::vector<std::string> variants = [] {
    std::vector<std::string> names;
    for (const auto& planned : archive_plan())
      names.push_back(planned.variant);
    return names;
  }();
  return variants;
}

const std::vector<std::string>& restore_modes() {
  static const std::vector<std::string> modes = {"serial", "parallel"};
  return modes;
}

std::vector<std::string> restore_options(std::string_view mode) {
  if (mode == "serial")
    return {};
  if (mode == "parallel")
    return {"-j", "2"};
  throw std::invalid_argument("unknown restore mode \"" + std::string(mode) + "\"");
}

app_fixture::app_fixture()
    : m_bindir(postgres_bindir()),
      m_fixtures(required_environment("PGARC_FIXTURES", "the folder of the SQL fixtures")),
      m_retarget(required_environment("PGARC_RETARGET", "the pgarc-retarget program")) {
  if (!fs::is_regular_file(m_retarget))
    throw std::runtime_error("pgarc-retarget not found at \"" + m_retarget.string() + "\" (PGARC_RETARGET)");
  {
    stopwatch timing("starting the cluster");
    m_cluster = std::make_unique<temp_cluster>(m_bindir);
  }
  temp_cluster& db = *m_cluster;
  {
    stopwatch timing("loading roles.sql and app.sql");
    db.run_sql_file("postgres", fixture_file("roles.sql"));
    db.create_database_from_file(source_database, fixture_file("app.sql"));
  }
  {
    stopwatch timing("dumping the archives");
    for (auto planned : archive_plan()) {
      planned.path = work_file("app." + planned.variant + ".dump");
      if (planned.piped)
        db.dump_piped(source_database, planned.path, planned.options);
      else
        db.dump(source_database, planned.path, planned.options);
      m_archives.push_back(std::move(planned));
    }
  }
  {
    stopwatch timing("making the Heroku template");
    db.create_database_from_file(heroku_template, fixture_file("heroku_rules.sql"));
  }
  {
    stopwatch timing("making the oracle");
    db.create_database(oracle_database);
    const restore_result restored = db.restore(archive("default").path, oracle_database);
    if (restored.exit_status != 0 || restored.error_count != 0)
      throw std::runtime_error("restoring the default archive into an empty database failed:\n" +
                               restored.messages);
    db.run_sql_file(oracle_database, fixture_file("heroku_schema.sql"));
    db.run_sql_file(oracle_database, fixture_file("heroku_fix.sql"));
  }
  {
    stopwatch timing("capturing the oracle like Heroku");
    const std::vector<std::string> heroku_options = {"--no-acl", "--no-owner", "--quote-all-identifiers",
                                                     "--exclude-schema=heroku_ext"};
    const auto with_format = [&](const std::string& format) {
      std::vector<std::string> options = {format};
      options.insert(options.end(), heroku_options.begin(), heroku_options.end());
      return options;
    };
    m_capture = work_file("oracle.herokucapture.dump");
    db.dump_piped(oracle_database, m_capture, with_format("-Fc"));
    m_capture_directory = work_file("oracle.herokucapture.d");
    db.dump(oracle_database, m_capture_directory, with_format("-Fd"));
    m_capture_tar = work_file("oracle.herokucapture.tar");
    db.dump(oracle_database, m_capture_tar, with_format("-Ft"));
  }
  current_fixture = this;
}

app_fixture::~app_fixture() { current_fixture = nullptr; }

app_fixture& app_fixture::instance() {
  if (current_fixture == nullptr)
    throw std::logic_error("app_fixture::instance() called outside the global fixture");
  return *current_fixture;
}

fs::path app_fixture::fixture_file(std::string_view name) const {
  const fs::path path = m_fixtures / name;
  if (!fs::is_regular_file(path))
    throw std::runtime_error("fixture file \"" + path.string() + "\" not found (PGARC_FIXTURES)");
  return path;
}

fs::path app_fixture::work_file(std::string_view name) const { return m_cluster->work_dir() / name; }

const fixture_archive& app_fixture::archive(std::string_view variant) const {
  for (const auto& made : m_archives)
    if (made.variant == variant)
      return made;
  throw std::invalid_argument("no fixture archive \"" + std::string(variant) + "\"");
}

std::string app_fixture::unique_name(std::string_view purpose) {
  return std::string(purpose) + "_" + std::to_string(++m_databases);
}

std::string app_fixture::new_plain_database(std::string_view purpose) {
  std::string name = unique_name(purpose);
  m_cluster->create_database(name);
  return name;
}

std::string app_fixture::new_heroku_database(std::string_view purpose) {
  std::string name = unique_name(purpose);
  m_cluster->create_database(name, heroku_template);
  // As on Heroku (the DATABASE PROPERTIES entry of every capture since
  // mid-2022 shows it); database settings do not come with a template.
  m_cluster->run_sql(name, "ALTER DATABASE " + name + " SET search_path = \"$user\", public, heroku_ext");
  return name;
}

std::string app_fixture::new_copy_of_source(std::string_view purpose) {
  std::string name = unique_name(purpose);
  m_cluster->create_database(name, source_database);
  return name;
}

process_result app_fixture::retarget(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {m_retarget.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

const std::vector<dumped_object>& app_fixture::heroku_simulation_objects() {
  static const std::vector<dumped_object> objects = {
      {"SCHEMA", "-", "heroku_sim"},
      {"", "heroku_sim", ""}, // the event trigger functions
      {"EVENT TRIGGER", "-", "heroku_ext_required"},
      {"EVENT TRIGGER", "-", "heroku_ext_kept_on_drop"},
      {"EVENT TRIGGER", "-", "heroku_ext_kept_on_alter"},
  };
  return objects;
}

} // namespace pgarc::test
