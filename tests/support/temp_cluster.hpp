// SPDX-License-Identifier: PostgreSQL
// A throwaway PostgreSQL cluster for integration tests: initdb in a fresh
// temporary folder, a Unix socket in that folder and no TCP, and helpers that
// run psql, pg_dump and pg_restore against it. Test-only code.
#pragma once

#include "dump_text.hpp"
#include "process.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc::test {

/// What a pg_restore run reported.
struct restore_result {
  int exit_status = -1;
  /// The number of errors pg_restore reports: N from "pg_restore: warning:
  /// errors ignored on restore: N", or else the number of "pg_restore: error:" lines.
  int error_count = 0;
  /// pg_restore's standard error, whole.
  std::string messages;

  /// The "pg_restore: error: ..." lines.
  std::vector<std::string> errors() const;
  /// Whether some "pg_restore: error:" line contains `text`.
  bool has_error(std::string_view text) const;
};

/// Builds a restore_result from pg_restore's exit status and standard error.
restore_result read_restore_messages(int exit_status, std::string messages);

/// What temp_cluster::database_difference compares.
struct comparison_options {
  bool schema = true; ///< pg_dump --schema-only of both
  bool data = true;   ///< pg_dump --data-only of both
  /// Objects left out on both sides (see dumped_object).
  std::vector<dumped_object> excluded;
};

class cluster_guard;

class temp_cluster {
public:
  /// Checks that `bindir` holds the PostgreSQL programs the tests use, then
  /// runs initdb in a new folder under the system's temporary directory and
  /// starts the server there (Unix socket in that folder, listen_addresses
  /// empty). When running as root, the server programs run as OS user
  /// "postgres", who then owns the folder. The bootstrap superuser is
  /// "postgres" with trust authentication. Throws std::runtime_error with the
  /// reason (a missing program is named with its path).
  explicit temp_cluster(const std::filesystem::path& bindir);
  temp_cluster(const temp_cluster&) = delete;
  temp_cluster& operator=(const temp_cluster&) = delete;
  /// Stops the server (immediate mode) and removes the folder. A helper
  /// process started with the cluster does this, so it also happens when the
  /// test process dies without running destructors.
  ~temp_cluster();

  /// The temporary folder; the socket is here.
  const std::filesystem::path& root() const noexcept { return m_root; }
  /// A folder for the test's own files, removed with the cluster.
  const std::filesystem::path& work_dir() const noexcept { return m_work_dir; }
  int port() const noexcept { return m_port; }
  /// The superuser the helpers connect as.
  static constexpr std::string_view superuser = "postgres";
  /// The path of a program in the PostgreSQL bin directory.
  std::filesystem::path program(std::string_view name) const;

  /// Runs a PostgreSQL client program with the cluster's connection settings
  /// (PGHOST, PGPORT, PGUSER) and a C.UTF-8 locale; other PG* variables of the
  /// caller's environment are removed. Does not check the exit status.
  process_result run_client(std::string_view name, std::vector<std::string> args,
                            process_options options = {}) const;
  /// The same with a program given by its path (a newer pg_restore, say).
  process_result run_program(const std::filesystem::path& program_path, std::vector<std::string> args,
                             process_options options = {}) const;

  void create_database(const std::string& name, const std::string& template_name = "template0");
  /// A new database loaded from an SQL file or text (psql, stopping at the first error).
  void create_database_from_file(const std::string& name, const std::filesystem::path& sql_file);
  void create_database_from_sql(const std::string& name, const std::string& sql);
  void drop_database(const std::string& name);

  /// Runs SQL with psql, stopping at the first error; an error is a
  /// std::runtime_error that quotes psql's message.
  void run_sql(const std::string& database, const std::string& sql);
  void run_sql_file(const std::string& database, const std::filesystem::path& sql_file);
  /// Runs SQL with psql and returns how it went, without throwing on SQL errors.
  process_result try_sql(const std::string& database, const std::string& sql);
  /// The rows of one query, each a vector of column values (NULL reads as "").
  std::vector<std::vector<std::string>> query(const std::string& database, const std::string& sql);
  /// The only value of a query that returns one row with one column.
  std::string query_value(const std::string& database, const std::string& sql);

  /// pg_dump `options` of `database` to `archive` (pg_dump -f).
  void dump(const std::string& database, const std::filesystem::path& archive,
            const std::vector<std::string>& options);
  /// pg_dump `options` of `database` to standard output, copied into `archive`:
  /// the pipe means the archive has no data offsets.
  void dump_piped(const std::string& database, const std::filesystem::path& archive,
                  const std::vector<std::string>& options);
  /// Plain-text pg_dump output of `database`.
  std::string dump_text(const std::string& database, const std::vector<std::string>& options);
  /// pg_restore `options` (for example {"-j", "2"}) of `archive` into
  /// `database`, with the cluster's own pg_restore or the one at `pg_restore`.
  restore_result restore(const std::filesystem::path& archive, const std::string& database,
                         const std::vector<std::string>& options = {},
                         const std::filesystem::path& pg_restore = {});

  /// An empty string if the normalised pg_dump --schema-only and --data-only
  /// texts of both databases agree; otherwise a report of the differences.
  std::string database_difference(const std::string& left, const std::string& right,
                                  const comparison_options& options = {});

private:
  std::filesystem::path m_bindir;
  std::filesystem::path m_root;
  std::filesystem::path m_work_dir;
  int m_port = 0;
  std::unique_ptr<cluster_guard> m_guard;
};

} // namespace pgarc::test
