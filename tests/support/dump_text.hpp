// SPDX-License-Identifier: PostgreSQL
// Compares pg_dump's plain-text output of two databases: normalises the text
// (no comments, blank lines or \restrict lines; objects the caller names
// removed) and describes where two texts differ. Pure text functions; used
// by temp_cluster::database_difference. Test-only code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgarc::test {

/// An object as pg_dump's text output names it in the comment that starts
/// each object ("-- Name: heroku_ext_required; Type: EVENT TRIGGER; Schema: -;
/// Owner: postgres", or "-- Data for Name: ..."). An empty field matches anything.
struct dumped_object {
  std::string type;
  std::string schema;
  std::string name;
};

/// pg_dump's text without the blocks of the `excluded` objects, then without
/// comment lines, blank lines and psql's \restrict / \unrestrict lines (whose
/// key is random per run).
std::string normalise_dump(std::string_view text, const std::vector<dumped_object>& excluded = {});

/// An empty string if the texts are equal; otherwise a short report: the
/// first differing line and the lines that only one side has (a few of each).
std::string describe_difference(std::string_view left_label, std::string_view left,
                                std::string_view right_label, std::string_view right);

} // namespace pgarc::test
