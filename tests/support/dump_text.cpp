// SPDX-License-Identifier: PostgreSQL
// Normalises and compares pg_dump text output; see dump_text.hpp. The object
// comments parsed here are printed by _printTocEntry in pg_backup_archiver.c.
#include "dump_text.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace pgarc::test {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos)
      break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

struct object_header {
  std::string_view name;
  std::string_view type;
  std::string_view schema;
};

/// Reads "-- [Data for ]Name: N; Type: T; Schema: S; Owner: O[; Tablespace: X]".
std::optional<object_header> parse_header(std::string_view line) {
  for (std::string_view prefix : {std::string_view("-- Name: "), std::string_view("-- Data for Name: ")}) {
    if (!line.starts_with(prefix))
      continue;
    line.remove_prefix(prefix.size());
    const auto type_at = line.find("; Type: ");
    if (type_at == std::string_view::npos)
      return std::nullopt;
    object_header header;
    header.name = line.substr(0, type_at);
    line.remove_prefix(type_at + 8);
    const auto schema_at = line.find("; Schema: ");
    if (schema_at == std::string_view::npos)
      return std::nullopt;
    header.type = line.substr(0, schema_at);
    line.remove_prefix(schema_at + 10);
    header.schema = line.substr(0, line.find("; "));
    return header;
  }
  return std::nullopt;
}

bool matches(const dumped_object& wanted, const object_header& header) {
  return (wanted.type.empty() || wanted.type == header.type) &&
         (wanted.schema.empty() || wanted.schema == header.schema) &&
         (wanted.name.empty() || wanted.name == header.name);
}

bool is_noise(std::string_view line) {
  return line.empty() || line.starts_with("--") || line.starts_with("\\restrict ") ||
         line.starts_with("\\unrestrict ");
}

/// Lines of `from` that `other` lacks, counting repeated lines, in the order of `from`.
std::vector<std::string_view> missing_lines(const std::vector<std::string_view>& from,
                                            const std::vector<std::string_view>& other) {
  std::map<std::string_view, long> balance;
  for (auto line : from)
    ++balance[line];
  for (auto line : other)
    --balance[line];
  std::vector<std::string_view> result;
  for (auto line : from) {
    auto& count = balance[line];
    if (count > 0) {
      result.push_back(line);
      --count;
    }
  }
  return result;
}

void list_lines(std::string& report, std::string_view label, const std::vector<std::string_view>& lines) {
  constexpr std::size_t shown = 15;
  report += "lines only in " + std::string(label) + " (" + std::to_string(lines.size()) + "):\n";
  for (std::size_t index = 0; index < std::min(lines.size(), shown); ++index)
    report += "  " + std::string(lines[index].substr(0, 300)) + "\n";
  if (lines.size() > shown)
    report += "  ...\n";
}

} // namespace

std::string normalise_dump(std::string_view text, const std::vector<dumped_object>& excluded) {
  std::string result;
  result.reserve(text.size());
  bool skipping = false;
  for (auto line : split_lines(text)) {
    if (const auto header = parse_header(line)) {
      skipping = std::any_of(excluded.begin(), excluded.end(),
                             [&](const dumped_object& wanted) { return matches(wanted, *header); });
      continue;
    }
    if (skipping || is_noise(line))
      continue;
    result.append(line);
    result.push_back('\n');
  }
  return result;
}

std::string describe_difference(std::string_view left_label, std::string_view left,
                                std::string_view right_label, std::string_view right) {
  if (left == right)
    return {};
  const auto left_lines = split_lines(left);
  const auto right_lines = split_lines(right);
  std::size_t first = 0;
  while (first < left_lines.size() && first < right_lines.size() && left_lines[first] == right_lines[first])
    ++first;
  std::string report = std::string(left_label) + " (" + std::to_string(left_lines.size()) + " lines) and " +
                       std::string(right_label) + " (" + std::to_string(right_lines.size()) +
                       " lines) differ from line " + std::to_string(first + 1) + ":\n";
  auto line_at = [](const std::vector<std::string_view>& lines, std::size_t index) {
    return index < lines.size() ? std::string(lines[index].substr(0, 300)) : std::string("(end)");
  };
  report += "  " + std::string(left_label) + ": " + line_at(left_lines, first) + "\n";
  report += "  " + std::string(right_label) + ": " + line_at(right_lines, first) + "\n";
  const auto only_left = missing_lines(left_lines, right_lines);
  const auto only_right = missing_lines(right_lines, left_lines);
  if (only_left.empty() && only_right.empty()) {
    report += "the same lines, in a different order\n";
    return report;
  }
  list_lines(report, left_label, only_left);
  list_lines(report, right_label, only_right);
  return report;
}

} // namespace pgarc::test
