// SPDX-License-Identifier: PostgreSQL
// The human-readable summary of a retarget report, printed on standard error.
#pragma once

#include "pgarc/retarget.hpp"

#include <string>
#include <vector>

namespace pgarc::cli {

/// What became of the archive the report is about.
enum class outcome {
  dry_run,   ///< nothing written (--dry-run, --check)
  written,   ///< a new archive written
  left_as_is ///< --in-place with nothing to change: the file was not touched
};

/// Lines "pgarc-retarget: ..." saying what moved and what was rewritten,
/// and "pgarc-retarget: warning: ..." lines; `quiet` keeps only warnings.
std::string format_summary(const retarget_report& report, outcome what, bool quiet);

/// One line, lowercase start, what `warning` of `report` means and what to
/// do about it.
std::string describe(const retarget_warning& warning, const retarget_report& report);

/// describe() of each of report.warnings, in order (for the JSON report).
std::vector<std::string> warning_messages(const retarget_report& report);

/// The extensions an archive creates, grouped by schema ("btree_gist, citext
/// in heroku_ext; plpgsql in pg_catalog"); pg_catalog's only when
/// `with_pg_catalog`. Empty when there are none.
std::string describe_extensions(const retarget_report& report, bool with_pg_catalog);

} // namespace pgarc::cli
