// SPDX-License-Identifier: PostgreSQL
// Parses pgarc-retarget's command line; see options.hpp. Keep the help text,
// the man page and the README in step: a cli test checks the man page.
#include "options.hpp"

#include "pgarc/features.hpp"

#include <boost/program_options.hpp>

#include <cerrno>
#include <sstream>

#include <sys/stat.h>

namespace po = boost::program_options;

namespace pgarc::cli {

namespace {

po::options_description visible_options() {
  po::options_description description("Options");
  description.add_options()
      ("output,o", po::value<std::string>()->value_name("FILE"),
       "write the new archive to FILE (\"-\" for standard output)")
      ("output-dir", po::value<std::string>()->value_name("DIR"),
       "write each input's new archive to DIR under the input's file name (DIR is created "
       "if missing)")
      ("in-place", "replace each INPUT with its new archive, atomically, once it is complete; an "
                   "INPUT that needs no change is left untouched")
      ("no-sync", "do not wait for the new archive to be written safely to disk (faster; a crash "
                  "may then leave it incomplete); not with --in-place")
      ("format,F", po::value<std::string>()->value_name("c|d|t"),
       "write the new archive in this format: c (custom, one file), d (directory, as pg_dump -Fd), "
       "t (tar; uncompressed data only); the data is carried over as it is, never decompressed")
      ("link", "directory archives: hard-link the data files that do not change instead of "
               "copying them (the new archive then shares them with the input, as pg_upgrade "
               "--link does)")
      ("jobs,j", po::value<long long>()->value_name("N")->default_value(1),
       "process up to N archives at once (1 to 1024)")
      ("check", "write nothing; exit 0 if no archive needs a change, 3 if one would change")
      ("from", po::value<std::string>()->value_name("SCHEMA")->default_value("public"),
       "move extensions created in SCHEMA (with only --to public given: heroku_ext)")
      ("to", po::value<std::string>()->value_name("SCHEMA")->default_value("heroku_ext"),
       "move them to SCHEMA (with only --from heroku_ext given: public)")
      ("extension", po::value<std::vector<std::string>>()->value_name("NAME")->composing(),
       "move only extension NAME (repeatable; also moves an exempt one)")
      ("exclude-extension", po::value<std::vector<std::string>>()->value_name("NAME")->composing(),
       "leave extension NAME where it is (repeatable)")
      ("search-path", "add an entry that puts the target schema on the restored "
                      "database's search_path, merged into the archive's own setting (nothing is "
                      "dropped; nothing added if it is there)")
      ("portable", "make the archive restore with no error into a database other than its own: "
                   "CREATE SCHEMA public made conditional, plpgsql's entries of old dumps and Heroku's "
                   "own objects (_heroku) dropped, COMMENT ON EXTENSION applied only by the extension's "
                   "owner; with no --from/--to/--extension, no extension moves")
      ("no-owner", "remove every owner from the archive, as pg_restore --no-owner would at restore")
      ("no-acl", "drop every privilege entry (ACL, DEFAULT ACL), as pg_restore --no-acl would at restore")
      ("use-list", po::value<std::string>()->value_name("FILE"),
       "keep only the entries FILE lists (the format of pg_restore -l; \";\" comments out a line), "
       "so the selection travels with the archive")
      ("catalog-from", po::value<std::string>()->value_name("CONNINFO"),
       "read extension members from a live database (libpq connection string or URI)")
      ("target", po::value<std::string>()->value_name("CONNINFO"),
       "write nothing; check whether INPUT (as given, or as --from/--to/--extension/"
       "--exclude-extension would change it) can be restored into the database CONNINFO "
       "names (libpq key=value string or URI; PG* variables apply); exit 1 if not")
      ("dry-run", "report what would change; write nothing")
      ("verify", "decompress and check every data block: of each INPUT alone, or with -o of the "
                 "written archive")
      ("json", "print the full report (or with --list the whole TOC) as JSON on standard output")
      ("quiet,q", "print no summary, only warnings and errors")
      ("list", "print the table of contents of each INPUT like pg_restore -l and exit")
      ("version,V", "print the version and exit")
      ("help,h", "show this help and exit");
  return description;
}

} // namespace

std::string help_text() {
  std::ostringstream out;
  out << "pgarc-retarget rewrites a pg_dump archive: custom (pg_dump -Fc), directory (-Fd; INPUT is the\n"
         "directory or its toc.dat) or tar (-Ft).\n\n"
         "Usage:\n"
         "  pgarc-retarget [OPTION]... INPUT -o OUTPUT\n"
         "  pgarc-retarget [OPTION]... --dry-run INPUT\n"
         "  pgarc-retarget [OPTION]... --output-dir DIR [--jobs N] INPUT...\n"
         "  pgarc-retarget [OPTION]... --in-place [--jobs N] INPUT...\n"
         "  pgarc-retarget [OPTION]... --check INPUT...\n"
         "  pgarc-retarget --list [--json] INPUT...\n"
         "  pgarc-retarget --verify [--json] INPUT...\n"
         "  pgarc-retarget --target CONNINFO [OPTION]... INPUT\n\n"
         "Moves the extensions an archive creates in one schema (default public) to\n"
         "another (default heroku_ext), with every entry that names their objects;\n"
         "with --portable (and --no-owner, --no-acl, --use-list), makes it restore\n"
         "elsewhere with no error.\n"
         "INPUT and OUTPUT may be \"-\" for standard input and output.\n\n"
      << visible_options()
      << "\nLong options may be abbreviated to a unique prefix (--dry for --dry-run).\n"
         "\nExit status: 0 success, 1 failure (of any archive), 2 usage error,\n"
         "3 with --check when an archive would change.\n";
  return out.str();
}

options parse_options(int argc, const char* const argv[]) {
  po::options_description all = visible_options();
  all.add_options()("input", po::value<std::vector<std::string>>(), "input archive");
  po::positional_options_description positional;
  positional.add("input", -1);

  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(positional)
                  .style(po::command_line_style::unix_style)
                  .run(),
              values);
    po::notify(values);
  } catch (const po::error& problem) {
    throw usage_error(problem.what());
  }

  options result;
  result.help = values.count("help") > 0;
  result.version = values.count("version") > 0;
  if (result.help || result.version)
    return result;
  result.list = values.count("list") > 0;
  result.json = values.count("json") > 0;
  result.dry_run = values.count("dry-run") > 0;
  result.verify = values.count("verify") > 0;
  result.check = values.count("check") > 0;
  const long long jobs = values["jobs"].as<long long>();
  if (jobs < 1 || jobs > max_jobs)
    throw usage_error("--jobs must be between 1 and " + std::to_string(max_jobs) + ", not " +
                      std::to_string(jobs));
  result.jobs = static_cast<unsigned>(jobs);
  if (values.count("output-dir"))
    result.output_dir = values["output-dir"].as<std::string>();
  result.quiet = values.count("quiet") > 0;
  result.search_path = values.count("search-path") > 0;
  result.from_schema = values["from"].as<std::string>();
  result.to_schema = values["to"].as<std::string>();
  // One side given, naming the other side's default: the reverse direction.
  if (values["to"].defaulted() && !values["from"].defaulted() && result.from_schema == "heroku_ext")
    result.to_schema = "public";
  if (values["from"].defaulted() && !values["to"].defaulted() && result.to_schema == "public")
    result.from_schema = "heroku_ext";
  if (values.count("extension"))
    result.extensions = values["extension"].as<std::vector<std::string>>();
  if (values.count("exclude-extension"))
    result.excluded_extensions = values["exclude-extension"].as<std::vector<std::string>>();
  result.portable = values.count("portable") > 0;
  result.no_owner = values.count("no-owner") > 0;
  result.no_acl = values.count("no-acl") > 0;
  if (values.count("use-list"))
    result.use_list_file = values["use-list"].as<std::string>();
  if (values.count("catalog-from"))
    result.catalog_from = values["catalog-from"].as<std::string>();
  if (values.count("format")) {
    const std::string format = values["format"].as<std::string>();
    if (format == "c" || format == "custom")
      result.format = pgarc::archive_layout::custom;
    else if (format == "d" || format == "directory")
      result.format = pgarc::archive_layout::directory;
    else if (format == "t" || format == "tar")
      result.format = pgarc::archive_layout::tar;
    else
      throw usage_error("--format " + format + ": expected c (custom), d (directory) or t (tar)");
  }
  if (values.count("output"))
    result.output = values["output"].as<std::string>();
  if (values.count("target"))
    result.target = values["target"].as<std::string>();
  result.retargeting_asked = !values["from"].defaulted() || !values["to"].defaulted() ||
                             values.count("extension") || values.count("exclude-extension") ||
                             result.search_path;
  result.in_place = values.count("in-place") > 0;
  result.no_sync = values.count("no-sync") > 0;
  result.link = values.count("link") > 0;

#if !PGARC_WITH_LIBPQ
  if (result.target || result.catalog_from)
    throw usage_error(std::string(result.target ? "--target" : "--catalog-from") +
                      " needs libpq, and this pgarc-retarget was built without it (-Dlibpq=disabled)");
#endif
  if (!values.count("input"))
    throw usage_error("no input archive given");
  result.inputs = values["input"].as<std::vector<std::string>>();
  const bool several = result.inputs.size() > 1;
  if (result.target && (several || result.output || result.output_dir || result.list || result.verify ||
                        result.check || result.dry_run))
    throw usage_error("--target checks one archive against a database and writes nothing; it cannot be "
                      "combined with --output, --output-dir, --list, --verify, --check or --dry-run");
  if (several && result.output)
    throw usage_error("several archives need --output-dir, --check or --dry-run, not --output");
  if (several && result.use_list_file)
    throw usage_error("--use-list names the entries of one archive; give one INPUT");
  if (result.target && portable_asked(result))
    throw usage_error("--target checks the archive as --from/--to/--extension would change it; it cannot be "
                      "combined with --portable, --no-owner, --no-acl or --use-list");
  if (result.list && portable_asked(result))
    throw usage_error("--list prints the TOC as it is; drop --portable, --no-owner, --no-acl and --use-list");
  if (result.output_dir && result.output)
    throw usage_error("options --output and --output-dir cannot be used together");
  if ((result.check || result.dry_run) && (result.output || result.output_dir))
    throw usage_error(std::string(result.check ? "--check" : "--dry-run") + " writes nothing; drop --output/--output-dir");
  if (result.check && result.dry_run)
    throw usage_error("options --check and --dry-run cannot be used together");
  if (result.list && (result.output || result.output_dir || result.check))
    throw usage_error("--list prints the TOC and writes nothing");
  if (result.in_place && (result.output || result.output_dir))
    throw usage_error("--in-place replaces each input; drop --output/--output-dir");
  if (result.in_place && (result.list || result.check || result.dry_run))
    throw usage_error("--in-place cannot be combined with --list, --check or --dry-run");
  if (result.in_place && result.no_sync)
    throw usage_error("--in-place always waits for the disk: an unsynced replacement could lose the original "
                      "after a crash; drop --no-sync");
  if (result.no_sync && !result.output && !result.output_dir)
    throw usage_error("--no-sync applies to files written with --output or --output-dir");
  if (result.link && !result.output && !result.output_dir && !result.in_place)
    throw usage_error("--link applies to directory archives written with --output, --output-dir or --in-place");
  if (result.format && result.in_place)
    throw usage_error("--format cannot be combined with --in-place: the new archive would not be the "
                      "same kind of file as the one it replaces");
  if (result.in_place)
    for (const auto& input : result.inputs)
      if (input == "-")
        throw usage_error("--in-place needs named input files, not standard input");
  if (several && !result.output_dir && !result.in_place && !result.check && !result.dry_run &&
      !result.list && !result.verify) {
    // "pgarc-retarget in.dump out.dump": the second was meant as the output.
    struct stat info {};
    const std::string& second = result.inputs[1];
    if (result.inputs.size() == 2 && second != "-" && ::stat(second.c_str(), &info) != 0 && errno == ENOENT)
      throw usage_error("\"" + second + "\" does not exist; to write the new archive there, use -o: "
                        "pgarc-retarget " + result.inputs[0] + " -o " + second);
    throw usage_error("several archives need --output-dir DIR, --in-place, --check or --dry-run");
  }
  if (result.output_dir)
    for (const auto& input : result.inputs)
      if (input == "-")
        throw usage_error("--output-dir needs named input files, not standard input");
  if (!result.list && !result.dry_run && !result.check && !result.verify && !result.output &&
      !result.output_dir && !result.in_place && !result.target)
    throw usage_error("no output given; use -o FILE, -o - for standard output, --in-place, or --dry-run");
  if (result.verify && (result.list || result.dry_run || result.check || result.output_dir))
    throw usage_error("--verify cannot be combined with --list, --dry-run, --check or --output-dir");
  if (result.verify && result.output && *result.output == "-")
    throw usage_error("--verify cannot check an archive written to standard output");
  if (result.json && result.output && *result.output == "-")
    throw usage_error("--json prints on standard output, which -o - already uses");
  if (result.from_schema.empty() || result.to_schema.empty())
    throw usage_error("schema names must not be empty");
  if (result.from_schema == result.to_schema)
    throw usage_error("--from and --to name the same schema \"" + result.to_schema + "\"");
  // CREATE SCHEMA refuses names starting with pg_ (reserved for system
  // schemas: pg_catalog, pg_toast, pg_temp_N, ...), and information_schema
  // is the SQL standard's views; a restore could not put extensions there.
  if (result.to_schema.starts_with("pg_") || result.to_schema == "information_schema")
    throw usage_error("--to " + result.to_schema + " names a system schema; extensions cannot be moved there");
  return result;
}

} // namespace pgarc::cli
