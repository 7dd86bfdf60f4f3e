// SPDX-License-Identifier: PostgreSQL
// progress_line; see progress.hpp.
#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace pgarc::cli {

progress_line::progress_line(bool wanted) : m_active(wanted && ::isatty(STDERR_FILENO) == 1) {}

progress_line::~progress_line() {
  if (m_drawn)
    std::fputs("\r\033[K", stderr);
}

void progress_line::update(std::uint64_t done, std::uint64_t total) {
  if (!m_active)
    return;
  const auto now = std::chrono::steady_clock::now();
  if (m_drawn && now - m_last < std::chrono::milliseconds(250))
    return;
  m_last = now;
  m_drawn = true;
  const double mib = static_cast<double>(done) / 1048576.0;
  if (total > 0)
    std::fprintf(stderr, "\rpgarc-retarget: %3d%% (%.0f of %.0f MiB)\033[K",
                 static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)), mib,
                 static_cast<double>(total) / 1048576.0);
  else
    std::fprintf(stderr, "\rpgarc-retarget: %.0f MiB\033[K", mib);
  std::fflush(stderr);
}

} // namespace pgarc::cli
