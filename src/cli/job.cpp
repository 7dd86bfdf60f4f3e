// SPDX-License-Identifier: PostgreSQL
// run_job: one archive, start to end; see job.hpp.
#include "job.hpp"

#include "input.hpp"
#include "signals.hpp"
#include "summary.hpp"

#include "pgarc/catalog.hpp"
#include "pgarc/convert.hpp"
#include "pgarc/directory.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/listing.hpp"
#include "pgarc/retarget.hpp"
#include "pgarc/tar.hpp"
#include "pgarc/verify.hpp"

#include <optional>
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

/// An --extension the archive does not create is a failure naming those it has.
void refuse_missing_extensions(const retarget_report& report) {
  if (report.missing_extensions.empty())
    return;
  const std::string present = describe_extensions(report, true);
  throw error("--extension " + report.missing_extensions.front() +
              ": the archive creates no such extension in schema " + report.from_schema + " (" +
              (present.empty() ? "it creates none" : "it creates " + present) + ")");
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
  result.field_texts = parsed.json; // only the JSON report shows them
  // --portable alone moves no extension; with --from/--to/... it does both.
  result.move_extensions = parsed.retargeting_asked || !portable_asked(parsed);
  result.portable.portable = parsed.portable;
  result.portable.no_owner = parsed.no_owner;
  result.portable.no_acl = parsed.no_acl;
  result.portable.list = parsed.use_list;
  return result;
}


/// The summary, the JSON report and --check's status of a job whose report
/// is `report`.
void describe_outcome(job_result& result, const retarget_report& report, const std::string& input,
                      const options& parsed, bool writes, bool leave_as_is) {
  result.messages += format_summary(report,
                                    !writes       ? outcome::dry_run
                                    : leave_as_is ? outcome::left_as_is
                                                  : outcome::written,
                                    parsed.quiet || is_batch(parsed));
  const std::size_t other_changes = report.portable.changes.size() + report.data_dependencies.size();
  result.summary = !report.moved_extensions.empty()
                       ? std::string(writes ? "moved " : "would move ") +
                             std::to_string(report.moved_extensions.size()) + " extension" +
                             (report.moved_extensions.size() == 1 ? "" : "s") + ", " +
                             (writes ? "rewrote " : "would rewrite ") + std::to_string(report.changes.size()) +
                             " entries" +
                             (other_changes ? ", " + std::to_string(other_changes) + " other changes" : "")
                   : other_changes ? std::string(writes ? "made " : "would make ") + std::to_string(other_changes) +
                                         (other_changes == 1 ? " change" : " changes")
                   : leave_as_is   ? "unchanged, left untouched"
                                   : "unchanged";
  if (parsed.json) {
    const std::string json = format_report_json(report, warning_messages(report));
    result.json = is_batch(parsed) || parsed.check
                      ? "{\"file\": " + json_string(input) + ", \"status\": \"" +
                            (result.changed ? (writes ? "changed" : "would change") : "unchanged") +
                            "\", \"report\": " + one_line(json) + "}\n"
                      : json;
  }
  if (parsed.check && result.changed)
    result.status = exit_would_change;
}

/// --verify after writing: the new archive (file, directory, tar) read back.
void verify_written(job_result& result, const std::string& destination) {
  const verify_report checked = verify_input(destination);
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

/// Retargets `edited` in memory, notes whether it changed, and refuses an
/// --extension it lacks.
retarget_report retarget_edited(job_result& result, archive& edited, const retarget_options& how) {
  retarget_report report = retarget(edited, how);
  result.changed = report.changed();
  refuse_missing_extensions(report);
  return report;
}

/// How --link and --no-sync and the signal watch reach a directory written.
directory_write_options directory_writing(const options& parsed, remove_on_signal& cleanup,
                                          const stream_rewriter* rewriter) {
  directory_write_options writing;
  writing.rewriter = rewriter;
  writing.carry = parsed.link ? carry_over::hard_link : carry_over::clone_or_copy;
  writing.sync = !parsed.no_sync;
  writing.replace = parsed.in_place;
  writing.on_temporary = [&cleanup](const std::string& path) { cleanup.watch_path(path); };
  return writing;
}

/// The output file for a custom archive (standard output for "-").
std::unique_ptr<file_sink> custom_output(const std::string& output, const options& parsed) {
  return output == "-" ? file_sink::from_descriptor(STDOUT_FILENO, "standard output")
                       : file_sink::create(output, parsed.no_sync ? durability::unsynced : durability::synced);
}

/// A directory archive through the pipeline: the TOC retargeted, then a new
/// directory written (changed data files rewritten, the others carried
/// over), or with --format c one custom archive.
void run_directory_job(job_result& result, const std::string& input, const std::string& output,
                       const options& parsed, const std::vector<const extension_catalog*>& catalogs) {
  const directory_archive source(input);
  const retarget_options how = retarget_options_of(parsed, catalogs);
  archive edited = source.contents();
  const retarget_report report = retarget_edited(result, edited, how);
  const std::string destination = parsed.in_place ? source.directory() : output;
  const bool writes = !destination.empty();
  const bool to_custom = parsed.format == archive_layout::custom;
  const bool to_tar = parsed.format == archive_layout::tar;
  if (writes && destination == "-" && !to_custom && !to_tar)
    throw usage_error("a directory archive cannot be written to standard output; use --format c or t for one file");
  const bool leave_as_is = parsed.in_place && !result.changed;
  if (writes && !leave_as_is) {
    if (!parsed.in_place)
      check_not_same_file(source.directory(), destination);
    const auto rewriter = make_data_rewriter(edited, report, how);
    remove_on_signal cleanup;
    if (to_custom || to_tar) {
      const std::unique_ptr<file_sink> sink =
          cleanup.watch_created([&] { return custom_output(destination, parsed); });
      if (to_custom)
        write_custom_from_directory(source, std::move(edited), *sink, rewriter.get());
      else
        write_tar_from_directory(source, std::move(edited), *sink, rewriter.get());
    } else {
      write_directory(source, std::move(edited), destination, directory_writing(parsed, cleanup, rewriter.get()));
    }
  }
  describe_outcome(result, report, input, parsed, writes, leave_as_is);
  if (parsed.verify && writes)
    verify_written(result, destination);
}

/// A custom archive (file or standard input) written as a directory archive
/// (--format d) or a tar archive (--format t). A tar member's size must be in
/// its header before its data: the library goes back over the header when
/// the output can seek, else the input file is read a first time to measure
/// every stream.
void run_custom_conversion_job(job_result& result, byte_source& source, const std::string& input,
                               const std::string& output, const options& parsed,
                               const std::vector<const extension_catalog*>& catalogs) {
  archive_reader reader(source);
  archive edited = reader.take_contents();
  const retarget_options how = retarget_options_of(parsed, catalogs);
  const retarget_report report = retarget_edited(result, edited, how);
  const bool writes = !output.empty();
  const bool to_tar = parsed.format == archive_layout::tar;
  if (writes && output == "-" && !to_tar)
    throw usage_error("a directory archive cannot be written to standard output");
  if (writes) {
    const auto rewriter = make_data_rewriter(edited, report, how);
    remove_on_signal cleanup;
    if (!to_tar) {
      write_directory_from_custom(reader, std::move(edited), output,
                                  directory_writing(parsed, cleanup, rewriter.get()));
    } else {
      const std::unique_ptr<file_sink> sink = cleanup.watch_created([&] { return custom_output(output, parsed); });
      std::optional<custom_stream_sizes> sizes;
      const bool compressed = edited.header.compression() != compression_algorithm::none; // the library refuses it
      if (!sink->is_seekable() && !compressed) {
        if (input == "-" || !source.size())
          throw usage_error("a tar archive written to a pipe needs each member's size before its data, which a "
                            "custom archive read from a pipe gives only at its end; write the tar archive to a "
                            "file, read the custom archive from a file, or convert through a directory "
                            "(--format d)");
        const std::unique_ptr<file_source> again = file_source::open(input);
        archive_reader measuring(*again);
        sizes = measure_custom_streams(measuring);
      }
      write_tar_from_custom(reader, std::move(edited), *sink, rewriter.get(), sizes ? &*sizes : nullptr);
    }
  }
  describe_outcome(result, report, input, parsed, writes, false);
  if (parsed.verify && writes)
    verify_written(result, output);
}

/// A tar archive (file or standard input) through the pipeline into a new
/// tar archive: toc.dat rewritten, data members copied, restore.sql left out.
void run_tar_job(job_result& result, byte_source& source, const std::string& input, const std::string& output,
                 const options& parsed, const std::vector<const extension_catalog*>& catalogs) {
  tar_archive_reader reader(source);
  archive edited = reader.take_contents();
  const retarget_options how = retarget_options_of(parsed, catalogs);
  const retarget_report report = retarget_edited(result, edited, how);
  const std::string& destination = parsed.in_place ? input : output;
  const bool writes = !destination.empty();
  const bool leave_as_is = parsed.in_place && !result.changed;
  if (writes && !leave_as_is) {
    const auto rewriter = make_data_rewriter(edited, report, how);
    remove_on_signal cleanup;
    if (parsed.format == archive_layout::directory) {
      if (destination == "-")
        throw usage_error("a directory archive cannot be written to standard output");
      write_directory_from_tar(reader, std::move(edited), destination,
                               directory_writing(parsed, cleanup, rewriter.get()));
    } else {
      const std::unique_ptr<file_sink> sink = cleanup.watch_created(
          [&] { return parsed.in_place ? file_sink::replace(input) : custom_output(output, parsed); });
      if (parsed.format == archive_layout::custom)
        write_custom_from_tar(reader, std::move(edited), *sink, rewriter.get());
      else
        write_tar(reader, std::move(edited), *sink, rewriter.get());
    }
  }
  describe_outcome(result, report, input, parsed, writes, leave_as_is);
  if (parsed.verify && writes)
    verify_written(result, destination);
}
} // namespace

std::unique_ptr<file_source> open_input(const std::string& input) {
  if (input == "-")
    return file_source::from_descriptor(STDIN_FILENO, "standard input");
  return file_source::open(input);
}

archive read_input_toc(const std::string& input) {
  opened_input opened = open_archive(input);
  switch (opened.kind) {
  case input_kind::directory: return directory_archive(input).contents();
  case input_kind::tar: return tar_archive_reader(*opened.source).take_contents();
  case input_kind::custom: break;
  }
  return read_archive_toc(*opened.source);
}

verify_report verify_input(const std::string& input) {
  opened_input opened = open_archive(input);
  switch (opened.kind) {
  case input_kind::directory: return verify_directory(directory_archive(input));
  case input_kind::tar: {
    tar_archive_reader reader(*opened.source);
    return verify_tar(reader);
  }
  case input_kind::custom: break;
  }
  return verify_archive(*opened.source);
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
    if (is_directory_archive(input)) {
      run_directory_job(result, input, output, parsed, catalogs);
      return result;
    }
    if (writes && !parsed.in_place)
      check_not_same_file(input, output);
    opened_input opened = open_archive(input);
    if (opened.kind == input_kind::tar) {
      if (parsed.verify && writes && !parsed.in_place)
        check_readable_back(output);
      run_tar_job(result, *opened.source, input, output, parsed, catalogs);
      return result;
    }
    if (parsed.format == archive_layout::tar && parsed.verify && writes)
      check_readable_back(output);
    if (parsed.format == archive_layout::directory || parsed.format == archive_layout::tar) {
      run_custom_conversion_job(result, *opened.source, input, output, parsed, catalogs);
      return result;
    }
    if (parsed.verify && writes && !parsed.in_place)
      check_readable_back(output);
    byte_source* source = opened.source.get();
    retarget_job job(*source, retarget_options_of(parsed, catalogs));
    const retarget_report& report = job.report();
    result.changed = report.changed();
    refuse_missing_extensions(report);
    // --in-place with nothing to change: the file stays as it is, inode and all.
    const bool leave_as_is = parsed.in_place && !result.changed;

    if (writes && !leave_as_is) {
      remove_on_signal cleanup; // outlives the sink, which removes or renames the file
      const std::unique_ptr<file_sink> sink = cleanup.watch_created([&] {
        return parsed.in_place ? file_sink::replace(input) : custom_output(output, parsed);
      });
      std::function<void(std::uint64_t)> read_so_far;
      if (progress) {
        const std::uint64_t total = source->size().value_or(0);
        read_so_far = [&progress, total](std::uint64_t done) { progress(done, total); };
      }
      job.write(*sink, read_so_far);
    }
    describe_outcome(result, report, input, parsed, writes, leave_as_is);
    if (parsed.verify && writes)
      verify_written(result, destination);
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
