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

/// The one schema, other than the source and pg_catalog, that holds every
/// extension the archive creates; empty when there is none or several.
std::string only_other_schema(const retarget_report& report) {
  std::string other;
  for (const auto& [name, schema] : report.archive_extensions) {
    if (schema == "pg_catalog")
      continue;
    if (schema == report.from_schema || (!other.empty() && other != schema))
      return {};
    other = schema;
  }
  return other;
}

/// The words for what became of the target schema's entry.
std::string describe_schema_action(const retarget_report& report) {
  const std::string entry = std::to_string(report.schema_entry);
  switch (report.schema_action) {
  case schema_outcome::added: return "added SCHEMA entry " + entry;
  case schema_outcome::made_conditional: return "made CREATE SCHEMA conditional (entry " + entry + ")";
  case schema_outcome::kept_placeholder: return "kept the existing entry, which creates nothing";
  case schema_outcome::none: break;
  }
  return "unchanged";
}

/// Why an extension stayed, in terms of the options that kept it.
std::string describe_reason(keep_reason reason) {
  switch (reason) {
  case keep_reason::not_named: return "not named by --extension";
  case keep_reason::excluded: return "excluded by --exclude-extension";
  case keep_reason::exempt:
    return "exempt (Heroku allows it outside heroku_ext); name it with --extension to move it";
  }
  return "";
}

/// "entry 12 (EVENT TRIGGER log_ddl, owner heroku_admin)".
std::string describe_entry(std::int64_t id, const std::string& desc, const std::string& tag,
                           const std::string& owner = {}) {
  return "entry " + std::to_string(id) + " (" + desc + " " + tag + (owner.empty() ? "" : ", owner " + owner) + ")";
}

/// Why --portable dropped or changed an entry.
std::string describe_portable_reason(portable_reason reason) {
  switch (reason) {
  case portable_reason::schema_in_every_database:
    return "every database has schema public; CREATE SCHEMA now creates it only where it is missing and "
           "never drops it";
  case portable_reason::default_schema_comment:
    return "the comment initdb gives schema public, which only its owner may set";
  case portable_reason::builtin_plpgsql:
    return "plpgsql is in every database, owned by the bootstrap superuser (pg_dump 11 and later leave it out)";
  case portable_reason::extension_comment:
    return "set only where the restoring role owns the extension (a role that does not own an extension the "
           "target already has cannot comment on it)";
  case portable_reason::extension_owner: return "pg_restore cannot set the owner of an extension";
  case portable_reason::heroku_event_trigger:
    return "Heroku's own event trigger, which runs a function of schema _heroku that exists only on Heroku "
           "(and only a superuser may create event triggers)";
  case portable_reason::heroku_object: return "Heroku's own schema _heroku, which exists only on Heroku";
  case portable_reason::about_dropped_entry: return "it is about a dropped entry";
  case portable_reason::no_owner: return "--no-owner";
  case portable_reason::no_acl: return "--no-acl";
  case portable_reason::not_in_list: return "not in the --use-list file";
  }
  return "";
}

/// Counts by entry kind: "3 ACL, 1 DEFAULT ACL".
std::string count_by_kind(const std::vector<const portable_change*>& changes) {
  std::map<std::string, int> by_kind;
  for (const auto* change : changes)
    ++by_kind[change->desc];
  std::string kinds;
  for (const auto& [kind, count] : by_kind)
    kinds += (kinds.empty() ? "" : ", ") + std::to_string(count) + " " + kind;
  return kinds;
}

std::string plural(std::size_t count, const std::string& one, const std::string& many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

/// The lines about --portable, --no-owner, --no-acl, --use-list and the data order.
std::string format_portable(const retarget_report& report, bool dry_run) {
  const std::string prefix = "pgarc-retarget: ";
  const portable_report& portable = report.portable;
  std::string out;
  std::vector<const portable_change*> acl, unlisted, owners;
  for (const auto& change : portable.changes) {
    if (change.reason == portable_reason::no_acl)
      acl.push_back(&change);
    else if (change.reason == portable_reason::not_in_list)
      unlisted.push_back(&change);
    else if (change.reason == portable_reason::no_owner && change.action == portable_action::owner_removed)
      owners.push_back(&change);
    else if (change.action == portable_action::dropped)
      out += prefix + (dry_run ? "would drop " : "dropped ") +
             describe_entry(change.dump_id, change.desc, change.tag, change.owner) + ": " +
             (change.reason == portable_reason::about_dropped_entry
                  ? "it is about entry " + std::to_string(change.related) + ", dropped too"
                  : describe_portable_reason(change.reason)) +
             "\n";
    else if (change.action == portable_action::rewritten)
      out += prefix + (dry_run ? "would rewrite " : "rewrote ") +
             describe_entry(change.dump_id, change.desc, change.tag) + ": " +
             describe_portable_reason(change.reason) + "\n";
    else
      out += prefix + (dry_run ? "would remove " : "removed ") + "the owner " + change.before.str() + " of " +
             describe_entry(change.dump_id, change.desc, change.tag) + ": " +
             describe_portable_reason(change.reason) + "\n";
  }
  if (!unlisted.empty())
    out += prefix + (dry_run ? "would drop " : "dropped ") + plural(unlisted.size(), "entry", "entries") +
           " not in the --use-list file: " + count_by_kind(unlisted) + "\n";
  if (!acl.empty())
    out += prefix + (dry_run ? "would drop " : "dropped ") + plural(acl.size(), "entry", "entries") +
           " of privileges (--no-acl): " + count_by_kind(acl) + "\n";
  if (!owners.empty())
    out += prefix + (dry_run ? "would remove " : "removed ") + "the owner of " +
           plural(owners.size(), "entry", "entries") + " (--no-owner); the restoring role will own them\n";
  if (!report.data_dependencies.empty()) {
    std::string pairs;
    for (const auto& added : report.data_dependencies)
      pairs += (pairs.empty() ? "" : ", ") + added.namespace_name + "." + added.tag + " after " +
               added.namespace_name + "." + added.after_tag + " (" + added.extension + ")";
    out += prefix + (dry_run ? "would make " : "made ") + "pg_restore -j load the data of " +
           plural(report.data_dependencies.size(), "configuration table", "configuration tables") +
           " in pg_dump's order, as a serial restore does: " + pairs + "\n";
  }
  return out;
}

/// Warnings about --portable's choices and the list file; printed even with -q.
std::string format_portable_warnings(const portable_report& portable) {
  const std::string prefix = "pgarc-retarget: warning: ";
  std::string out;
  for (const auto& kept : portable.retained)
    out += prefix + "kept " + describe_entry(kept.dump_id, kept.desc, kept.tag) + " (" +
           describe_portable_reason(kept.wanted) + "): " +
           (kept.why == retained_reason::carries_data
                ? std::string("it carries table data")
                : describe_entry(kept.needed_by, kept.needed_by_desc, kept.needed_by_tag) + " depends on it") +
           "; the restore may fail on it\n";
  for (const auto& line : portable.ignored_list_lines)
    out += prefix + "--use-list: line ignored, as pg_restore -L ignores it: " + line + "\n";
  for (const auto id : portable.listed_but_absent)
    out += prefix + "--use-list names entry " + std::to_string(id) + ", which the archive does not have\n";
  return out;
}

} // namespace

std::string describe_extensions(const retarget_report& report, bool with_pg_catalog) {
  std::vector<std::string> schemas;
  std::map<std::string, std::vector<std::string>> by_schema;
  for (const auto& [name, schema] : report.archive_extensions) {
    if (schema == "pg_catalog" && !with_pg_catalog)
      continue;
    if (!by_schema.count(schema))
      schemas.push_back(schema);
    by_schema[schema].push_back(name);
  }
  std::string text;
  for (const auto& schema : schemas)
    text += (text.empty() ? "" : "; ") + join(by_schema[schema]) + " in " + schema;
  return text;
}

std::string describe(const retarget_warning& warning, const retarget_report& report) {
  const std::string& to = report.to_schema;
  switch (warning.kind) {
  case warning_kind::search_path_reset: {
    std::string needs;
    for (const auto& needed : warning.needs)
      needs += (needs.empty() ? "" : " and ") + needed;
    const std::string path = "\"$user\", public" + (to == "public" ? std::string() : ", " + quote_identifier(to));
    std::string compact_path; // PGOPTIONS splits at spaces.
    for (char character : path)
      if (character != ' ')
        compact_path.push_back(character);
    return "CREATE EXTENSION " + warning.name + " sets search_path to the database's default (AddToSearchPath) " +
           "and then needs " + needs + ", now in schema " + to + "; unless that default includes " + to +
           " it fails with type \"geometry\" does not exist" +
           (warning.archive_sets_search_path
                ? " (the archive's own ALTER DATABASE has it, but only pg_restore --create applies it)"
                : "") +
           ". Before restoring, run ALTER DATABASE <db> SET search_path = " + path +
           "; or, if the database has no search_path setting of its own, restore with PGOPTIONS='-c search_path=" +
           compact_path + "' pg_restore ...";
  }
  case warning_kind::earthdistance_index:
    return "the index calls earthdistance's SQL functions, which in earthdistance 1.1 (PostgreSQL 16 and older) "
           "call cube's unqualified; pg_restore builds indexes with an empty search_path, so there it fails with "
           "type \"earth\" does not exist (from the original archive too) unless an earlier entry changed the "
           "session's search_path. earthdistance 1.2 (PostgreSQL 17 and later) binds them when it is created, and "
           "the index restores. If the restore reports that error, after it run: SET search_path = " +
           quote_identifier(to) + ", public; " + warning.detail;
  case warning_kind::shared_member_name:
    return "\"" + warning.name + "\" is a member of extension " + warning.extension +
           ", which moves, and of an extension that stays; left unchanged";
  case warning_kind::member_and_user_object:
    return "\"" + warning.name + "\" is both a member of extension " + warning.extension + " and a " +
           warning.detail + " defined in the archive; left unchanged";
  case warning_kind::name_in_string:
    return "a string in the function body (dynamic SQL) names " + warning.name + ", which moves to schema " + to +
           "; strings are left as they are: qualify it with " + to + " or leave it unqualified";
  case warning_kind::name_in_other_language:
    return "the function body (LANGUAGE " + warning.detail + ") names " + warning.name + ", which moves to schema " +
           to + "; only sql and plpgsql bodies are rewritten";
  }
  return to_string(warning.kind);
}

std::vector<std::string> warning_messages(const retarget_report& report) {
  std::vector<std::string> messages;
  for (const auto& warning : report.warnings)
    messages.push_back(describe(warning, report));
  return messages;
}

std::string format_summary(const retarget_report& report, outcome what, bool quiet) {
  const std::string prefix = "pgarc-retarget: ";
  const bool dry_run = what == outcome::dry_run;
  std::string out;
  if (!quiet) {
    const std::string verb = dry_run ? "would move" : "moved";
    if (!report.extensions_considered) {
      if (!report.changed())
        out += prefix + (dry_run                          ? "nothing would change\n"
                         : what == outcome::left_as_is ? "nothing to change; the archive is left untouched\n"
                                                       : "nothing to change; the archive is copied unchanged\n");
    } else if (report.moved_extensions.empty()) {
      const std::string elsewhere = describe_extensions(report, false);
      out += prefix + "no extension to move from schema " + report.from_schema +
             (elsewhere.empty() ? "" : " (the archive creates " + elsewhere + ")") +
             (report.changed()                 ? "\n"
              : dry_run                        ? "; nothing would change\n"
              : what == outcome::left_as_is ? "; the archive is left untouched\n"
                                            : "; the archive is copied unchanged\n");
      const std::string other = only_other_schema(report);
      if (!other.empty() && report.kept_extensions.empty())
        out += prefix + "hint: to move them from " + other + " to " + report.from_schema +
               ", use --from " + other + " --to " + report.from_schema + "\n";
    } else {
      out += prefix + verb + " " + std::to_string(report.moved_extensions.size()) +
             " extension" + (report.moved_extensions.size() == 1 ? "" : "s") + " from " +
             report.from_schema + " to " + report.to_schema + ": " +
             join(report.moved_extensions) + "\n";
      out += prefix + "schema " + report.to_schema + ": " + describe_schema_action(report) + "\n";
    }
    for (const kept_extension& kept : report.kept_extensions)
      out += prefix + "kept extension " + kept.name + " in " + report.from_schema + ": " +
             describe_reason(kept.reason) + "\n";
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
    for (const auto& body : report.bodies)
      if (body.rewritten)
        out += prefix + (dry_run ? "would rewrite" : "rewrote") + " the body of function " + body.tag +
               " (LANGUAGE " + body.language + "): " + join(body.names) + "\n";
    std::vector<std::string> paths;
    std::string search_path_entry;
    for (const auto& path : report.search_paths) {
      if (path.desc == "DATABASE SEARCH PATH")
        search_path_entry = std::to_string(path.dump_id);
      else
        paths.push_back(path.desc + " " + path.tag);
    }
    if (!paths.empty())
      out += prefix + (dry_run ? "would add " : "added ") + report.to_schema + " after " + report.from_schema +
             " to the search_path of: " + join(paths) + "\n";
    const std::string would = dry_run ? "would set" : "sets";
    if (report.search_path_action == search_path_outcome::added)
      out += prefix + "search_path: added entry " + search_path_entry + ", which " + would +
             " the restored database's search_path to " + report.search_path_value + "\n";
    else if (report.search_path_action == search_path_outcome::merged)
      out += prefix + "search_path: merged " + report.to_schema +
             " into the archive's own database search_path; entry " + search_path_entry + " " + would +
             " it to " + report.search_path_value + "\n";
    else if (report.search_path_action == search_path_outcome::already_present)
      out += prefix + "search_path: the archive's database search_path (" + report.search_path_value +
             ") already has " + report.to_schema + "; nothing added\n";
    if (!report.moved_extensions.empty() && report.search_path_action == search_path_outcome::none && report.to_schema != "public")
      out += prefix + "note: application queries that name extension objects unqualified (citext's =, "
             "hstore's ->, crypt()) find them only with " + report.to_schema +
             " on the search_path; without it citext compares as text and hstore's -> fails. Either "
             "run again with --search-path, or run ALTER DATABASE <db> SET search_path = \"$user\", public, " +
             report.to_schema + ", or set it per connection (options='-c search_path=\"$user\",public," +
             report.to_schema + "' in the connection string, or PGOPTIONS)\n";
    if (!report.rewritten_data.empty())
      out += prefix + (dry_run ? "would rewrite" : "rewrote") + " the data of " +
             std::to_string(report.rewritten_data.size()) + " configuration table" +
             (report.rewritten_data.size() == 1 ? "" : "s") + " (INSERT statements)\n";
  }
  if (!quiet)
    out += format_portable(report, dry_run);
  out += format_portable_warnings(report.portable);
  for (const auto& warning : report.warnings) {
    out += prefix + "warning: ";
    if (warning.dump_id != 0)
      out += "entry " + std::to_string(warning.dump_id) + " (" + warning.desc + " " + warning.tag + "): ";
    out += describe(warning, report) + "\n";
  }
  return out;
}

} // namespace pgarc::cli
