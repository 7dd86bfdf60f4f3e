// SPDX-License-Identifier: PostgreSQL
// Several archives at once (--output-dir, --in-place, --check, --dry-run,
// --list or --verify over many inputs), on up to --jobs threads: each file's
// result in input order, and a total.
#pragma once

#include "job.hpp"
#include "options.hpp"

#include <functional>
#include <string>

namespace pgarc::cli {

/// What is done to one input.
using batch_job = std::function<job_result(const std::string& input)>;

/// How the total line counts successful results: job_result::changed ones,
/// and the others. An empty word leaves that count out.
struct batch_words {
  std::string changed;
  std::string unchanged;
};

/// Runs `job` on every input; a failure on one does not stop the others.
/// Prints each result's messages (standard error) and output (standard
/// output) in input order, a line "INPUT: SUMMARY" for each successful job
/// with a summary, and a total. Returns 1 if any failed, else 3 if --check
/// found one that would change, else 0.
int run_batch(const options& parsed, const batch_job& job, const batch_words& words);

/// Creates --output-dir if it does not exist (one level, as pg_dump -Fd
/// does); true when it was created. Throws pgarc::io_error when it cannot be
/// made or is not a directory.
bool prepare_output_dir(const std::string& directory);

/// Where --output-dir puts the new version of `input`; empty without it.
std::string output_path(const options& parsed, const std::string& input);

} // namespace pgarc::cli
