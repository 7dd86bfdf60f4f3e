// SPDX-License-Identifier: PostgreSQL
// Parses pgarc-retarget's command line; see options.hpp. Keep the help text,
// the man page and the README in step: a cli test checks the man page.
#include "options.hpp"

#include <boost/program_options.hpp>

#include <sstream>

namespace po = boost::program_options;

namespace pgarc::cli {

namespace {

po::options_description visible_options() {
  po::options_description description("Options");
  description.add_options()
      ("output,o", po::value<std::string>()->value_name("FILE"),
       "write the new archive to FILE (\"-\" for standard output)")
      ("list", "print the table of contents like pg_restore -l and exit")
      ("json", "with --list: print the whole TOC as JSON")
      ("version,V", "print the version and exit")
      ("help,h", "show this help and exit");
  return description;
}

} // namespace

std::string help_text() {
  std::ostringstream out;
  out << "pgarc-retarget rewrites a pg_dump custom-format archive (pg_dump -Fc).\n\n"
         "Usage:\n"
         "  pgarc-retarget [OPTION]... INPUT -o OUTPUT\n"
         "  pgarc-retarget --list [--json] INPUT\n\n"
         "INPUT and OUTPUT may be \"-\" for standard input and output.\n\n"
      << visible_options()
      << "\nExit status: 0 success, 1 failure, 2 usage error.\n";
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
  if (values.count("output"))
    result.output = values["output"].as<std::string>();

  if (!values.count("input"))
    throw usage_error("no input archive given");
  const auto& inputs = values["input"].as<std::vector<std::string>>();
  if (inputs.size() > 1)
    throw usage_error("too many arguments (first extra one is \"" + inputs[1] + "\")");
  result.input = inputs.front();
  if (result.json && !result.list)
    throw usage_error("--json is only supported with --list");
  if (result.list && result.output)
    throw usage_error("options --list and --output cannot be used together");
  if (!result.list && !result.output)
    throw usage_error("no output given; use -o FILE, or -o - for standard output");
  return result;
}

} // namespace pgarc::cli
