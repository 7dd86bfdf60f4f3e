// SPDX-License-Identifier: PostgreSQL
// pgarc-retarget --target; see preflight_command.hpp.
#include "preflight_command.hpp"

#include "job.hpp"
#include "preflight_words.hpp"

#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/preflight.hpp"
#include "pgarc/reader.hpp"

#include <iostream>
#include <unistd.h>

namespace pgarc::cli {

int run_preflight(const options& parsed) {
  const std::string& input = parsed.inputs.front();
  const auto source = input == "-" ? file_source::from_descriptor(STDIN_FILENO, "standard input")
                                   : file_source::open(input);
  const archive contents = read_archive_toc(*source);

  preflight_options how;
  how.retarget.from_schema = parsed.from_schema;
  how.retarget.to_schema = parsed.to_schema;
  how.retarget.extensions = parsed.extensions;
  how.retarget.excluded_extensions = parsed.excluded_extensions;
  how.retarget.add_search_path = parsed.search_path;
  how.retargeted = parsed.retargeting_asked;
  const preflight_report report = preflight(contents, *parsed.target, how);

  preflight_json_words words;
  for (const auto& finding : report.findings)
    words.messages.push_back(describe(finding, report));
  words.suggestion_options = suggested_options(report.suggestion);
  if (parsed.json) {
    std::cout << format_preflight_json(report, words);
    std::cout.flush();
    if (!std::cout)
      throw io_error("could not write the report to standard output");
  }
  std::size_t problems = 0;
  std::size_t warnings = 0;
  for (std::size_t index = 0; index < report.findings.size(); ++index) {
    const preflight_severity severity = report.findings[index].severity;
    problems += severity == preflight_severity::problem;
    warnings += severity == preflight_severity::warning;
    if (severity != preflight_severity::ok || !parsed.quiet)
      std::cerr << "pgarc-retarget: " << to_string(severity) << ": " << words.messages[index] << "\n";
  }
  if (!parsed.quiet) {
    const std::string name = input == "-" ? "standard input" : "\"" + input + "\"";
    const std::string judged = report.plan.retargeted
                                   ? " retargeted from " + parsed.from_schema + " to " + parsed.to_schema
                                   : " as given";
    std::cerr << "pgarc-retarget: " << name << judged << " into database \"" << report.target.database
              << "\": " << (report.expected_to_restore() ? "expected to restore" : "not expected to restore")
              << " (" << problems << (problems == 1 ? " problem, " : " problems, ") << warnings
              << (warnings == 1 ? " warning)" : " warnings)") << "\n";
  }
  return report.expected_to_restore() ? exit_success : exit_failure;
}

} // namespace pgarc::cli
