// SPDX-License-Identifier: PostgreSQL
// Starts, uses and removes a throwaway PostgreSQL cluster; see
// temp_cluster.hpp. The cleanup runs in a separate "guard" process so that a
// test process that crashes, aborts or is killed by meson's timeout still
// leaves no server and no folder behind.
#include "temp_cluster.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pgarc::test {

namespace {

namespace fs = std::filesystem;

/// The OS user that runs the server programs when the tests run as root.
constexpr const char* server_os_user = "postgres";

/// Every program temp_cluster runs; checked before anything starts.
constexpr std::string_view required_programs[] = {
    "initdb", "pg_ctl", "postgres", "psql", "pg_dump", "pg_restore", "createdb", "dropdb"};

[[noreturn]] void throw_system_error(const std::string& what, int error_number) {
  throw std::runtime_error(what + ": " + std::strerror(error_number));
}

/// The caller's environment without anything that could point the programs
/// elsewhere (PG* variables) or change the language of their messages.
std::vector<std::pair<std::string, std::optional<std::string>>> clean_environment() {
  std::vector<std::pair<std::string, std::optional<std::string>>> changes;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const std::string name(variable.substr(0, variable.find('=')));
    if (name.starts_with("PG") || name.starts_with("LC_") || name == "LANG" || name == "LANGUAGE")
      changes.emplace_back(name, std::nullopt);
  }
  changes.emplace_back("LC_ALL", "C.UTF-8");
  return changes;
}

process_options server_options() {
  process_options options;
  options.user = server_os_user;
  options.environment = clean_environment();
  return options;
}

/// A string literal for postgresql.conf.
std::string config_literal(const std::string& value) {
  std::string quoted = "'";
  for (char character : value) {
    if (character == '\'' || character == '\\')
      quoted.push_back(character);
    quoted.push_back(character);
  }
  return quoted + "'";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  while (true) {
    const auto end = text.find(separator);
    parts.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos)
      return parts;
    text.remove_prefix(end + 1);
  }
}

/// Stops the server of `root` if it runs and removes `root`. Runs in the
/// guard process; nothing here may throw out.
void clean_up(const fs::path& root, const fs::path& pg_ctl) {
  const fs::path data = root / "data";
  std::error_code error;
  if (fs::exists(data / "postmaster.pid", error)) {
    try {
      const process_result stopped = run_process(
          {pg_ctl.string(), "stop", "-D", data.string(), "-m", "immediate", "-w", "-s"}, server_options());
      if (!stopped.succeeded())
        std::cerr << "temp_cluster: could not stop the server in \"" << data.string()
                  << "\": " << stopped.describe() << "\n";
    } catch (const std::exception& problem) {
      std::cerr << "temp_cluster: could not stop the server in \"" << data.string() << "\": " << problem.what()
                << "\n";
    }
  }
  if (const char* keep = std::getenv("PGARC_KEEP_TEMP"); keep != nullptr && *keep != '\0' && *keep != '0') {
    std::cerr << "temp_cluster: PGARC_KEEP_TEMP is set; kept \"" << root.string() << "\"\n";
    return;
  }
  fs::remove_all(root, error);
  if (error)
    std::cerr << "temp_cluster: could not remove \"" << root.string() << "\": " << error.message() << "\n";
}

int next_port() {
  static std::atomic<int> clusters {0};
  return 20000 + static_cast<int>((::getpid() * 7L + clusters++) % 40000);
}

} // namespace

// ---------------------------------------------------------------------------
// restore_result

restore_result read_restore_messages(int exit_status, std::string messages) {
  constexpr std::string_view ignored_prefix = "pg_restore: warning: errors ignored on restore: ";
  restore_result result;
  result.exit_status = exit_status;
  result.messages = std::move(messages);
  int error_lines = 0;
  int ignored = -1;
  for (const auto& line : split(result.messages, '\n')) {
    if (line.starts_with("pg_restore: error: "))
      ++error_lines;
    else if (line.starts_with(ignored_prefix))
      ignored = std::atoi(line.c_str() + ignored_prefix.size());
  }
  result.error_count = ignored >= 0 ? ignored : error_lines;
  return result;
}

std::vector<std::string> restore_result::errors() const {
  std::vector<std::string> lines;
  for (auto& line : split(messages, '\n'))
    if (line.starts_with("pg_restore: error: "))
      lines.push_back(std::move(line));
  return lines;
}

bool restore_result::has_error(std::string_view text) const {
  const auto lines = errors();
  return std::any_of(lines.begin(), lines.end(),
                     [text](const std::string& line) { return line.find(text) != std::string::npos; });
}

// ---------------------------------------------------------------------------
// cluster_guard

/// Stops the server and removes the cluster's folder when destroyed, or when
/// the process that made it dies, whichever comes first.
class cluster_guard {
public:
  cluster_guard(const fs::path& root, const fs::path& pg_ctl);
  cluster_guard(const cluster_guard&) = delete;
  cluster_guard& operator=(const cluster_guard&) = delete;
  ~cluster_guard();

private:
  pid_t m_pid = -1;
  int m_pipe = -1;
};

cluster_guard::cluster_guard(const fs::path& root, const fs::path& pg_ctl) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw_system_error("could not create a pipe", errno);
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error_number = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw_system_error("could not start the cluster's guard process", error_number);
  }
  if (pid == 0) {
    // The guard: its own session, so that signals for the test's process
    // group (Ctrl-C, meson's timeout) do not reach it; no inherited files
    // except standard error and the pipe whose end of file is its signal.
    ::setsid();
    ::close(fds[1]);
    const int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(fds[0], 3);
    ::close_range(4, ~0U, 0);
    char byte = 0;
    for (;;) {
      const ssize_t got = ::read(3, &byte, 1);
      if (got > 0 || (got < 0 && errno == EINTR))
        continue;
      break; // end of file: the test process closed the pipe or died
    }
    clean_up(root, pg_ctl);
    ::_exit(0);
  }
  ::close(fds[0]);
  m_pid = pid;
  m_pipe = fds[1];
}

cluster_guard::~cluster_guard() {
  ::close(m_pipe);
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
}

// ---------------------------------------------------------------------------
// temp_cluster

temp_cluster::temp_cluster(const fs::path& bindir) : m_bindir(bindir) {
  for (auto name : required_programs)
    program(name);

  std::string pattern = (fs::temp_directory_path() / "pgarc-cluster-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw_system_error("could not create a temporary folder from \"" + pattern + "\"", errno);
  m_root = pattern;
  m_port = next_port();
  const std::string socket_path = (m_root / (".s.PGSQL." + std::to_string(m_port))).string();
  if (socket_path.size() >= sizeof(sockaddr_un::sun_path)) {
    fs::remove(m_root);
    throw std::runtime_error("the socket path \"" + socket_path + "\" is too long for a Unix socket; set TMPDIR to a shorter folder");
  }
  if (running_as_root()) {
    const passwd* user = ::getpwnam(server_os_user);
    if (user == nullptr || ::chown(m_root.c_str(), user->pw_uid, user->pw_gid) != 0) {
      fs::remove(m_root);
      throw std::runtime_error(std::string("could not give \"") + m_root.string() + "\" to OS user \"" +
                               server_os_user + "\" (the server refuses to run as root)" +
                               (user == nullptr ? "; that user does not exist" : ""));
    }
  }
  // From here on the guard removes the folder, also if this constructor throws.
  m_guard = std::make_unique<cluster_guard>(m_root, program("pg_ctl"));
  m_work_dir = m_root / "work";
  fs::create_directory(m_work_dir);

  const fs::path data = m_root / "data";
  run_checked({program("initdb").string(), "-D", data.string(), "-U", std::string(superuser), "--auth=trust",
               "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"},
              server_options());
  {
    std::ofstream config(data / "postgresql.conf", std::ios::app);
    config << "\n# temp_cluster: a private socket, no TCP, speed over durability\n"
           << "listen_addresses = ''\n"
           << "unix_socket_directories = " << config_literal(m_root.string()) << "\n"
           << "port = " << m_port << "\n"
           << "fsync = off\n"
           << "synchronous_commit = off\n"
           << "full_page_writes = off\n"
           << "autovacuum = off\n"
           << "max_wal_size = '1GB'\n"
           // The PostgreSQL 17 and 18 of tools/install-pg-roots run the
           // root's programs from the host; JIT would load LLVM, which
           // ignores their run path and picks the host's libraries.
           << "jit = off\n";
    if (!config)
      throw std::runtime_error("could not write \"" + (data / "postgresql.conf").string() + "\"");
  }
  const fs::path log = m_root / "server.log";
  const process_result started = run_process(
      {program("pg_ctl").string(), "start", "-D", data.string(), "-l", log.string(), "-w", "-t", "60", "-s"},
      server_options());
  if (!started.succeeded())
    throw std::runtime_error("could not start the test server: " + started.describe() + "\nserver log:\n" +
                             read_file(log));
}

temp_cluster::~temp_cluster() = default;

fs::path temp_cluster::program(std::string_view name) const {
  const fs::path path = m_bindir / name;
  if (::access(path.c_str(), X_OK) != 0)
    throw std::runtime_error("PostgreSQL program \"" + path.string() +
                             "\" not found or not executable; install PostgreSQL (tools/install-deps) or "
                             "configure the build with -Dpg_bindir=DIR");
  return path;
}

process_result temp_cluster::run_client(std::string_view name, std::vector<std::string> args,
                                        process_options options) const {
  return run_program(program(name), std::move(args), std::move(options));
}

process_result temp_cluster::run_program(const fs::path& program_path, std::vector<std::string> args,
                                         process_options options) const {
  args.insert(args.begin(), program_path.string());
  auto environment = clean_environment();
  environment.emplace_back("PGHOST", m_root.string());
  environment.emplace_back("PGPORT", std::to_string(m_port));
  environment.emplace_back("PGUSER", std::string(superuser));
  environment.insert(environment.end(), options.environment.begin(), options.environment.end());
  options.environment = std::move(environment);
  return run_process(args, options);
}

void temp_cluster::create_database(const std::string& name, const std::string& template_name) {
  const process_result created = run_client("createdb", {"-T", template_name, "--", name});
  if (!created.succeeded())
    throw std::runtime_error("could not create database \"" + name + "\": " + created.describe());
}

void temp_cluster::create_database_from_file(const std::string& name, const fs::path& sql_file) {
  create_database(name);
  run_sql_file(name, sql_file);
}

void temp_cluster::create_database_from_sql(const std::string& name, const std::string& sql) {
  create_database(name);
  run_sql(name, sql);
}

void temp_cluster::drop_database(const std::string& name) {
  const process_result dropped = run_client("dropdb", {"--", name});
  if (!dropped.succeeded())
    throw std::runtime_error("could not drop database \"" + name + "\": " + dropped.describe());
}

process_result temp_cluster::try_sql(const std::string& database, const std::string& sql) {
  process_options options;
  options.input = sql;
  return run_client("psql", {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", "-"}, options);
}

void temp_cluster::run_sql(const std::string& database, const std::string& sql) {
  const process_result result = try_sql(database, sql);
  if (!result.succeeded())
    throw std::runtime_error("SQL failed in database \"" + database + "\": " + result.describe() +
                             "\nSQL was:\n" + sql.substr(0, 2000));
}

void temp_cluster::run_sql_file(const std::string& database, const fs::path& sql_file) {
  if (!fs::is_regular_file(sql_file))
    throw std::runtime_error("SQL file \"" + sql_file.string() + "\" not found");
  const process_result result =
      run_client("psql", {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", sql_file.string()});
  if (!result.succeeded())
    throw std::runtime_error("loading \"" + sql_file.string() + "\" into database \"" + database +
                             "\" failed: " + result.describe());
}

std::vector<std::vector<std::string>> temp_cluster::query(const std::string& database, const std::string& sql) {
  // Unit and record separators cannot occur in the catalog values tests read.
  const process_result result = run_client(
      "psql", {"-X", "-q", "-A", "-t", "-F", "\x1f", "-R", "\x1e", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql});
  if (!result.succeeded())
    throw std::runtime_error("query failed in database \"" + database + "\": " + result.describe() +
                             "\nquery was:\n" + sql);
  // psql prints nothing for no rows, and a newline after the last record.
  std::vector<std::vector<std::string>> rows;
  if (result.out.empty())
    return rows;
  std::string_view text = result.out;
  if (text.ends_with('\n'))
    text.remove_suffix(1);
  for (const auto& record : split(text, '\x1e'))
    rows.push_back(split(record, '\x1f'));
  return rows;
}

std::string temp_cluster::query_value(const std::string& database, const std::string& sql) {
  const auto rows = query(database, sql);
  if (rows.size() != 1 || rows.front().size() != 1)
    throw std::runtime_error("expected one value from database \"" + database + "\", got " +
                             std::to_string(rows.size()) + " rows; query was:\n" + sql);
  return rows.front().front();
}

void temp_cluster::dump(const std::string& database, const fs::path& archive,
                        const std::vector<std::string>& options) {
  std::vector<std::string> args = options;
  args.insert(args.end(), {"-f", archive.string(), "-d", database});
  const process_result result = run_client("pg_dump", args);
  if (!result.succeeded())
    throw std::runtime_error("pg_dump of \"" + database + "\" failed: " + result.describe());
}

void temp_cluster::dump_piped(const std::string& database, const fs::path& archive,
                              const std::vector<std::string>& options) {
  std::vector<std::string> args = options;
  args.insert(args.end(), {"-d", database});
  process_options output;
  output.output_file = archive;
  const process_result result = run_client("pg_dump", args, output);
  if (!result.succeeded())
    throw std::runtime_error("pg_dump of \"" + database + "\" failed: " + result.describe());
}

std::string temp_cluster::dump_text(const std::string& database, const std::vector<std::string>& options) {
  std::vector<std::string> args = options;
  args.insert(args.end(), {"-d", database});
  process_result result = run_client("pg_dump", args);
  if (!result.succeeded())
    throw std::runtime_error("pg_dump of \"" + database + "\" failed: " + result.describe());
  return std::move(result.out);
}

restore_result temp_cluster::restore(const fs::path& archive, const std::string& database,
                                     const std::vector<std::string>& options, const fs::path& pg_restore) {
  std::vector<std::string> args = {"-d", database};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(archive.string());
  process_result result = pg_restore.empty() ? run_client("pg_restore", args) : run_program(pg_restore, args);
  return read_restore_messages(result.exit_status, std::move(result.err));
}

std::string temp_cluster::database_difference(const std::string& left, const std::string& right,
                                              const comparison_options& options) {
  std::string report;
  auto compare = [&](std::string_view part, const std::string& option) {
    const std::string left_text = normalise_dump(dump_text(left, {option}), options.excluded);
    const std::string right_text = normalise_dump(dump_text(right, {option}), options.excluded);
    report += describe_difference(std::string(part) + " of " + left, left_text,
                                  std::string(part) + " of " + right, right_text);
  };
  if (options.schema)
    compare("schema", "--schema-only");
  if (options.data)
    compare("data", "--data-only");
  return report;
}

} // namespace pgarc::test
