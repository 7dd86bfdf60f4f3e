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

/// What a finding is about.
enum class preflight_check {
  database,
  server_version,
  archive_version,
  schema,
  extension,
  enforcement,
  search_path,
  suggestion,
};

/// What was found. The fields of preflight_finding that each one fills in
/// are named here; everything else a description needs is in the report's
/// plan and target (the schema or extension named by `subject`).
enum class preflight_code {
  // database (subject: the database)
  connected,           ///< who and where
  standby,             ///< in recovery: nothing can be restored
  read_only,           ///< default_transaction_read_only is on
  // server version (archive_major: the archive's server, target_major)
  server_version_unknown,   ///< the archive does not say
  server_older_than_archive, ///< the archive comes from a newer major
  server_version_supported, ///< the same or a newer major
  // archive version (required_version: the oldest server release whose
  // pg_restore reads it, as server_version_num; 100003 is 10.3)
  archive_version_readable,    ///< the database's own pg_restore reads it
  archive_version_needs_newer, ///< only a newer pg_restore reads it
  // schema (subject: the schema; extensions: those created there)
  schema_created_by_archive, ///< missing; the archive creates it, and may
  schema_creation_refused,   ///< missing; the archive creates it, but may not
  schema_missing,            ///< missing, used, and the archive does not create it
  schema_may_be_created,     ///< missing, unused; the role may create it
  schema_may_not_be_created, ///< missing, unused; the role may not create it
  schema_create_will_fail,   ///< exists; the archive's plain CREATE SCHEMA fails
  schema_writable,           ///< exists; the role may create objects in it
  schema_objects_refused,    ///< exists, no CREATE; `count` objects fail
  schema_extensions_only,    ///< exists, no CREATE; only trusted extensions go
  schema_not_writable,       ///< exists, no CREATE; nothing planned there
  schema_no_usage,           ///< no USAGE on a schema the restore uses
  // extension (subject: the extension)
  extension_installed,             ///< in the schema planned; IF NOT EXISTS skips it
  extension_installed_elsewhere,   ///< in another schema than the archive's
  extension_unavailable,           ///< not in pg_available_extensions
  extension_fixed_schema,          ///< its control file names another schema
  extension_not_trusted,           ///< superuser-only, and the role is not one
  extension_needs_database_create, ///< trusted, but no CREATE on the database
  extension_requirement_missing,   ///< related: the required extension
  extension_outside_rule_exempt,   ///< outside the enforced schema (related); Heroku exempts it
  extension_outside_rule,          ///< outside the enforced schema (related)
  extension_creatable,             ///< available, and will be created
  // enforcement (the probe in target.probe)
  probe_skipped,      ///< not attempted (probe.skipped_reason)
  schema_rule_found,  ///< subject: the schema the database insists on
  no_schema_rule,     ///< the scratch CREATE EXTENSION worked
  probe_inconclusive, ///< it failed for another reason
  probe_left_objects, ///< after the rollback something remains (subject)
  // search_path (subject: the schema)
  search_path_current,             ///< the session's search_path and its settings
  search_path_added_by_archive,    ///< the archive's DATABASE SEARCH PATH adds it
  search_path_added_needs_owner,   ///< ... but ALTER DATABASE needs the owner
  search_path_has_schema,          ///< on the search_path
  search_path_lacks_schema,        ///< not on it: unqualified uses fail
  default_search_path_has_schema,  ///< related: the extension whose script resets
                                   ///< search_path, extensions: the one it needs
  default_search_path_lacks_schema, ///< as above, and CREATE EXTENSION fails
  // suggestion (see preflight_report::suggestion; options_agree)
  suggest_nothing, ///< no extension could move
  suggest_keep,    ///< keep the archive's schema
  suggest_move,    ///< move from suggestion.from_schema to suggestion.to_schema
};

struct preflight_finding {
  preflight_severity severity = preflight_severity::ok;
  preflight_check check = preflight_check::database;
  preflight_code code = preflight_code::connected;
  std::string subject;                 ///< the database, schema or extension concerned, or ""
  std::vector<std::string> extensions; ///< extensions concerned (see preflight_code)
  std::string related;                 ///< a second name (see preflight_code)
  std::size_t count = 0;               ///< schema_objects_refused: objects
  int archive_major = 0;               ///< server version: as server_version_num, 150000
  int target_major = 0;                ///< server and archive version: the database's major
  int required_version = 0;            ///< archive version: server_version_num of a release
  /// Suggestion, when the archive is judged retargeted: whether the options
  /// given do what is suggested.
  std::optional<bool> options_agree;
};

/// Why the suggestion is what it is.
enum class suggestion_reason {
  no_movable_extension,    ///< the archive creates none that could move
  schema_rule,             ///< the database only accepts extensions in to_schema
  already_installed,       ///< installed_extensions are in to_schema already
  installed_in_several_schemas, ///< installed in installed_schemas: no single one fits
  from_schema_missing,     ///< from_schema does not exist and the archive does not create it
  nothing_found,           ///< no rule, nothing installed: keep
};

/// The extension schema that should work: keep the archive's, or move its
/// extensions from from_schema to to_schema.
struct preflight_suggestion {
  bool keep = true; ///< the archive's own extension schema works
  std::string from_schema;
  std::string to_schema;
  suggestion_reason reason = suggestion_reason::no_movable_extension;
  std::vector<std::string> installed_extensions; ///< already_installed
  std::vector<std::string> installed_schemas;    ///< installed_in_several_schemas
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

/// Words a caller adds to the JSON report; the library has none. Each is
/// left out when empty.
struct preflight_json_words {
  /// One per finding, in the order of preflight_report::findings: "message".
  std::vector<std::string> messages;
  /// The suggestion as the caller's options: "options".
  std::string suggestion_options;
};

/// The report as one JSON object: plan, facts, findings (with their codes),
/// suggestion, verdict.
std::string format_preflight_json(const preflight_report& report, const preflight_json_words& words = {});

/// Identifiers, as the JSON report writes them: "ok", "warning", "problem";
/// "server_version", ...; "schema_writable", ...; "schema_rule", ....
const char* to_string(preflight_severity severity) noexcept;
const char* to_string(preflight_check check) noexcept;
const char* to_string(preflight_code code) noexcept;
const char* to_string(suggestion_reason reason) noexcept;

} // namespace pgarc
