// SPDX-License-Identifier: PostgreSQL
// The words of a preflight report (pgarc-retarget --target): one sentence per
// finding, and the suggestion as this tool's options. The library gives codes
// and names; every sentence is written here.
#pragma once

#include "pgarc/preflight.hpp"

#include <string>

namespace pgarc::cli {

/// One line, lowercase start, no final period: what `finding` of `report`
/// says ("schema \"heroku_ext\" exists (owner \"heroku_admin\"); ...").
std::string describe(const preflight_finding& finding, const preflight_report& report);

/// The suggestion as options: "--to heroku_ext", "--from heroku_ext --to
/// public"; "" when the archive's schema is kept.
std::string suggested_options(const preflight_suggestion& suggestion);

/// A release as people write it: 150000 -> "15", 100003 -> "10.3",
/// 90600 -> "9.6", 80400 -> "8.4".
std::string release_text(int server_version_num);

} // namespace pgarc::cli
