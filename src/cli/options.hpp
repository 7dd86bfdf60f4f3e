// SPDX-License-Identifier: PostgreSQL
// Command-line options of pgarc-retarget, parsed with Boost.Program_options.
#pragma once

#include "pgarc/portable.hpp"
#include "pgarc/archive.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgarc::cli {

/// A mistake on the command line: exit status 2.
class usage_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The most archives --jobs processes at once: a thread each.
constexpr long long max_jobs = 1024;

struct options {
  std::vector<std::string> inputs;   // "-" is standard input
  std::optional<std::string> output; // "-" is standard output
  std::optional<std::string> output_dir;
  bool in_place = false;             // replace each input with its new archive
  bool no_sync = false;              // do not fsync written files (pg_dump --no-sync)
  bool link = false;                 // directory output: hard-link unchanged data files
  /// --format: the layout to write; unset: the input's.
  std::optional<pgarc::archive_layout> format;
  unsigned jobs = 1;
  bool check = false;
  bool list = false;
  bool json = false;
  bool dry_run = false;
  bool verify = false;
  bool quiet = false;
  std::string from_schema = "public";
  std::string to_schema = "heroku_ext";
  std::vector<std::string> extensions;
  std::vector<std::string> excluded_extensions;
  bool search_path = false;
  /// --portable, --no-owner, --no-acl, --use-list FILE (read by main).
  bool portable = false;
  bool no_owner = false;
  bool no_acl = false;
  std::optional<std::string> use_list_file;
  std::optional<pgarc::use_list> use_list;
  std::optional<std::string> catalog_from;
  /// --target: the database to check INPUT against (preflight_command.cpp).
  std::optional<std::string> target;
  /// --from, --to, --extension, --exclude-extension or --search-path given.
  bool retargeting_asked = false;
  bool help = false;
  bool version = false;
};

/// True when --portable, --no-owner, --no-acl or --use-list is given.
inline bool portable_asked(const options& parsed) {
  return parsed.portable || parsed.no_owner || parsed.no_acl || parsed.use_list_file.has_value();
}

/// True when several archives are processed, each to its own file.
inline bool is_batch(const options& parsed) { return parsed.output_dir.has_value() || parsed.inputs.size() > 1; }

/// Parses argv; throws usage_error with a one-line message.
options parse_options(int argc, const char* const argv[]);

/// The --help text.
std::string help_text();

} // namespace pgarc::cli
