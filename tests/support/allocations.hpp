// SPDX-License-Identifier: PostgreSQL
// Watches heap allocations made through operator new, to show that a hostile
// length is not allocated up front. allocations.cpp replaces the global
// operator new of the unit test executable. Test-only code.
#pragma once

#include <cstddef>

namespace pgarc::test {

/// Records the largest single allocation made while it exists (one at a time).
class allocation_watch {
public:
  allocation_watch();
  ~allocation_watch();
  allocation_watch(const allocation_watch&) = delete;
  allocation_watch& operator=(const allocation_watch&) = delete;
  std::size_t largest() const noexcept;
};

} // namespace pgarc::test
