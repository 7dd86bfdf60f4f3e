// SPDX-License-Identifier: PostgreSQL
// Adding a problem to a verify_report: shared by the verifiers of the three
// formats (verify.cpp, directory_verify.cpp, tar_verify.cpp).
#pragma once

#include "pgarc/verify.hpp"

#include <string>

namespace pgarc::detail {

/// Adds `message` about `entry` (nullptr: the archive as a whole), found at `offset`.
inline void add_problem(verify_report& report, const toc_entry* entry, std::uint64_t offset, std::string message) {
  verify_problem found;
  if (entry) {
    found.dump_id = entry->dump_id;
    found.desc = entry->desc_text();
    found.tag = entry->tag_text();
  }
  found.offset = offset;
  found.message = std::move(message);
  report.problems.push_back(std::move(found));
}

} // namespace pgarc::detail
