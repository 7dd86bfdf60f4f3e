// SPDX-License-Identifier: PostgreSQL
// One archive through the pipeline: read, retarget, write (or check), with
// every message collected so that parallel jobs do not interleave lines.
#pragma once

#include "options.hpp"

#include "pgarc/archive.hpp"
#include "pgarc/catalog.hpp"
#include "pgarc/verify.hpp"
#include "pgarc/io.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc::cli {

constexpr int exit_success = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;
constexpr int exit_would_change = 3;

struct job_result {
  int status = exit_success;
  bool changed = false;
  std::string messages; ///< lines for standard error
  std::string output;   ///< what goes to standard output before `json` (a listing)
  std::string json;     ///< the report (or error) as JSON, when asked for
  std::string summary;  ///< one line for batch mode ("moved 3 extensions ...")
};

/// Processes `input` into `output` ("-": standard output; empty: write
/// nothing, as for --check and --dry-run). Never throws pgarc::error: a
/// failure becomes status 1 and one error line naming the file.
/// `catalogs` say which objects belong to which extension, most trusted first.
job_result run_job(const std::string& input, const std::string& output, const options& parsed,
                   const std::vector<const extension_catalog*>& catalogs,
                   const std::function<void(std::uint64_t done, std::uint64_t total)>& progress = {});

/// Opens INPUT: a file, or standard input for "-". Throws io_error.
std::unique_ptr<file_source> open_input(const std::string& input);

/// The header and TOC of INPUT: a custom archive (file or "-") or a
/// directory archive (its directory or toc.dat). Throws pgarc::error.
archive read_input_toc(const std::string& input);

/// Every data stream of INPUT (any kind) checked; see verify_archive().
verify_report verify_input(const std::string& input);

/// Writes `text` to standard output, through file_sink so that a failed
/// write names its reason ("No space left on device"). Throws io_error.
void write_standard_output(std::string_view text);

/// `json` on one line (the library's JSON breaks lines only between elements).
std::string one_line(std::string json);

/// "1 problem", "3 problems".
std::string problem_count(std::size_t problems);

/// The one error line (and hint) for a failure while processing `input`.
std::string error_lines(const std::string& input, const std::exception& problem);

} // namespace pgarc::cli
