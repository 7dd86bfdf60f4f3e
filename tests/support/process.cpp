// SPDX-License-Identifier: PostgreSQL
// fork/exec with pipes for the three standard streams; see process.hpp.
// The test executables are single-threaded, so the child may allocate
// between fork and exec (initgroups, setenv).
#include "process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pgarc::test {

namespace {

[[noreturn]] void throw_system_error(const std::string& what, int error_number) {
  throw std::runtime_error(what + ": " + std::strerror(error_number));
}

/// A file descriptor closed on destruction.
class descriptor {
public:
  descriptor() = default;
  explicit descriptor(int fd) : m_fd(fd) {}
  descriptor(const descriptor&) = delete;
  descriptor& operator=(const descriptor&) = delete;
  ~descriptor() { reset(); }
  int get() const noexcept { return m_fd; }
  bool is_open() const noexcept { return m_fd >= 0; }
  void adopt(int fd) noexcept {
    reset();
    m_fd = fd;
  }
  void reset() noexcept {
    if (m_fd >= 0)
      ::close(m_fd);
    m_fd = -1;
  }

private:
  int m_fd = -1;
};

struct pipe_ends {
  descriptor read;
  descriptor write;
};

void open_pipe(pipe_ends& ends) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw_system_error("could not create a pipe", errno);
  ends.read.adopt(fds[0]);
  ends.write.adopt(fds[1]);
}

struct os_user {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
  std::string home;
};

os_user look_up_user(const std::string& name) {
  std::vector<char> buffer(16384);
  passwd entry {};
  passwd* found = nullptr;
  const int status = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (status != 0)
    throw_system_error("could not look up OS user \"" + name + "\"", status);
  if (found == nullptr)
    throw std::runtime_error("OS user \"" + name +
                             "\" does not exist; PostgreSQL's server refuses to run as root, "
                             "so the tests run it as that user");
  return {found->pw_uid, found->pw_gid, found->pw_name, found->pw_dir};
}

std::string program_name(const std::vector<std::string>& argv) {
  return argv.empty() ? std::string("(nothing)") : std::filesystem::path(argv.front()).filename().string();
}

/// Reports a failure of the child through `error_pipe` as an errno value.
[[noreturn]] void fail_child(int error_pipe, int error_number) {
  [[maybe_unused]] auto ignored = ::write(error_pipe, &error_number, sizeof error_number);
  ::_exit(127);
}

/// Runs in the child between fork and exec; never returns.
[[noreturn]] void exec_child(const std::vector<char*>& args, const process_options& options,
                             const std::optional<os_user>& user, int stdin_fd, int stdout_fd,
                             int stderr_fd, int error_pipe) {
  auto fail = [error_pipe](int error_number) { fail_child(error_pipe, error_number); };
  if (::dup2(stdin_fd, STDIN_FILENO) < 0 || ::dup2(stdout_fd, STDOUT_FILENO) < 0 ||
      ::dup2(stderr_fd, STDERR_FILENO) < 0)
    fail(errno);
  std::signal(SIGPIPE, SIG_DFL);
  for (const auto& [name, value] : options.environment) {
    if (value)
      ::setenv(name.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
  if (user) {
    if (::initgroups(user->name.c_str(), user->gid) != 0 || ::setgid(user->gid) != 0 ||
        ::setuid(user->uid) != 0)
      fail(errno);
    ::setenv("HOME", user->home.c_str(), 1);
    ::setenv("USER", user->name.c_str(), 1);
    ::setenv("LOGNAME", user->name.c_str(), 1);
  }
  ::execvp(args.front(), args.data());
  fail_child(error_pipe, errno);
}

} // namespace

bool running_as_root() noexcept { return ::geteuid() == 0; }

std::string process_result::describe() const {
  constexpr std::size_t shown = 8000;
  std::string text = program_name(argv) + " exited with status " + std::to_string(exit_status);
  if (!err.empty()) {
    text += "; standard error:\n";
    text += err.size() > shown ? err.substr(0, shown) + "\n[... " + std::to_string(err.size() - shown) +
                                     " more bytes]"
                               : err;
  }
  return text;
}

process_result run_process(const std::vector<std::string>& argv, const process_options& options) {
  if (argv.empty())
    throw std::invalid_argument("run_process: empty argument vector");
  static const bool sigpipe_ignored = [] {
    // Writing to a program that has already exited must give EPIPE, not kill us.
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)sigpipe_ignored;

  std::optional<os_user> user;
  if (options.user && running_as_root())
    user = look_up_user(*options.user);

  std::vector<std::string> arg_storage = argv;
  std::vector<char*> args;
  for (auto& arg : arg_storage)
    args.push_back(arg.data());
  args.push_back(nullptr);

  std::ofstream output_file;
  if (options.output_file) {
    output_file.open(*options.output_file, std::ios::binary | std::ios::trunc);
    if (!output_file)
      throw std::runtime_error("could not create \"" + options.output_file->string() + "\"");
  }

  pipe_ends in, out, err, exec_error;
  open_pipe(in);
  open_pipe(out);
  open_pipe(err);
  open_pipe(exec_error);

  const pid_t child = ::fork();
  if (child < 0)
    throw_system_error("could not start \"" + argv.front() + "\"", errno);
  if (child == 0)
    exec_child(args, options, user, in.read.get(), out.write.get(), err.write.get(), exec_error.write.get());

  in.read.reset();
  out.write.reset();
  err.write.reset();
  exec_error.write.reset();

  process_result result;
  result.argv = argv;

  int exec_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(exec_error.read.get(), &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    int status = 0;
    ::waitpid(child, &status, 0);
    throw_system_error("could not run \"" + argv.front() + "\"", exec_errno);
  }

  std::size_t written = 0;
  if (options.input.empty())
    in.write.reset();
  char buffer[65536];
  while (out.read.is_open() || err.read.is_open()) {
    pollfd watched[3];
    nfds_t count = 0;
    descriptor* sources[3] = {};
    auto watch = [&](descriptor& fd, short events) {
      if (fd.is_open()) {
        watched[count] = {fd.get(), events, 0};
        sources[count] = &fd;
        ++count;
      }
    };
    watch(out.read, POLLIN);
    watch(err.read, POLLIN);
    watch(in.write, POLLOUT);
    if (::poll(watched, count, -1) < 0) {
      if (errno == EINTR)
        continue;
      throw_system_error("poll failed while running \"" + argv.front() + "\"", errno);
    }
    for (nfds_t index = 0; index < count; ++index) {
      if (watched[index].revents == 0)
        continue;
      descriptor& fd = *sources[index];
      if (&fd == &in.write) {
        const ssize_t sent = ::write(fd.get(), options.input.data() + written, options.input.size() - written);
        if (sent < 0 && errno != EINTR && errno != EAGAIN)
          fd.reset(); // EPIPE: the program stopped reading
        else if (sent > 0 && (written += static_cast<std::size_t>(sent)) == options.input.size())
          fd.reset();
        continue;
      }
      const ssize_t received = ::read(fd.get(), buffer, sizeof buffer);
      if (received < 0 && errno == EINTR)
        continue;
      if (received <= 0) {
        fd.reset();
        continue;
      }
      const auto size = static_cast<std::size_t>(received);
      if (&fd == &err.read)
        result.err.append(buffer, size);
      else if (output_file.is_open())
        output_file.write(buffer, static_cast<std::streamsize>(size));
      else
        result.out.append(buffer, size);
    }
  }
  in.write.reset();

  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR)
      throw_system_error("could not wait for \"" + argv.front() + "\"", errno);
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (output_file.is_open()) {
    output_file.close();
    if (!output_file)
      throw std::runtime_error("could not write \"" + options.output_file->string() + "\"");
  }
  return result;
}

process_result run_checked(const std::vector<std::string>& argv, const process_options& options) {
  process_result result = run_process(argv, options);
  if (!result.succeeded())
    throw std::runtime_error(result.describe());
  return result;
}

} // namespace pgarc::test
