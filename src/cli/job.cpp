// SPDX-License-Identifier: PostgreSQL
// run_job: one archive, start to end; see job.hpp.
#include "job.hpp"

#include "signals.hpp"
#include "summary.hpp"

#include "pgarc/catalog.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/listing.hpp"
#include "pgarc/retarget.hpp"
#include "pgarc/verify.hpp"

#include <sys/stat.h>
#include <unistd.h>

namespace pgarc::cli {

namespace {


std::string display_name(const std::string& input) {
  return input == "-" ? "standard input" : "\"" + input + "\"";
}

/// Refuses to write over the input: the new file would replace the archive
/// being read, and a failure would then leave nothing.
void check_not_same_file(const std::string& input, const std::string& output) {
  if (input == "-" || output == "-")
    return;
  struct stat in_info {}, out_info {};
  if (::stat(input.c_str(), &in_info) == 0 && ::stat(output.c_str(), &out_info) == 0 &&
      in_info.st_dev == out_info.st_dev && in_info.st_ino == out_info.st_ino)
    throw usage_error("output \"" + output + "\" is the input archive; to replace it with its new "
                      "version, use --in-place");
}

/// --verify reads the written archive back: only a regular file can be.
void check_readable_back(const std::string& output) {
  struct stat info {};
  if (::stat(output.c_str(), &info) == 0 && !S_ISREG(info.st_mode))
    throw usage_error("--verify reads the new archive back, which needs a regular file; \"" + output +
                      "\" is not one");
}

retarget_options retarget_options_of(const options& parsed,
                                     const std::vector<const extension_catalog*>& catalogs) {
  retarget_options result;
  result.from_schema = parsed.from_schema;
  result.to_schema = parsed.to_schema;
  result.extensions = parsed.extensions;
  result.excluded_extensions = parsed.excluded_extensions;
  result.add_search_path = parsed.search_path;
  result.catalogs = catalogs;
  // --portable alone moves no extension; with --from/--to/... it does both.
  result.move_extensions = parsed.retargeting_asked || !portable_asked(parsed);
  result.portable.portable = parsed.portable;
  result.portable.no_owner = parsed.no_owner;
  result.portable.no_acl = parsed.no_acl;
  result.portable.list = parsed.use_list;
  return result;
}

} // namespace

std::unique_ptr<file_source> open_input(const std::string& input) {
  if (input == "-")
    return file_source::from_descriptor(STDIN_FILENO, "standard input");
  return file_source::open(input);
}

void write_standard_output(std::string_view text) {
  if (text.empty())
    return;
  const auto out = file_sink::from_descriptor(STDOUT_FILENO, "standard output");
  out->write(std::as_bytes(std::span(text.data(), text.size())));
  out->commit();
}

std::string one_line(std::string json) {
  std::erase(json, '\n');
  return json;
}

std::string problem_count(std::size_t problems) {
  return std::to_string(problems) + (problems == 1 ? " problem" : " problems");
}

std::string error_lines(const std::string& input, const std::exception& problem) {
  std::string lines = "pgarc-retarget: error: ";
  if (dynamic_cast<const io_error*>(&problem) == nullptr)
    lines += display_name(input) + ": ";
  lines += std::string(problem.what()) + "\n";
  if (const auto* known = dynamic_cast<const error*>(&problem); known && !known->hint().empty())
    lines += "pgarc-retarget: hint: " + known->hint() + "\n";
  return lines;
}

job_result run_job(const std::string& input, const std::string& output, const options& parsed,
                   const std::vector<const extension_catalog*>& catalogs,
                   const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  job_result result;
  // With --in-place the new archive replaces the input.
  const std::string& destination = parsed.in_place ? input : output;
  const bool writes = !destination.empty();
  try {
    if (writes && !parsed.in_place)
      check_not_same_file(input, output);
    if (parsed.verify && writes && !parsed.in_place)
      check_readable_back(output);
    auto source = open_input(input);
    retarget_job job(*source, retarget_options_of(parsed, catalogs));
    const retarget_report& report = job.report();
    result.changed = report.changed();
    if (!report.missing_extensions.empty()) {
      const std::string present = describe_extensions(report, true);
      throw error("--extension " + report.missing_extensions.front() +
                  ": the archive creates no such extension in schema " + report.from_schema + " (" +
                  (present.empty() ? "it creates none" : "it creates " + present) + ")");
    }
    // --in-place with nothing to change: the file stays as it is, inode and all.
    const bool leave_as_is = parsed.in_place && !result.changed;

    if (writes && !leave_as_is) {
      remove_on_signal cleanup; // outlives the sink, which removes or renames the file
      const std::unique_ptr<file_sink> sink = cleanup.watch_created([&] {
        return parsed.in_place ? file_sink::replace(input)
               : output == "-" ? file_sink::from_descriptor(STDOUT_FILENO, "standard output")
                               : file_sink::create(output, parsed.no_sync ? durability::unsynced
                                                                          : durability::synced);
      });
      std::function<void(std::uint64_t)> read_so_far;
      if (progress) {
        const std::uint64_t total = source->size().value_or(0);
        read_so_far = [&progress, total](std::uint64_t done) { progress(done, total); };
      }
      job.write(*sink, read_so_far);
    }
    result.messages = format_summary(report,
                                     !writes       ? outcome::dry_run
                                     : leave_as_is ? outcome::left_as_is
                                                   : outcome::written,
                                     parsed.quiet || is_batch(parsed));
    const std::size_t other_changes = report.portable.changes.size() + report.data_dependencies.size();
    result.summary = !report.moved_extensions.empty()
                         ? std::string(writes ? "moved " : "would move ") +
                               std::to_string(report.moved_extensions.size()) + " extension" +
                               (report.moved_extensions.size() == 1 ? "" : "s") + ", " +
                               (writes ? "rewrote " : "would rewrite ") +
                               std::to_string(report.changes.size()) + " entries" +
                               (other_changes ? ", " + std::to_string(other_changes) + " other changes" : "")
                     : other_changes ? std::string(writes ? "made " : "would make ") + std::to_string(other_changes) +
                                           (other_changes == 1 ? " change" : " changes")
                     : leave_as_is ? "unchanged, left untouched"
                                   : "unchanged";
    if (parsed.json)
      result.json = is_batch(parsed) || parsed.check
                        ? "{\"file\": " + json_string(input) + ", \"status\": \"" +
                              (result.changed ? (writes ? "changed" : "would change") : "unchanged") +
                              "\", \"report\": " + one_line(format_report_json(report, warning_messages(report))) +
                              "}\n"
                        : format_report_json(report, warning_messages(report));
    if (parsed.check && result.changed)
      result.status = exit_would_change;
    if (parsed.verify && writes) {
      auto written = file_source::open(destination);
      const verify_report checked = verify_archive(*written);
      for (const auto& problem : checked.problems)
        result.messages += "pgarc-retarget: problem: " + display_name(destination) + ": " +
                           (problem.dump_id ? "entry " + std::to_string(problem.dump_id) + " (" +
                                                  problem.desc + " " + problem.tag + "): "
                                            : std::string()) +
                           problem.message + "\n";
      result.messages += "pgarc-retarget: verified " + display_name(destination) + ": " +
                         (checked.ok() ? "ok" : problem_count(checked.problems.size())) + "\n";
      if (!checked.ok())
        result.status = exit_failure;
    }
  } catch (const usage_error& problem) {
    if (!is_batch(parsed))
      throw; // one archive: a usage error is the run's exit status 2
    result.status = exit_usage;
    result.messages += "pgarc-retarget: error: " + std::string(problem.what()) + "\n";
    result.summary = "failed";
  } catch (const error& problem) {
    result.status = exit_failure;
    result.messages += error_lines(input, problem);
    result.summary = "failed";
    if (parsed.json && (is_batch(parsed) || parsed.check)) {
      result.json = "{\"file\": " + json_string(input) + ", \"status\": \"failed\", \"error\": " +
                    json_string(problem.what()) + "}\n";
    }
  } catch (const std::bad_alloc&) {
    result.status = exit_failure;
    result.messages += "pgarc-retarget: error: " + display_name(input) + ": out of memory\n";
    result.summary = "failed";
  } catch (const std::exception& problem) {
    // Not expected (a thread that cannot start, a bug): still one line, and
    // the stack unwinds so that the temporary file is removed.
    result.status = exit_failure;
    result.messages += "pgarc-retarget: error: " + display_name(input) + ": " + problem.what() + "\n";
    result.summary = "failed";
  }
  return result;
}

} // namespace pgarc::cli
