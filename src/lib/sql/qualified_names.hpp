// SPDX-License-Identifier: PostgreSQL
// Finds the places in pg_dump's SQL text that may name objects of a moved
// extension: dotted names (public.citext, OPERATOR(public.->)), the SCHEMA
// clause of CREATE EXTENSION, and single-quoted literals. This file only
// reports what is written and where; whether a name belongs to an extension
// is for the caller to decide (see section 9.8 of the archive format notes).
#pragma once

#include "sql/lexer.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc::detail {

/// One part of a dotted name.
struct name_part {
  /// identifier, quoted_identifier or unicode_identifier; operator_symbol
  /// for the operator that ends a name such as public.-> or pg_catalog.=
  token_kind kind = token_kind::identifier;
  /// The identifier's value (see normalize_identifier), or the operator text.
  std::string value;
  /// The part as written; for U&"..." UESCAPE '!' the whole construct.
  byte_range range;
  /// Indexes into the token sequence: equal unless a UESCAPE clause follows.
  std::size_t first_token = 0;
  std::size_t last_token = 0;

  bool is_operator() const noexcept { return kind == token_kind::operator_symbol; }
};

/// Two or more name parts joined by "." (whitespace and comments may
/// surround the dots), in the order written. Which part is a schema depends
/// on where the name stands: schema.object (public.citext), object.field or
/// schema.table.column (COMMENT ON COLUMN public.users.id), or
/// database.schema.object. The caller decides from the parts and context.
///
/// An operator after a "." becomes the last part (gram.y's any_operator),
/// wherever it stands: besides OPERATOR(public.->), pg_dump writes
/// `CREATE OPERATOR public.<-> (...)` and, in operator classes,
/// `OPERATOR 1 public.%(...)`. So "t.*" is reported too, with "*" as an
/// operator part. A name also ends before a "." that is followed by
/// neither a name nor an operator.
struct qualified_name {
  std::vector<name_part> parts;
  /// From the start of the first part to the end of the last.
  byte_range range;
  /// The nearest tokens before and after that are not whitespace or comments.
  std::optional<std::size_t> previous_token;
  std::optional<std::size_t> next_token;
  /// The next token is "(": a function call, a type modifier
  /// (public.geometry(Point,4326)), an opclass parameter list
  /// (public.gist_trgm_ops (siglen='32')), a TABLESAMPLE argument list, or
  /// the argument types of an operator or function being named.
  bool is_followed_by_parenthesis = false;
  /// The previous token is "::": a cast target ('x'::public.citext).
  bool is_cast_target = false;
  /// Preceded by "OPERATOR (": the OPERATOR(schema.op) construct.
  bool is_in_operator_construct = false;

  /// The first two parts: schema and object in the usual two-part name.
  const name_part& schema() const noexcept { return parts[0]; }
  const name_part& name() const noexcept { return parts[1]; }
};

/// Every dotted name in `sql`, in order, given its tokens (from tokenize
/// with the same `options`). Names inside comments, string constants and
/// dollar-quoted bodies are not reported: those are single tokens, which a
/// caller can inspect itself (a function body, say, to warn about it).
std::vector<qualified_name> find_qualified_names(std::string_view sql,
                                                 std::span<const token> tokens,
                                                 const lexer_options& options = {});

/// The schema named by a CREATE EXTENSION statement: in
/// `CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE]`
/// with the options in any order.
struct extension_schema_clause {
  std::string extension;
  byte_range extension_range;
  std::string schema;
  /// The schema name as written: the bytes to replace to move the extension.
  byte_range schema_range;
  std::size_t schema_token = 0;
  /// Written WITH SCHEMA (as pg_dump does) rather than SCHEMA alone.
  bool has_with = false;
};

/// One entry for each CREATE EXTENSION statement in `sql` that has a SCHEMA
/// clause. Statements are found at the start of the text or after ";".
std::vector<extension_schema_clause> find_extension_schema_clauses(
    std::string_view sql, std::span<const token> tokens, const lexer_options& options = {});

/// A single-quoted string constant: '...', E'...', N'...' or U&'...'.
struct string_literal {
  token_kind kind = token_kind::string;
  /// Prefix, quotes, continuation parts, and for U&'...' any UESCAPE clause.
  byte_range range;
  std::size_t first_token = 0;
  std::size_t last_token = 0;
  /// The decoded value (see decode_string_literal); nothing if the literal is
  /// unterminated or has an escape the server rejects.
  std::optional<std::string> value;
};

/// Every single-quoted string constant in `sql`, so that a caller can find
/// 'public.users_id_seq' in setval(...) or 'public' among the arguments of
/// pg_restore_relation_stats(...) and decide what to do. The string of a
/// UESCAPE clause is part of its U& construct, not a literal of its own.
/// Dollar-quoted strings and bit or hex strings are not included.
std::vector<string_literal> find_string_literals(std::string_view sql,
                                                 std::span<const token> tokens,
                                                 const lexer_options& options = {});

} // namespace pgarc::detail
