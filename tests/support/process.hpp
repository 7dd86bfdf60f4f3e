// SPDX-License-Identifier: PostgreSQL
// Runs a program with an argument vector (never through a shell) and collects
// its standard output, standard error and exit status. Test-only code, used by
// temp_cluster and the integration tests.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pgarc::test {

struct process_options {
  /// Written to the program's standard input, which is then closed.
  std::string input;
  /// When set, standard output goes to this file, through a pipe (so the
  /// program sees a non-seekable output, like `program | cat > file`).
  std::optional<std::filesystem::path> output_file;
  /// When set and the caller is root, the program runs as this OS user.
  std::optional<std::string> user;
  /// Environment changes: a value sets the variable, nullopt removes it.
  std::vector<std::pair<std::string, std::optional<std::string>>> environment;
};

struct process_result {
  std::vector<std::string> argv;
  /// The exit code, or 128 + the signal number if a signal ended it.
  int exit_status = -1;
  std::string out;
  std::string err;

  bool succeeded() const noexcept { return exit_status == 0; }
  /// "pg_restore exited with status 1; standard error: ...", for messages.
  std::string describe() const;
};

/// Runs argv[0] (a path, or a name looked up in PATH) and waits for it.
/// Throws std::runtime_error if the program cannot be started at all,
/// naming it and the reason ("could not run \"/x/initdb\": No such file or directory").
process_result run_process(const std::vector<std::string>& argv, const process_options& options = {});

/// Like run_process, but a non-zero exit status is a std::runtime_error
/// carrying describe().
process_result run_checked(const std::vector<std::string>& argv, const process_options& options = {});

/// Whether this process runs as root (then PostgreSQL's server programs must
/// run as another user).
bool running_as_root() noexcept;

} // namespace pgarc::test
