// SPDX-License-Identifier: PostgreSQL
// One object that belongs to an extension, as members.sql describes it, and
// the kinds of such objects. Shared by the built-in and the live catalog.
#pragma once

#include <optional>
#include <string_view>

namespace pgarc::detail {

/// What kind of object an extension member is. The names (member_kind_name)
/// are the words COMMENT ON uses, as members.sql writes them.
enum class member_kind {
  extension, // the extension itself; never listed among its own members
  type,      // base, composite, enum, range, multirange and pseudo types
  domain,
  function, // including window functions
  procedure,
  aggregate,
  operator_,
  operator_class,
  operator_family,
  cast,
  table, // including partitioned tables
  sequence,
  view,
  materialized_view,
  foreign_table,
  index,
  collation,
  conversion,
  text_search_dictionary,
  text_search_template,
  text_search_parser,
  text_search_configuration,
  event_trigger,
  foreign_data_wrapper,
  server,
  user_mapping,
  access_method,
  language,
  transform,
  schema,
  statistics_object,
  publication,
  other, // a catalog members.sql has no branch for
};

/// "operator class" for member_kind::operator_class; "other" for other.
std::string_view member_kind_name(member_kind kind) noexcept;
/// The kind whose member_kind_name is `name`; nullopt for any other text.
std::optional<member_kind> parse_member_kind(std::string_view name) noexcept;

/// Value of catalog_member::schema for a member that lives in the schema
/// the extension was created in (and so moves with it). The placeholder
/// extension scripts use for that schema.
inline constexpr std::string_view extension_schema_marker = "@extschema@";

/// A member object. The views point into the catalog that holds the member.
struct catalog_member {
  member_kind kind = member_kind::other;
  /// extension_schema_marker, the name of a schema the extension's script
  /// chose itself ("oracle" for orafce's oracle.date, "pg_catalog"), or empty
  /// for objects that are not in a schema (casts, languages, ...).
  std::string_view schema;
  /// Name as stored in the catalog: unquoted, without schema. Casts,
  /// transforms and user mappings: "citext AS text", "FOR hstore LANGUAGE
  /// plperl", "FOR u SERVER s".
  std::string_view name;
  /// What tells overloads apart: argument types ("text, text"), operand types
  /// ("NONE, hstore"), access method ("gin"), cast types ("citext, text");
  /// empty for other kinds. Type names never carry a schema.
  std::string_view identity;

  /// True when the member is in the extension's own schema.
  bool follows_extension_schema() const noexcept { return schema == extension_schema_marker; }
};

} // namespace pgarc::detail
