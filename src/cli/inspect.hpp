// SPDX-License-Identifier: PostgreSQL
// --list and --verify: read one archive and say what is in it, or whether
// its data is intact, without writing anything.
#pragma once

#include "job.hpp"
#include "options.hpp"

#include <string>

namespace pgarc::cli {

/// The TOC of `input` like pg_restore -l (or as JSON) in job_result::output
/// (with JSON and several inputs, one object per line naming the file).
job_result list_job(const std::string& input, const options& parsed);

/// Decompresses and checks every data block of `input`: one line per
/// problem and a verdict line in job_result::messages; status 1 if any.
job_result verify_job(const std::string& input, const options& parsed);

} // namespace pgarc::cli
