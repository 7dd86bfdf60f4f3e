// SPDX-License-Identifier: PostgreSQL
// format_summary; see summary.hpp.
#include "summary.hpp"

#include <map>

namespace pgarc::cli {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items)
    text += (text.empty() ? "" : ", ") + item;
  return text;
}

} // namespace

std::string format_summary(const retarget_report& report, bool dry_run, bool quiet) {
  const std::string prefix = "pgarc-retarget: ";
  std::string out;
  if (!quiet) {
    const std::string verb = dry_run ? "would move" : "moved";
    if (report.moved_extensions.empty()) {
      out += prefix + "no extension to move from schema " + report.from_schema +
             (dry_run ? "; nothing would change\n" : "; the archive is copied unchanged\n");
    } else {
      out += prefix + verb + " " + std::to_string(report.moved_extensions.size()) +
             " extension" + (report.moved_extensions.size() == 1 ? "" : "s") + " from " +
             report.from_schema + " to " + report.to_schema + ": " +
             join(report.moved_extensions) + "\n";
      out += prefix + "schema " + report.to_schema + ": " + report.schema_action + "\n";
    }
    for (const auto& [name, reason] : report.kept_extensions)
      out += prefix + "kept extension " + name + " in " + report.from_schema + ": " + reason + "\n";
    std::map<std::string, int> by_kind;
    std::size_t entries = 0;
    for (const auto& change : report.changes) {
      if (change.added || change.desc == "EXTENSION")
        continue;
      ++by_kind[change.desc];
      ++entries;
    }
    if (entries > 0) {
      std::string kinds;
      for (const auto& [kind, count] : by_kind)
        kinds += (kinds.empty() ? "" : ", ") + std::to_string(count) + " " + kind;
      out += prefix + (dry_run ? "would rewrite " : "rewrote ") + std::to_string(entries) +
             " entr" + (entries == 1 ? "y" : "ies") + " naming their objects: " + kinds + "\n";
    }
    if (!report.rewritten_data.empty())
      out += prefix + (dry_run ? "would rewrite" : "rewrote") + " the data of " +
             std::to_string(report.rewritten_data.size()) + " configuration table" +
             (report.rewritten_data.size() == 1 ? "" : "s") + " (INSERT statements)\n";
  }
  for (const auto& warning : report.warnings) {
    out += prefix + "warning: ";
    if (warning.dump_id != 0)
      out += "entry " + std::to_string(warning.dump_id) + " (" + warning.desc + " " + warning.tag + "): ";
    out += warning.message + "\n";
  }
  return out;
}

} // namespace pgarc::cli
