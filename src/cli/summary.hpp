// SPDX-License-Identifier: PostgreSQL
// The human-readable summary of a retarget report, printed on standard error.
#pragma once

#include "pgarc/retarget.hpp"

#include <string>

namespace pgarc::cli {

/// Lines "pgarc-retarget: ..." saying what moved and what was rewritten,
/// and "pgarc-retarget: warning: ..." lines; `quiet` keeps only warnings.
std::string format_summary(const retarget_report& report, bool dry_run, bool quiet);

} // namespace pgarc::cli
