// SPDX-License-Identifier: PostgreSQL
// Signal handling of pgarc-retarget; see signals.hpp. The handler may only
// make async-signal-safe calls (unlink, sigaction, pthread_sigmask, raise) and
// touch lock-free atomics, so watched paths live in static buffers.
//
// Between creating a temporary file and watching it there is a moment when a
// signal would leave the file behind. A file being created is counted; the
// handler records the signal and, if a file is being created anywhere (batch
// mode creates them on several threads), returns and lets the last creator
// act on it as soon as its file is watched. The handler stores the signal
// before it reads the count and a creator lowers the count before it reads
// the signal, so at least one of them sees the other.
#include "signals.hpp"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <sys/syscall.h>
#include <climits>
#include <csignal>
#include <cstring>
#include <pthread.h>
#include <unistd.h>

namespace pgarc::cli {

namespace {

// SIGBUS: a mapped input file that another process truncates while we read it.
constexpr int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGBUS};

struct watched_file {
  std::atomic<bool> taken{false};
  std::atomic<bool> armed{false};
  char path[PATH_MAX]{};
};
// Constant-initialized, so it lies in .bss untouched: a megabyte that a
// dynamic initializer would fault in at every start.
constinit watched_file watched[remove_on_signal::max_watched];
std::atomic<int> files_being_created{0};
std::atomic<int> held_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the signal handler may only use lock-free atomics");

/// Removes a watched path: a file, or a temporary directory archive (flat:
/// its files, then itself), with system calls only.
void remove_watched(const char* path) {
  if (::unlink(path) == 0 || errno != EISDIR)
    return;
  const int directory = ::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    alignas(8) char entries[4096];
    long got = 0;
    while ((got = ::syscall(SYS_getdents64, directory, entries, sizeof entries)) > 0) {
      for (long at = 0; at < got;) {
        // struct linux_dirent64: inode (8), offset (8), record length (2), type (1), name
        unsigned short length = 0;
        std::memcpy(&length, entries + at + 16, sizeof length);
        const char* name = entries + at + 19;
        if (std::strcmp(name, ".") != 0 && std::strcmp(name, "..") != 0)
          ::unlinkat(directory, name, 0);
        at += length;
      }
    }
    ::close(directory);
  }
  ::rmdir(path);
}

/// Removes every watched file and ends the process with `number`.
void remove_all_and_die(int number) {
  for (auto& file : watched)
    if (file.armed.load())
      remove_watched(file.path);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  ::sigaction(number, &default_action, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, number);
  ::pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  ::raise(number);
}

extern "C" void on_fatal_signal(int number) {
  held_signal.store(number);
  if (files_being_created.load() == 0)
    remove_all_and_die(number);
}

} // namespace

void install_signal_handlers() {
  // A closed pipe or a file size limit must be write errors we report (and
  // clean up after), not a silent death.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  for (int number : fatal_signals) {
    struct sigaction previous {};
    ::sigaction(number, nullptr, &previous);
    if (previous.sa_handler == SIG_IGN)
      continue; // e.g. SIGINT in a background job: stay deaf to it
    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(number, &action, nullptr);
  }
}

remove_on_signal::creating::creating() { files_being_created.fetch_add(1); }

remove_on_signal::creating::~creating() {
  if (files_being_created.fetch_sub(1) == 1)
    if (const int number = held_signal.load())
      remove_all_and_die(number);
}

remove_on_signal::~remove_on_signal() {
  if (m_slot == max_watched)
    return;
  watched[m_slot].armed.store(false);
  watched[m_slot].taken.store(false);
}

void remove_on_signal::watch(const std::string& path) {
  if (path.empty() || path.size() >= sizeof watched[0].path)
    return;
  for (std::size_t slot = 0; slot < max_watched; ++slot) {
    bool expected = false;
    if (watched[slot].taken.compare_exchange_strong(expected, true)) {
      std::memcpy(watched[slot].path, path.c_str(), path.size() + 1);
      watched[slot].armed.store(true);
      m_slot = slot;
      return;
    }
  }
}

} // namespace pgarc::cli
