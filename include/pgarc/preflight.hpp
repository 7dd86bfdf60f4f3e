// SPDX-License-Identifier: PostgreSQL
// Preflight: before an archive is restored, ask the database it will go into
// whether the restore can work (server version, extension schemas and rights,
// the extensions the archive needs, a schema rule for extensions, search_path)
// and which --to would work. Three steps: plan_preflight (the archive alone),
// read_target_facts (the database, through libpq, changing nothing) and
// check_preflight (pure: facts in, findings out, testable without a server).
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/features.hpp"
#include "pgarc/retarget.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pgarc {

// ---------------------------------------------------------------------------
// The archive's side

/// One EXTENSION entry and the schema its CREATE EXTENSION names.
struct planned_extension {
  std::string name;
  std::int64_t dump_id = 0;
  /// The WITH SCHEMA clause in the archive as given ("" when there is none).
  std::string archive_schema;
  /// Where it will be created: archive_schema, or the target of retargeting.
  std::string restore_schema;
};

/// A schema the restore puts extensions or other objects in.
struct planned_schema {
  std::string name;
  /// The archive (after retargeting) has a SCHEMA entry that creates it.
  bool created_by_archive = false;
  /// ... with CREATE SCHEMA IF NOT EXISTS (as retargeting writes it).
  bool created_if_missing = false;
  /// Objects other than extensions the archive creates in it (tables, types,
  /// functions, ...), which need CREATE on the schema.
  std::size_t objects = 0;
};

/// What the archive needs from a database, read from its header and TOC.
struct preflight_plan {
  archive_version version;
  std::string server_version;  ///< header; "" when absent
  std::string pg_dump_version; ///< header; "" when absent
  /// Judged after retargeting with from_schema/to_schema (else as given).
  bool retargeted = false;
  std::string from_schema;
  std::string to_schema;
  std::vector<planned_extension> extensions;
  /// Every restore schema of an extension, to_schema, and the schemas the
  /// archive as given creates its extensions in, once each.
  std::vector<planned_schema> schemas;
  /// Schemas the archive as given creates with a SCHEMA entry.
  std::vector<std::string> original_schemas;
  /// The schema a DATABASE SEARCH PATH entry (--search-path) adds, if any.
  std::optional<std::string> search_path_schema;

  const planned_schema* schema(const std::string& name) const noexcept;
};

struct preflight_options {
  /// The retargeting the archive would get; its to_schema is always
  /// examined in the database, even when the archive is judged as given.
  retarget_options retarget;
  /// Judge the archive as retargeted with `retarget` (false: as given).
  bool retargeted = false;
  /// Try CREATE EXTENSION in a scratch schema, in a transaction that is
  /// rolled back, to learn whether the database insists on a schema.
  bool probe_enforcement = true;
};

/// Reads what `contents` needs: its EXTENSION entries and schemas, after
/// retargeting when options.retargeted (on a copy). Throws what retarget()
/// throws.
preflight_plan plan_preflight(const archive& contents, const preflight_options& options);

// ---------------------------------------------------------------------------
// The database's side

struct target_schema {
  std::string name;
  bool exists = false;
  std::string owner;
  bool may_create = false; ///< has_schema_privilege(name, 'CREATE')
  bool may_use = false;    ///< has_schema_privilege(name, 'USAGE')
};

struct target_extension {
  std::string name;
  /// In pg_available_extensions (its control file is on the server).
  bool available = false;
  std::string default_version;
  // Of the default version, from pg_available_extension_versions:
  bool superuser_only = true; ///< its "superuser" column
  bool trusted = false;       ///< PostgreSQL 13 and later; false before
  bool relocatable = false;
  std::string control_schema; ///< the control file's fixed schema, or ""
  std::vector<std::string> required; ///< "requires"
  std::optional<std::string> installed_version;
  std::optional<std::string> installed_schema;
};

/// The rolled-back CREATE EXTENSION in a scratch schema.
struct enforcement_probe {
  bool attempted = false;
  std::string skipped_reason; ///< why not attempted
  std::string extension;
  std::string scratch_schema;
  /// CREATE EXTENSION worked (then rolled back): no schema rule.
  bool extension_created = false;
  std::string error_message; ///< the server's message when it did not
  std::string sqlstate;
  /// The schema the error names (`must be installed in schema "heroku_ext"`).
  std::optional<std::string> enforced_schema;
  /// Checked after the rollback: neither the scratch schema nor the
  /// extension exists.
  bool left_nothing_behind = true;
};

struct target_facts {
  std::string database;
  std::string role;
  std::string server_version; ///< "15.6 (Debian 15.6-0+deb12u1)"
  int server_version_num = 0; ///< 150006
  bool is_superuser = false;
  bool may_create_in_database = false; ///< has_database_privilege(..., 'CREATE')
  bool owns_database = false;          ///< member of the database owner's role
  bool in_recovery = false;            ///< a standby: nothing can be restored
  bool default_read_only = false;      ///< default_transaction_read_only
  std::string search_path;             ///< SHOW search_path
  /// ALTER DATABASE ... SET search_path, and the most specific setting for
  /// the role (ALTER ROLE ... [IN DATABASE ...] SET), from pg_db_role_setting.
  std::optional<std::string> database_search_path;
  std::optional<std::string> role_search_path;
  bool settings_readable = true;
  std::vector<target_schema> schemas;
  std::vector<target_extension> extensions;
  enforcement_probe probe;

  const target_schema* schema(const std::string& name) const noexcept;
  const target_extension* extension(const std::string& name) const noexcept;
};

#if PGARC_WITH_LIBPQ
/// Connects with libpq (`conninfo` is a key=value string or a URI; libpq
/// fills in the rest from the PG* environment variables) and reads the facts
/// `plan` asks about, in a read-only transaction. With `probe`, then tries
/// CREATE EXTENSION of a small available extension in a scratch schema in a
/// transaction that is always rolled back, and checks that nothing is left.
/// Never changes the database. Throws io_error with one line ("could not
/// connect to database: ..."), never containing a password.
target_facts read_target_facts(const std::string& conninfo, const preflight_plan& plan, bool probe);
#endif

// ---------------------------------------------------------------------------
// The verdict

enum class preflight_severity { ok, warning, problem };

struct preflight_finding {
  preflight_severity severity = preflight_severity::ok;
  /// "server version", "archive version", "database", "schema", "extension",
  /// "enforcement", "search_path" or "suggestion".
  std::string check;
  std::string subject; ///< the schema or extension concerned, or ""
  std::string message; ///< one line, lowercase start, no final period
};

/// The --from/--to that should work, or none needed.
struct preflight_suggestion {
  bool keep = true; ///< the archive's own extension schema works
  std::string from_schema;
  std::string to_schema;
  std::string reason;
  /// "--to heroku_ext", "--from heroku_ext --to public", or "" when keep.
  std::string command_line() const;
};

struct preflight_report {
  preflight_plan plan;
  target_facts target;
  std::vector<preflight_finding> findings;
  preflight_suggestion suggestion;

  bool has_problem() const noexcept;
  /// No finding is a problem.
  bool expected_to_restore() const noexcept { return !has_problem(); }
};

/// Judges `plan` against `facts`: pure, no I/O, never throws pgarc::error.
preflight_report check_preflight(const preflight_plan& plan, const target_facts& facts);

#if PGARC_WITH_LIBPQ
/// plan_preflight, read_target_facts and check_preflight in one call.
preflight_report preflight(const archive& contents, const std::string& conninfo,
                           const preflight_options& options);
#endif

/// The report as one JSON object: plan, facts, findings, suggestion, verdict.
std::string format_preflight_json(const preflight_report& report);

/// "ok", "warning", "problem".
const char* to_string(preflight_severity severity) noexcept;

} // namespace pgarc
