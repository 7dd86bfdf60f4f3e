// SPDX-License-Identifier: PostgreSQL
// Moving extensions between schemas inside an archive: the EXTENSION entries,
// the target schema, and every entry that names an object of a moved
// extension. Pure functions over the model; no I/O.
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/catalog.hpp"
#include "pgarc/io.hpp"
#include "pgarc/portable.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/writer.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc {

/// Extensions that stay where they are unless named explicitly: Heroku's
/// documented exceptions to its heroku_ext rule.
inline const std::vector<std::string> exempt_extensions = {"plpgsql", "postgis_topology",
                                                           "postgis_tiger_geocoder"};

struct retarget_options {
  std::string from_schema = "public";
  std::string to_schema = "heroku_ext";
  /// Move only these (empty: every extension created in from_schema, less
  /// the exempt ones).
  std::vector<std::string> extensions;
  std::vector<std::string> excluded_extensions;
  /// Add an entry that puts to_schema on the restored database's search_path.
  bool add_search_path = false;
  /// Catalogs of extension members, most trusted first (a live catalog
  /// before the built-in one). Not owned: they must outlive what is made
  /// with these options (a retarget_job, a data rewriter).
  std::vector<const extension_catalog*> catalogs;
  /// False: move no extension (only `portable` and the data order apply).
  bool move_extensions = true;
  /// --portable, --no-owner, --no-acl, --use-list; applied before extensions move.
  portable_options portable;
  /// Order the data of each extension's configuration tables for pg_restore -j
  /// (order_extension_data); on by default.
  bool order_extension_data = true;
  /// Keep the text of each changed defn, drop and copy_stmt before and after
  /// in the report (field_change::before and after). Without it those stay
  /// null: on a large TOC they are much of it again, twice. Other fields are
  /// short and always kept.
  bool field_texts = true;
};

/// Where a decision that a name belongs to a moved extension came from.
enum class decision_source {
  catalog,          ///< a catalog of extension members (name_decision::catalog)
  archive_evidence, ///< the entry depends on moved extensions only, and nothing else defines the name
};

struct name_decision {
  std::string name;      ///< the object name as written after the schema
  std::string extension; ///< the moved extension it belongs to
  decision_source source = decision_source::catalog;
  /// The catalog's description ("built-in catalog", "live catalog"); "" for
  /// archive evidence.
  std::string catalog;
  /// A user object has the same name: the call's argument count chose.
  bool by_argument_count = false;
  std::uint64_t uses = 0; ///< how many references were rewritten on that basis
};

/// A field of a TOC entry that retargeting changed.
enum class entry_field { defn, drop, copy_stmt, namespace_name, tag, deps, owner, data };

struct field_change {
  entry_field field = entry_field::defn;
  pg_string before;
  pg_string after;
};

struct entry_change {
  std::int64_t dump_id = 0;
  std::string desc;
  std::string tag;
  bool added = false; ///< a new entry (schema, search_path)
  std::vector<field_change> fields;
};

/// What may still go wrong after retargeting, which no rewrite can fix.
enum class warning_kind {
  /// CREATE EXTENSION `name` sets search_path to the database's default and
  /// then needs `needs`, now in the target schema (PostGIS's AddToSearchPath).
  search_path_reset,
  /// An index over earthdistance 1.1's SQL functions; `detail`: its statement.
  earthdistance_index,
  /// `name` is a member of moved extension `extension` and of one that
  /// stays: left unchanged.
  shared_member_name,
  /// `name` is a member of moved extension `extension` and a user object of
  /// kind `detail` ("function"): left unchanged.
  member_and_user_object,
  /// A string in a function body (dynamic SQL) names moved object `name`.
  name_in_string,
  /// A function body in language `detail` names moved object `name`.
  name_in_other_language,
};

struct retarget_warning {
  std::int64_t dump_id = 0; ///< 0: about the archive as a whole
  std::string desc;
  std::string tag;
  warning_kind kind = warning_kind::search_path_reset;
  std::string name;               ///< see warning_kind
  std::string extension;          ///< see warning_kind
  std::vector<std::string> needs; ///< search_path_reset: the moved extensions it needs
  std::string detail;             ///< see warning_kind
  /// search_path_reset: the archive's own ALTER DATABASE ... SET search_path
  /// has the target schema (only pg_restore --create applies it).
  bool archive_sets_search_path = false;
};

/// A function body written as a string (AS $$...$$) that names moved
/// objects: rewritten (LANGUAGE sql, plpgsql) or only reported.
struct body_change {
  std::int64_t dump_id = 0;
  std::string tag;      ///< "f_unaccent(text)"
  std::string language; ///< "sql", "plpgsql", "plpython3u", ...
  bool rewritten = false;
  /// The references rewritten in it ("public.unaccent"), as they were written.
  std::vector<std::string> names;
  /// Names of moved objects left as they are: inside strings of the body
  /// (dynamic SQL for EXECUTE) or in a body of another language.
  std::vector<std::string> left_unchanged;
};

/// A search_path list that now names the target schema too.
struct search_path_change {
  std::int64_t dump_id = 0;
  std::string desc; ///< FUNCTION, PROCEDURE, DATABASE PROPERTIES, DATABASE SEARCH PATH
  std::string tag;
};

/// Why an extension created in from_schema stayed there.
enum class keep_reason {
  not_named, ///< retarget_options::extensions names only others
  excluded,  ///< listed in retarget_options::excluded_extensions
  exempt,    ///< one of exempt_extensions, which move only when named
};

struct kept_extension {
  std::string name;
  keep_reason reason = keep_reason::not_named;
};

/// What became of the target schema's SCHEMA entry.
enum class schema_outcome {
  none,             ///< nothing moved
  added,            ///< a new entry (retarget_report::schema_entry)
  made_conditional, ///< the archive's own CREATE SCHEMA now creates it only if missing
  kept_placeholder, ///< the archive's entry creates nothing (pg_dump's comment for public)
};

/// What retarget_options::add_search_path did.
enum class search_path_outcome {
  none,            ///< not asked, or nothing moved
  added,           ///< a new setting for the database
  merged,          ///< the target schema added to the archive's own setting
  already_present, ///< the database's setting already names the target schema
};

struct retarget_report {
  std::string from_schema;
  std::string to_schema;
  /// retarget_options::move_extensions: false when only --portable and its
  /// relatives were asked for.
  bool extensions_considered = true;
  std::vector<std::string> moved_extensions;
  /// Every extension the archive creates with a schema, and that schema, in
  /// archive order (moved ones with their schema before the move).
  std::vector<std::pair<std::string, std::string>> archive_extensions;
  /// Extensions named in retarget_options::extensions that the archive does
  /// not create in from_schema; nothing of theirs moved.
  std::vector<std::string> missing_extensions;
  /// Extensions in from_schema that were left there, and why.
  std::vector<kept_extension> kept_extensions;
  schema_outcome schema_action = schema_outcome::none;
  /// Dump id of the target schema's SCHEMA entry, 0 when nothing moved. Its
  /// drop statement is a comment, which write_options::padding_entry may lengthen.
  std::int64_t schema_entry = 0;
  std::vector<entry_change> changes;
  std::vector<name_decision> decisions;
  std::vector<retarget_warning> warnings;
  /// Function bodies rewritten or reported, in archive order.
  std::vector<body_change> bodies;
  /// search_path lists (SET search_path in functions, ALTER DATABASE/ROLE
  /// ... SET search_path) that got the target schema.
  std::vector<search_path_change> search_paths;
  /// What retarget_options::add_search_path did; search_path_value is the
  /// list the restored database gets, as written in ALTER DATABASE.
  search_path_outcome search_path_action = search_path_outcome::none;
  std::string search_path_value;
  /// Entries whose data stream (INSERT statements) must be rewritten.
  std::set<std::int64_t> rewritten_data;
  /// What retarget_options::portable did.
  portable_report portable;
  /// Dependencies added between configuration tables' data (order_extension_data).
  std::vector<data_dependency> data_dependencies;

  bool changed() const noexcept { return !changes.empty() || portable.changed() || !data_dependencies.empty(); }
};

/// Applies `options` to `contents` in place and says what changed. Throws
/// pgarc::error only for impossible requests (an empty schema name).
retarget_report retarget(archive& contents, const retarget_options& options);

/// The rewriter for the data streams listed in report.rewritten_data (the
/// INSERT statements of moved configuration tables in --inserts archives).
/// The catalogs of `options` must outlive it.
std::unique_ptr<stream_rewriter> make_data_rewriter(const archive& contents,
                                                    const retarget_report& report,
                                                    const retarget_options& options);

/// The report as one JSON object (every changed entry with before and
/// after). The library has no words: `warning_messages`, when given, are one
/// per report.warnings, written as each warning's "message".
std::string format_report_json(const retarget_report& report,
                               const std::vector<std::string>& warning_messages = {});

/// `name` as PostgreSQL's quote_ident() writes it: bare when it may be,
/// else in double quotes.
std::string quote_identifier(std::string_view name);

/// Identifiers, as the JSON report writes them: "defn", "namespace", ...;
/// "catalog", "archive_evidence"; "search_path_reset", ....
const char* to_string(entry_field field) noexcept;
const char* to_string(decision_source source) noexcept;
const char* to_string(warning_kind kind) noexcept;

/// One archive retargeted in two steps, for callers that look at the report
/// before deciding to write (the tool skips writing when nothing changed in
/// --in-place, and refuses an --extension the archive lacks): the
/// constructor reads the TOC and retargets it in memory; write() writes the
/// new archive once, with the data area copied from the source.
class retarget_job {
public:
  /// Reads the header and TOC of `source` and applies `options`. Throws
  /// format_error, unsupported_error or io_error for a bad archive.
  retarget_job(byte_source& source, const retarget_options& options);
  ~retarget_job();
  retarget_job(const retarget_job&) = delete;
  retarget_job& operator=(const retarget_job&) = delete;

  const retarget_report& report() const noexcept { return m_report; }
  /// Writes the retargeted archive to `out` and commits it; callable once.
  /// `progress`, if set, is called about once a MiB with the input offset
  /// reached. Throws format_error (a damaged data area) or io_error.
  write_summary write(byte_sink& out, const std::function<void(std::uint64_t)>& progress = {});

private:
  archive_reader m_reader;
  archive m_edited;
  retarget_options m_options;
  retarget_report m_report;
  bool m_written = false;
};

/// Reads the archive in `source`, moves extensions as `options` say and
/// writes the result to `out` (committed on success): retarget_job and its
/// write() in one call.
retarget_report retarget_archive(byte_source& source, byte_sink& out, const retarget_options& options);

} // namespace pgarc
