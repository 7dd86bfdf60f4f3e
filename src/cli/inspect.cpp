// SPDX-License-Identifier: PostgreSQL
// list_job and verify_job; see inspect.hpp.
#include "inspect.hpp"

#include "pgarc/directory.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/listing.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/verify.hpp"

namespace pgarc::cli {

namespace {

/// Runs `body`, turning a failure into status 1 with its error line (and,
/// with --json over several files, a JSON line naming the file).
template <typename Body>
job_result guarded(const std::string& input, const options& parsed, Body&& body) {
  job_result result;
  try {
    body(result);
  } catch (const std::bad_alloc&) {
    result.status = exit_failure;
    result.messages += "pgarc-retarget: error: \"" + input + "\": out of memory\n";
  } catch (const std::exception& problem) {
    result.status = exit_failure;
    result.messages += error_lines(input, problem);
    if (parsed.json && is_batch(parsed))
      result.json = "{\"file\": " + json_string(input) + ", \"status\": \"failed\", \"error\": " +
                    json_string(problem.what()) + "}\n";
  }
  return result;
}

} // namespace

job_result list_job(const std::string& input, const options& parsed) {
  return guarded(input, parsed, [&](job_result& result) {
    const archive contents = read_input_toc(input);
    if (!is_batch(parsed))
      result.output = parsed.json ? format_json(contents) : format_listing(contents);
    else if (parsed.json)
      result.output = "{\"file\": " + json_string(input) + ", \"archive\": " +
                      one_line(format_json(contents)) + "}\n";
    else
      // As head and tail mark each file when given several.
      result.output = (input == parsed.inputs.front() ? "" : "\n") + std::string("==> ") + input +
                      " <==\n" + format_listing(contents);
  });
}

job_result verify_job(const std::string& input, const options& parsed) {
  return guarded(input, parsed, [&](job_result& result) {
    const verify_report report = verify_input(input);
    if (parsed.json)
      result.json = is_batch(parsed) ? "{\"file\": " + json_string(input) + ", \"report\": " +
                                           one_line(format_verify_json(report)) + "}\n"
                                     : format_verify_json(report);
    const std::string name = input == "-" ? "standard input" : "\"" + input + "\"";
    for (const auto& problem : report.problems) {
      result.messages += "pgarc-retarget: problem: " + name + ": ";
      if (problem.dump_id != 0)
        result.messages += "entry " + std::to_string(problem.dump_id) + " (" + problem.desc + " " +
                           problem.tag + "): ";
      result.messages += problem.message + "\n";
    }
    if (!parsed.quiet || !report.ok())
      result.messages += "pgarc-retarget: verified " + name + ": " + std::to_string(report.data_blocks) +
                         " data blocks, " + std::to_string(report.large_objects) + " large objects, " +
                         std::to_string(report.decompressed_bytes) + " bytes decompressed: " +
                         (report.ok() ? "ok" : problem_count(report.problems.size())) +
                         "\n";
    if (!report.ok())
      result.status = exit_failure;
  });
}

} // namespace pgarc::cli
