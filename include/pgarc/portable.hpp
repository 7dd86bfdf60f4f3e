// SPDX-License-Identifier: PostgreSQL
// Making an archive restore elsewhere (issue 16): entries that fail on any
// database but the one the archive came from are dropped or rewritten
// (--portable), owners and ACLs can be baked out (--no-owner, --no-acl), a
// pg_restore -l list can select entries (--use-list); and, by default, the
// data of an extension's configuration tables is ordered for pg_restore -j.
// Pure functions over the model; no I/O.
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/catalog.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc {

/// A list in the format of pg_restore -l: one entry a line, its dump id
/// first; ';' starts a comment, blank lines are skipped (SortTocFromFile).
struct use_list {
  std::set<std::int64_t> ids;
  /// Lines pg_restore would ignore ("line ignored"): no dump id, or one seen before.
  std::vector<std::string> ignored_lines;
};

/// Parses `text` as pg_restore -L reads a list file.
use_list parse_use_list(std::string_view text);

struct portable_options {
  /// --portable: a CREATE SCHEMA for public made conditional, the plpgsql
  /// entries of old dumps dropped, COMMENT ON EXTENSION applied only where the
  /// restoring role owns the extension, Heroku's own objects dropped.
  bool portable = false;
  /// --no-owner: every owner removed (pg_restore then writes no ALTER ... OWNER).
  bool no_owner = false;
  /// --no-acl: ACL and DEFAULT ACL entries dropped.
  bool no_acl = false;
  /// --use-list: only these entries kept (ENCODING, STDSTRINGS and SEARCHPATH,
  /// which pg_restore -l never lists, always are).
  std::optional<use_list> list;

  bool any() const noexcept { return portable || no_owner || no_acl || list.has_value(); }
};

enum class portable_action {
  dropped,       ///< the entry is gone
  rewritten,     ///< its definition changed (before and after in the change)
  owner_removed, ///< its owner is empty
};

enum class portable_reason {
  schema_in_every_database, ///< CREATE SCHEMA public now creates it only where it is missing
  default_schema_comment,   ///< COMMENT ON SCHEMA public IS 'standard public schema', which initdb sets
  builtin_plpgsql,          ///< plpgsql's EXTENSION or LANGUAGE entry or its comment, which every database has
  extension_comment,        ///< COMMENT ON EXTENSION applied only where the restoring role owns the extension
  extension_owner,          ///< an EXTENSION entry's owner, which pg_restore cannot set
  heroku_event_trigger,     ///< an event trigger that runs a function of Heroku's _heroku schema
  heroku_object,            ///< Heroku's _heroku schema or an object in it
  about_dropped_entry,      ///< a COMMENT, ACL or SECURITY LABEL on a dropped entry
  no_owner,                 ///< --no-owner
  no_acl,                   ///< --no-acl
  not_in_list,              ///< --use-list does not name it
};

struct portable_change {
  std::int64_t dump_id = 0;
  std::string desc;
  std::string tag;
  std::string namespace_name;
  std::string owner; ///< the owner the entry had
  portable_action action = portable_action::dropped;
  portable_reason reason = portable_reason::not_in_list;
  /// about_dropped_entry: the dropped entry it was about.
  std::int64_t related = 0;
  /// rewritten: the definition before and after; owner_removed: the owner.
  pg_string before;
  pg_string after;
};

/// Why an entry that --portable would drop was kept.
enum class retained_reason {
  carries_data, ///< it has table data
  needed_by,    ///< a kept entry depends on it
};

struct retained_entry {
  std::int64_t dump_id = 0;
  std::string desc;
  std::string tag;
  portable_reason wanted = portable_reason::heroku_object; ///< why it would have been dropped
  retained_reason why = retained_reason::needed_by;
  std::int64_t needed_by = 0; ///< needed_by: the kept entry that depends on it
  std::string needed_by_desc;
  std::string needed_by_tag;
};

struct portable_report {
  /// Every change, in the order made (list, ACLs, --portable, owners).
  std::vector<portable_change> changes;
  /// Entries that would have been dropped but were kept.
  std::vector<retained_entry> retained;
  /// Lines of the --use-list file that pg_restore would ignore too, and
  /// listed dump ids that the archive does not have.
  std::vector<std::string> ignored_list_lines;
  std::vector<std::int64_t> listed_but_absent;

  bool changed() const noexcept { return !changes.empty(); }
};

/// The report as one JSON object ({"changes": [...], "retained": [...], ...}).
std::string format_portable_json(const portable_report& report);
/// The JSON key of a reason ("heroku_event_trigger").
const char* portable_reason_key(portable_reason reason);

/// Applies `options` to `contents` in place. Nothing is dropped that carries
/// table data, or that a kept entry depends on (except plpgsql's entries,
/// which every database has), unless --use-list leaves it out.
portable_report make_portable(archive& contents, const portable_options& options);

/// Where the dependency between two data entries came from.
enum class data_order_source {
  extension_configuration, ///< configuration tables of one extension, in pg_dump's order
};

/// A dependency added so that pg_restore -j loads `dump_id` after `after`.
struct data_dependency {
  std::int64_t dump_id = 0;
  std::string namespace_name;
  std::string tag;
  std::int64_t after = 0;
  std::string after_tag;
  std::string extension;
  data_order_source source = data_order_source::extension_configuration;
};

/// pg_dump writes no dependency between the TABLE DATA entries of an
/// extension's configuration tables, though it orders them by their foreign
/// keys; pg_restore -j then loads them at once, and a referencing table's
/// COPY fails (topology.layer before topology.topology). Makes each such
/// entry depend on the previous one of the same extension, so a parallel
/// restore loads them in the archive's order, as a serial one does. Tables
/// are recognized by `catalogs` (most trusted first). Returns what was added.
std::vector<data_dependency> order_extension_data(archive& contents,
                                                  const std::vector<const extension_catalog*>& catalogs);

} // namespace pgarc
