// SPDX-License-Identifier: PostgreSQL
// Compares how two databases behave, not how they dump (issue 12): every
// user view and materialized view returns the same rows, every user function
// without arguments and every declared call the same result. Used by the
// acceptance tests after each restore.
#pragma once

#include "temp_cluster.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace pgarc::test {

struct behaviour_options {
  /// Calls to compare besides the views and zero-argument functions: one
  /// statement each, run in a transaction that is rolled back.
  std::vector<std::string> calls;
  /// When not empty, SET search_path to this in the restored database's
  /// sessions first (what an application told by item 6 of issue 12 does).
  std::string restored_search_path;
  /// Schemas whose views and functions are not the application's.
  std::vector<std::string> excluded_schemas = {"pg_catalog", "information_schema", "heroku_ext",
                                               "heroku_sim", "extensions", "topology"};
};

/// The declared calls in `file`: statements separated by lines that hold
/// only ";", "--" comment lines left out.
std::vector<std::string> read_declared_calls(const std::filesystem::path& file);

/// An empty string if `restored` behaves like `original`; otherwise one
/// line per difference. Views whose rows differ between two queries of the
/// original (TABLESAMPLE, random()) are skipped and named in `skipped`.
std::string behaviour_difference(temp_cluster& cluster, const std::string& original,
                                 const std::string& restored, const behaviour_options& options,
                                 std::vector<std::string>* skipped = nullptr);

} // namespace pgarc::test
