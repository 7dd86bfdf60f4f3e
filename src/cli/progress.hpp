// SPDX-License-Identifier: PostgreSQL
// A progress line on standard error while one large archive is written,
// shown only when standard error is a terminal.
#pragma once

#include <chrono>
#include <cstdint>

namespace pgarc::cli {

class progress_line {
public:
  /// Active only when `wanted` and standard error is a terminal.
  explicit progress_line(bool wanted);
  ~progress_line();
  /// Redraws at most a few times a second.
  void update(std::uint64_t done, std::uint64_t total);

private:
  bool m_active;
  bool m_drawn = false;
  std::chrono::steady_clock::time_point m_last{};
};

} // namespace pgarc::cli
