// SPDX-License-Identifier: PostgreSQL
// pgarc-retarget: turns options into library calls (through job.cpp and
// batch.cpp), and failures into messages and exit statuses.
#include "batch.hpp"
#include "inspect.hpp"
#include "job.hpp"
#include "options.hpp"
#if PGARC_WITH_LIBPQ
#include "preflight_command.hpp"
#endif
#include "progress.hpp"
#include "signals.hpp"

#include "pgarc/catalog.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/features.hpp"
#include "pgarc/version.hpp"

#include <fstream>
#include <iostream>
#include <sstream>
#include <set>
#include <unistd.h>

namespace {

using namespace pgarc::cli;

constexpr const char* program = "pgarc-retarget";

/// Prints a job's result for one archive and returns its exit status.
int print_single(const job_result& result) {
  std::cerr << result.messages;
  write_standard_output(result.output + result.json);
  return result.status;
}

/// One archive: retarget and write (or check, or dry run).
int single(const options& parsed, const std::vector<const pgarc::extension_catalog*>& catalogs) {
  progress_line progress(!parsed.quiet && ((parsed.output && *parsed.output != "-") || parsed.in_place));
  return print_single(run_job(
      parsed.inputs.front(), parsed.output.value_or(""), parsed, catalogs,
      [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); }));
}

/// Several archives retargeted, each to its own file (or checked).
int retarget_batch(const options& parsed, const std::vector<const pgarc::extension_catalog*>& catalogs) {
  // Two inputs with one file name would write the same output: refuse
  // before anything is written rather than lose one.
  if (parsed.output_dir) {
    std::set<std::string> outputs;
    for (const auto& input : parsed.inputs)
      if (!outputs.insert(output_path(parsed, input)).second)
        throw usage_error("two inputs would both be written to \"" + output_path(parsed, input) + "\"");
  }
  const bool created = parsed.output_dir && prepare_output_dir(*parsed.output_dir);
  const bool writes = parsed.output_dir || parsed.in_place;
  const int status = run_batch(
      parsed, [&](const std::string& input) { return run_job(input, output_path(parsed, input), parsed, catalogs); },
      {writes ? "changed" : "would change", "unchanged"});
  if (created)
    ::rmdir(parsed.output_dir->c_str()); // only if nothing was written into it
  return status;
}

/// The text of the --use-list file.
std::string read_list_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw pgarc::io_error("could not open the --use-list file \"" + path + "\"");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw pgarc::io_error("could not read the --use-list file \"" + path + "\"");
  return text.str();
}

int run(options parsed) {
  if (parsed.use_list_file)
    parsed.use_list = pgarc::parse_use_list(read_list_file(*parsed.use_list_file));
#if PGARC_WITH_LIBPQ
  if (parsed.target)
    return run_preflight(parsed);
#endif
  if (parsed.list && is_batch(parsed))
    return run_batch(parsed, [&](const std::string& input) { return list_job(input, parsed); },
                     {"", "listed"});
  if (parsed.list)
    return print_single(list_job(parsed.inputs.front(), parsed));
  if (parsed.verify && !parsed.output && is_batch(parsed))
    return run_batch(parsed, [&](const std::string& input) { return verify_job(input, parsed); },
                     {"", "ok"});
  if (parsed.verify && !parsed.output)
    return print_single(verify_job(parsed.inputs.front(), parsed));
  // A live catalog, read once, is trusted before the built-in one.
  std::unique_ptr<pgarc::extension_catalog> live;
#if PGARC_WITH_LIBPQ
  if (parsed.catalog_from)
    live = pgarc::read_live_extension_catalog(*parsed.catalog_from);
#endif
  std::vector<const pgarc::extension_catalog*> catalogs;
  if (live)
    catalogs.push_back(live.get());
  catalogs.push_back(&pgarc::builtin_extension_catalog());
  if (is_batch(parsed))
    return retarget_batch(parsed, catalogs);
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
      // The optional parts of this build, as +name or -name.
      std::cout << program << " (pgarc) " << pgarc::version_string << "\n"
                << "features: +zlib " << (PGARC_WITH_LZ4 ? "+lz4 " : "-lz4 ") << (PGARC_WITH_ZSTD ? "+zstd " : "-zstd ")
                << (PGARC_WITH_LIBPQ ? "+libpq" : "-libpq") << "\n";
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
