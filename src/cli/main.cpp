// SPDX-License-Identifier: PostgreSQL
// pgarc-retarget: turns options into library calls (through job.cpp and
// batch.cpp), and failures into messages and exit statuses.
#include "batch.hpp"
#include "job.hpp"
#include "options.hpp"
#include "preflight_command.hpp"
#include "progress.hpp"
#include "signals.hpp"

#include "pgarc/catalog.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/listing.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/verify.hpp"
#include "pgarc/version.hpp"

#include <iostream>
#include <unistd.h>

namespace {

using namespace pgarc::cli;

constexpr const char* program = "pgarc-retarget";

std::unique_ptr<pgarc::file_source> open_input(const std::string& input) {
  if (input == "-")
    return pgarc::file_source::from_descriptor(STDIN_FILENO, "standard input");
  return pgarc::file_source::open(input);
}

/// --list: the TOC like pg_restore -l, or as JSON.
int list(const options& parsed) {
  auto source = open_input(parsed.inputs.front());
  const pgarc::archive contents = pgarc::read_archive_toc(*source);
  // Through file_sink, so that a failed write names its reason.
  const std::string text = parsed.json ? pgarc::format_json(contents) : pgarc::format_listing(contents);
  auto out = pgarc::file_sink::from_descriptor(STDOUT_FILENO, "standard output");
  out->write(std::as_bytes(std::span(text.data(), text.size())));
  out->commit();
  return exit_success;
}

/// --verify without -o: checks every data block; exit 0 only when all is well.
int verify(const options& parsed) {
  auto source = open_input(parsed.inputs.front());
  pgarc::archive_reader reader(*source);
  const pgarc::verify_report report = pgarc::verify_archive(reader);
  if (parsed.json) {
    std::cout << pgarc::format_verify_json(report);
    std::cout.flush();
  }
  const std::string name =
      source->name() == "standard input" ? source->name() : "\"" + source->name() + "\"";
  for (const auto& problem : report.problems) {
    std::cerr << program << ": problem: " << name << ": ";
    if (problem.dump_id != 0)
      std::cerr << "entry " << problem.dump_id << " (" << problem.desc << " " << problem.tag << "): ";
    std::cerr << problem.message << "\n";
  }
  if (!parsed.quiet || !report.ok())
    std::cerr << program << ": verified " << name << ": " << report.data_blocks << " data blocks, "
              << report.large_objects << " large objects, " << report.decompressed_bytes
              << " bytes decompressed: "
              << (report.ok() ? "ok" : std::to_string(report.problems.size()) + " problems") << "\n";
  return report.ok() ? exit_success : exit_failure;
}

/// One archive: retarget and write (or check, or dry run).
int single(const options& parsed, const std::vector<const pgarc::extension_catalog*>& catalogs) {
  progress_line progress(!parsed.quiet && ((parsed.output && *parsed.output != "-") || parsed.in_place));
  const job_result result = run_job(
      parsed.inputs.front(), parsed.output.value_or(""), parsed, catalogs,
      [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); });
  std::cerr << result.messages;
  std::cout << result.json;
  std::cout.flush();
  if (!std::cout)
    throw pgarc::io_error("could not write the report to standard output");
  return result.status;
}

int run(const options& parsed) {
  if (parsed.target)
    return run_preflight(parsed);
  if (parsed.list)
    return list(parsed);
  if (parsed.verify && !parsed.output)
    return verify(parsed);
  // A live catalog, read once, is trusted before the built-in one.
  std::unique_ptr<pgarc::extension_catalog> live;
  if (parsed.catalog_from)
    live = pgarc::read_live_extension_catalog(*parsed.catalog_from);
  std::vector<const pgarc::extension_catalog*> catalogs;
  if (live)
    catalogs.push_back(live.get());
  catalogs.push_back(&pgarc::builtin_extension_catalog());
  if (is_batch(parsed))
    return run_batch(parsed, catalogs);
  return single(parsed, catalogs);
}

} // namespace

int main(int argc, char* argv[]) {
  install_signal_handlers();
  options parsed;
  try {
    parsed = parse_options(argc, argv);
    if (parsed.help) {
      std::cout << help_text();
      return exit_success;
    }
    if (parsed.version) {
      std::cout << program << " (pgarc) " << pgarc::version_string << "\n";
      return exit_success;
    }
    return run(parsed);
  } catch (const usage_error& problem) {
    std::cerr << program << ": error: " << problem.what() << "\n"
              << program << ": hint: Try \"" << program << " --help\" for more information.\n";
    return exit_usage;
  } catch (const pgarc::error& problem) {
    std::cerr << error_lines(parsed.inputs.empty() ? "-" : parsed.inputs.front(), problem);
  } catch (const std::bad_alloc&) {
    std::cerr << program << ": error: out of memory\n";
  } catch (const std::exception& problem) {
    std::cerr << program << ": error: " << problem.what() << "\n";
  }
  return exit_failure;
}
