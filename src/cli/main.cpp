// SPDX-License-Identifier: PostgreSQL
// pgarc-retarget: turns options into library calls, and pgarc::error into a
// message and an exit status. Nothing else happens here.
#include "options.hpp"
#include "summary.hpp"

#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/listing.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/retarget.hpp"
#include "pgarc/verify.hpp"
#include "pgarc/version.hpp"
#include "pgarc/writer.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr int exit_success = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

constexpr const char* program = "pgarc-retarget";

std::unique_ptr<pgarc::file_source> open_input(const std::string& input) {
  if (input == "-")
    return pgarc::file_source::from_descriptor(STDIN_FILENO, "standard input");
  return pgarc::file_source::open(input);
}

/// Refuses to write over the input: the new file would replace the archive
/// being read, and a failure would then leave nothing.
void check_not_same_file(const std::string& input, const std::string& output) {
  if (input == "-" || output == "-")
    return;
  struct stat in_info {}, out_info {};
  if (::stat(input.c_str(), &in_info) == 0 && ::stat(output.c_str(), &out_info) == 0 &&
      in_info.st_dev == out_info.st_dev && in_info.st_ino == out_info.st_ino)
    throw pgarc::cli::usage_error("output \"" + output + "\" is the input archive");
}

/// --verify: checks every data block of `source`; exit 0 only when all is well.
int verify(pgarc::byte_source& source, const pgarc::cli::options& options) {
  pgarc::archive_reader reader(source);
  const pgarc::verify_report report = pgarc::verify_archive(reader);
  if (options.json) {
    std::cout << pgarc::format_verify_json(report);
    std::cout.flush();
  }
  const std::string name = source.name() == "standard input" ? source.name() : "\"" + source.name() + "\"";
  for (const auto& problem : report.problems) {
    std::cerr << program << ": problem: " << name << ": ";
    if (problem.dump_id != 0)
      std::cerr << "entry " << problem.dump_id << " (" << problem.desc << " " << problem.tag << "): ";
    std::cerr << problem.message << "\n";
  }
  if (!options.quiet || !report.ok())
    std::cerr << program << ": verified " << name << ": " << report.data_blocks << " data blocks, "
              << report.large_objects << " large objects, " << report.decompressed_bytes
              << " bytes decompressed: "
              << (report.ok() ? "ok" : std::to_string(report.problems.size()) + " problems") << "\n";
  return report.ok() ? exit_success : exit_failure;
}

int run(const pgarc::cli::options& options) {
  auto source = open_input(options.input);
  if (options.list) {
    const pgarc::archive contents = pgarc::read_archive_toc(*source);
    std::cout << (options.json ? pgarc::format_json(contents) : pgarc::format_listing(contents));
    std::cout.flush();
    return std::cout ? exit_success : exit_failure;
  }
  if (options.verify && !options.output)
    return verify(*source, options);
  if (options.output)
    check_not_same_file(options.input, *options.output);
  pgarc::archive_reader reader(*source);
  pgarc::archive edited = reader.contents();

  pgarc::retarget_options retarget;
  retarget.from_schema = options.from_schema;
  retarget.to_schema = options.to_schema;
  retarget.extensions = options.extensions;
  retarget.excluded_extensions = options.excluded_extensions;
  retarget.add_search_path = options.search_path;
  const pgarc::retarget_report report = pgarc::retarget(edited, retarget);

  if (!options.dry_run) {
    std::unique_ptr<pgarc::file_sink> sink =
        *options.output == "-" ? pgarc::file_sink::from_descriptor(STDOUT_FILENO, "standard output")
                               : pgarc::file_sink::create(*options.output);
    const auto rewriter = pgarc::make_data_rewriter(edited, report, retarget);
    pgarc::write_archive(reader, edited, *sink, rewriter.get());
  }
  std::cerr << pgarc::cli::format_summary(report, options.dry_run, options.quiet);
  if (options.verify && !options.dry_run) {
    auto written = pgarc::file_source::open(*options.output);
    return verify(*written, options);
  }
  if (options.json) {
    std::cout << pgarc::format_report_json(report);
    std::cout.flush();
    if (!std::cout)
      throw pgarc::io_error("could not write the report to standard output");
  }
  return exit_success;
}

void print_error(const std::string& subject, const pgarc::error& problem) {
  std::cerr << program << ": error: " << subject << problem.what() << "\n";
  if (!problem.hint().empty())
    std::cerr << program << ": hint: " << problem.hint() << "\n";
}

} // namespace

int main(int argc, char* argv[]) {
  // A closed pipe on standard output must be an error we report, not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  pgarc::cli::options options;
  try {
    options = pgarc::cli::parse_options(argc, argv);
    if (options.help) {
      std::cout << pgarc::cli::help_text();
      return exit_success;
    }
    if (options.version) {
      std::cout << program << " (pgarc) " << pgarc::version_string << "\n";
      return exit_success;
    }
    return run(options);
  } catch (const pgarc::cli::usage_error& problem) {
    std::cerr << program << ": error: " << problem.what() << "\n"
              << program << ": hint: Try \"" << program << " --help\" for more information.\n";
    return exit_usage;
  } catch (const pgarc::io_error& problem) {
    print_error("", problem);
  } catch (const pgarc::error& problem) {
    const std::string name = options.input == "-" ? "standard input" : options.input;
    print_error("\"" + name + "\": ", problem);
  } catch (const std::bad_alloc&) {
    std::cerr << program << ": error: out of memory\n";
  }
  return exit_failure;
}
