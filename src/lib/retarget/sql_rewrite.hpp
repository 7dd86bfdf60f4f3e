// SPDX-License-Identifier: PostgreSQL
// Rewrites the schema of every reference to a moved extension's object in one
// SQL text (a defn, drop statement, COPY statement, tag or INSERT stream):
// names, reg* literals and the bodies of LANGUAGE sql and plpgsql functions,
// leaving other literals, comments and user objects alone.
#pragma once

#include "retarget/member_index.hpp"
#include "retarget/text_references.hpp"
#include "sql/lexer.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pgarc::detail {

struct rewrite_settings {
  std::string from_schema;
  std::string to_schema;
  lexer_options lexer;
};

struct rewrite_outcome {
  std::string text;
  bool changed = false;
  /// References qualified with the source schema: rewritten, and kept.
  int rewritten = 0;
  int kept = 0;
  /// (name, verdict) per rewritten reference, for the report.
  std::vector<std::pair<std::string, member_verdict>> decisions;
  std::vector<member_ambiguity> ambiguities;
  /// Function bodies (LANGUAGE sql, plpgsql) rewritten, or left alone while
  /// naming moved members (strings inside them, other languages).
  std::vector<body_finding> bodies;
};

/// Arguments written between the "(" at tokens[open] and its ")": -1 if unclosed.
int count_call_arguments(std::string_view sql, const std::vector<token>& tokens, std::size_t open);

/// A cheap scan before lexing: false only when `sql` certainly holds no name
/// qualified with the source schema whose object name is a moved member
/// (every "schema.name" it finds is plain and names no member). Anything
/// unusual (quoting it cannot decode, a comment or space before the dot, an
/// operator, a schema name that is not a plain lower-case word) says true.
bool may_name_member(std::string_view sql, const rewrite_settings& settings,
                     const member_index& index);

/// Rewrites `sql` as used by `entry`.
rewrite_outcome rewrite_references(std::string_view sql, const rewrite_settings& settings,
                                   const member_index& index, const toc_entry& entry);

/// Relation names held in string literals: setval('public.seq', ...) in
/// SEQUENCE SET and 'schemaname', 'public', 'relname', 'x' in STATISTICS DATA.
rewrite_outcome rewrite_relation_literals(std::string_view sql, const rewrite_settings& settings,
                                          const member_index& index, const toc_entry& entry);

/// Unqualified identifiers that are names of moved members (archives before
/// 1.13 write names unqualified).
bool names_member_unqualified(std::string_view sql, const rewrite_settings& settings,
                              const member_index& index);

} // namespace pgarc::detail
