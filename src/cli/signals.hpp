// SPDX-License-Identifier: PostgreSQL
// What pgarc-retarget does about signals: a broken pipe or an exceeded file
// size limit becomes a write error it reports, and SIGINT, SIGTERM or SIGHUP
// remove every temporary output file before the process dies of the signal.
#pragma once

#include <cstddef>
#include <string>

namespace pgarc::cli {

/// Installs the handlers; call once at the start of main(), before any thread.
void install_signal_handlers();

/// While it exists, the file named by watch() is removed if the process is
/// killed by SIGINT, SIGTERM or SIGHUP. Declare it before the file's owner,
/// so that it stops watching only after the owner has removed or renamed the
/// file. Up to max_watched files (batch jobs) are watched at once.
class remove_on_signal {
public:
  static constexpr std::size_t max_watched = 256;

  remove_on_signal() = default;
  ~remove_on_signal();
  remove_on_signal(const remove_on_signal&) = delete;
  remove_on_signal& operator=(const remove_on_signal&) = delete;

  /// Calls `create` (which makes a file and returns its owner, whose
  /// temporary_path() names it) and watches the file; a signal that arrives
  /// meanwhile takes effect once the file is watched, so no file escapes.
  template <typename Create>
  auto watch_created(Create&& create) {
    const creating scope;
    auto owner = create();
    watch(owner->temporary_path());
    return owner;
  }

  /// Watches `path`, already created (a temporary directory, whose files
  /// are removed with it).
  void watch_path(const std::string& path) { watch(path); }

private:
  /// Counts a file being created; the last one out acts on a held signal.
  struct creating {
    creating();
    ~creating();
  };
  void watch(const std::string& path);
  std::size_t m_slot = max_watched;
};

} // namespace pgarc::cli
