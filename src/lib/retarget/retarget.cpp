// SPDX-License-Identifier: PostgreSQL
// retarget(): moves extensions from one schema to another inside an archive;
// see include/pgarc/retarget.hpp and the retargeting notes in the README.
#include "pgarc/retarget.hpp"

#include "pgarc/errors.hpp"
#include "retarget/member_index.hpp"
#include "retarget/sql_rewrite.hpp"
#include "retarget/text_references.hpp"
#include "sql/literals.hpp"
#include "sql/characters.hpp"
#include "sql/identifiers.hpp"
#include "sql/qualified_names.hpp"

#include <algorithm>
#include <cstring>
#include <map>

namespace pgarc {

namespace {

using detail::member_index;
using detail::rewrite_outcome;
using detail::rewrite_settings;

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// Schema clause of an EXTENSION entry's CREATE EXTENSION, if any.
std::optional<detail::extension_schema_clause> schema_clause(const toc_entry& entry,
                                                             const detail::lexer_options& lexer) {
  if (entry.desc_text() != "EXTENSION" || !entry.defn)
    return std::nullopt;
  const auto tokens = detail::tokenize(*entry.defn, lexer);
  auto clauses = detail::find_extension_schema_clauses(*entry.defn, tokens, lexer);
  if (clauses.size() != 1)
    return std::nullopt;
  return clauses.front();
}

/// Whether `text` contains `word`, ignoring ASCII case (an unquoted PUBLIC is
/// public too); a cheap test before lexing. The candidates are found with
/// memchr, once for each case of the first letter.
bool mentions(std::string_view text, std::string_view word) {
  if (word.empty() || text.size() < word.size())
    return false;
  std::string folded(word); // a schema may be named in capitals ("Ext")
  for (char& character : folded)
    character = detail::sql_chars::ascii_lower(character);
  const char lower = folded.front();
  const char upper = lower >= 'a' && lower <= 'z' ? static_cast<char>(lower - 'a' + 'A') : lower;
  const std::size_t last = text.size() - word.size(); // the last place it could start
  // The next place at or after `from` holding `letter`, or npos.
  const auto next = [&text, last](char letter, std::size_t from) {
    const void* found = std::memchr(text.data() + from, letter, last - from + 1);
    return found ? static_cast<std::size_t>(static_cast<const char*>(found) - text.data()) : std::string_view::npos;
  };
  std::size_t next_lower = next(lower, 0);
  std::size_t next_upper = upper == lower ? std::string_view::npos : next(upper, 0);
  while (next_lower != std::string_view::npos || next_upper != std::string_view::npos) {
    const std::size_t at = std::min(next_lower, next_upper);
    if (detail::sql_chars::equals_ignoring_case(text.substr(at, folded.size()), folded))
      return true;
    if (at >= last)
      return false;
    if (at == next_lower)
      next_lower = next(lower, at + 1);
    else
      next_upper = next(upper, at + 1);
  }
  return false;
}

bool standard_conforming_strings(const archive& contents) {
  for (const auto& entry : contents.entries)
    if (entry.desc_text() == "STDSTRINGS")
      return text_of(entry.defn).find("'on'") != std::string::npos;
  return false; // pg_restore's default without the entry
}

bool has_search_path_entry(const archive& contents) {
  return std::any_of(contents.entries.begin(), contents.entries.end(),
                     [](const toc_entry& entry) { return entry.desc_text() == "SEARCHPATH"; });
}

class change_recorder {
public:
  change_recorder(retarget_report& report, bool sql_texts) : m_report(report), m_sql_texts(sql_texts) {}

  void record(const toc_entry& entry, entry_field field, const pg_string& before, const pg_string& after,
              bool added = false) {
    auto found = m_positions.find(entry.dump_id);
    if (found == m_positions.end()) {
      entry_change change;
      change.dump_id = entry.dump_id;
      change.desc = entry.desc_text();
      change.tag = entry.tag_text();
      change.added = added;
      m_report.changes.push_back(std::move(change));
      found = m_positions.emplace(entry.dump_id, m_report.changes.size() - 1).first;
    }
    const bool sql = field == entry_field::defn || field == entry_field::drop || field == entry_field::copy_stmt;
    if (sql && !m_sql_texts)
      m_report.changes[found->second].fields.push_back({field, std::nullopt, std::nullopt});
    else
      m_report.changes[found->second].fields.push_back({field, before, after});
  }

  void decided(const std::vector<std::pair<std::string, detail::member_verdict>>& decisions) {
    for (const auto& [name, verdict] : decisions) {
      const auto key = name + "\n" + verdict.extension + "\n" + to_string(verdict.source) + "\n" + verdict.catalog +
                       (verdict.by_argument_count ? "\n#" : "\n");
      auto found = m_decisions.find(key);
      if (found == m_decisions.end()) {
        m_report.decisions.push_back(
            {name, verdict.extension, verdict.source, verdict.catalog, verdict.by_argument_count, 0});
        found = m_decisions.emplace(key, m_report.decisions.size() - 1).first;
      }
      ++m_report.decisions[found->second].uses;
    }
  }

  /// A warning about `entry`, of `kind`; the caller fills in the rest.
  retarget_warning& warn(const toc_entry& entry, warning_kind kind) {
    retarget_warning& warning = m_report.warnings.emplace_back();
    warning.dump_id = entry.dump_id;
    warning.desc = entry.desc_text();
    warning.tag = entry.tag_text();
    warning.kind = kind;
    return warning;
  }

private:
  retarget_report& m_report;
  bool m_sql_texts;
  std::map<std::int64_t, std::size_t> m_positions;
  std::map<std::string, std::size_t> m_decisions;
};

/// Field conventions of the pg_dump that wrote the archive: NULL for absent
/// strings since pg_dump 12, "" before. Taken from an EXTENSION entry's owner.
pg_string absent_value(const archive& contents) {
  for (const auto& entry : contents.entries)
    if (entry.desc_text() == "EXTENSION")
      return entry.owner && entry.owner->empty() ? pg_string(std::string()) : std::nullopt;
  return std::nullopt;
}

std::int64_t next_dump_id(const archive& contents) {
  std::int64_t highest = 0;
  for (const auto& entry : contents.entries)
    highest = std::max(highest, entry.dump_id);
  return highest + 1;
}

toc_entry new_entry(const archive& contents, std::int64_t dump_id, std::string desc,
                    std::string tag, std::string defn, pg_string drop) {
  const pg_string absent = absent_value(contents);
  toc_entry entry;
  entry.dump_id = dump_id;
  entry.had_dumper = 0;
  entry.table_oid = "0";
  entry.oid = "0";
  entry.tag = std::move(tag);
  entry.desc = std::move(desc);
  entry.section = static_cast<std::int64_t>(section::pre_data);
  entry.defn = std::move(defn);
  entry.drop_stmt = drop ? drop : absent;
  entry.copy_stmt = absent;
  // NULL in every era: pg_dump writes no namespace for SCHEMA entries, also
  // when it wrote "" for the other absent fields (pg_restore -l then shows
  // "-", not an empty column).
  entry.namespace_name = std::nullopt;
  entry.tablespace = absent;
  entry.table_am = absent;
  entry.owner = absent; // never an owner: ALTER ... OWNER would need rights we may not have
  entry.with_oids = "false";
  entry.data_state = offset_state::no_data;
  return entry;
}

/// The target schema's SCHEMA entry: made conditional, or added before the
/// first moved EXTENSION entry. Returns the dump id moved extensions depend on.
std::int64_t ensure_target_schema(archive& contents, const retarget_options& options,
                                  bool quote_all, change_recorder& changes,
                                  retarget_report& report, std::size_t first_extension) {
  const std::string quoted = detail::quote_identifier(options.to_schema, quote_all);
  // Starting the definition with a comment keeps pg_restore --no-owner from
  // replacing it with a plain CREATE SCHEMA (see _printTocEntry).
  std::string defn = "-- pgarc-retarget: create the schema only where it does not exist\n"
                     "CREATE SCHEMA IF NOT EXISTS " + quoted + ";\n";
  // The extensions were usable by every role in public; a schema the restore
  // has just created (ours, default privileges) is usable by its owner only,
  // and roles that own the application's objects would get "permission
  // denied for schema". Heroku's heroku_ext has USAGE for PUBLIC too. A
  // schema that was already there keeps its privileges.
  if (options.to_schema != "public") {
    const std::string literal = detail::quote_string_literal(options.to_schema, standard_conforming_strings(contents));
    defn += "DO $pgarc$\nBEGIN\n"
            "  IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = " + literal +
            " AND nspacl IS NULL\n"
            "             AND nspowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER)) THEN\n"
            "    EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO PUBLIC', " + literal + ");\n"
            "  END IF;\nEND\n$pgarc$;\n";
  }
  const std::string drop = "-- pgarc-retarget: not dropping schema " + quoted +
                           ", which may belong to another role\n";
  for (auto& entry : contents.entries) {
    if (entry.desc_text() != "SCHEMA" || entry.tag_text() != options.to_schema)
      continue;
    if (text_of(entry.defn).rfind("--", 0) == 0) {
      // pg_dump's placeholder for public ("*not* creating schema") or our own.
      report.schema_action = schema_outcome::kept_placeholder;
      return entry.dump_id;
    }
    changes.record(entry, entry_field::defn, entry.defn, defn);
    entry.defn = defn;
    changes.record(entry, entry_field::drop, entry.drop_stmt, drop);
    entry.drop_stmt = drop;
    if (entry.owner && !entry.owner->empty()) {
      changes.record(entry, entry_field::owner, entry.owner, absent_value(contents));
      entry.owner = absent_value(contents);
    }
    report.schema_action = schema_outcome::made_conditional;
    return entry.dump_id;
  }
  const std::int64_t dump_id = next_dump_id(contents);
  toc_entry schema = new_entry(contents, dump_id, "SCHEMA", options.to_schema, defn, drop);
  contents.entries.insert(contents.entries.begin() + static_cast<std::ptrdiff_t>(first_extension), schema);
  changes.record(schema, entry_field::defn, std::nullopt, defn, true);
  report.schema_action = schema_outcome::added;
  return dump_id;
}

/// For entries whose subject is a moved member (ACL, COMMENT, SECURITY LABEL,
/// TABLE DATA, SEQUENCE SET, STATISTICS DATA, and a member table's ROW
/// SECURITY and POLICY entries), the member's name from the tag.
std::optional<std::string> subject_from_tag(const toc_entry& entry) {
  const std::string_view desc = entry.desc_text();
  const std::string_view tag = entry.tag_text();
  if (desc == "TABLE DATA" || desc == "SEQUENCE SET" || desc == "STATISTICS DATA" ||
      desc == "ROW SECURITY")
    return std::string(tag);
  if (desc == "POLICY") // "table policy", both unquoted (dumpPolicy)
    return tag.find(' ') == std::string::npos ? std::nullopt
                                                : std::optional<std::string>(tag.substr(0, tag.find(' ')));
  if (desc != "ACL" && desc != "COMMENT" && desc != "SECURITY LABEL")
    return std::nullopt;
  // "FUNCTION crypt(text, text)", "TABLE spatial_ref_sys", "COLUMN t.c",
  // "TEXT SEARCH DICTIONARY unaccent": skip the upper-case kind words.
  std::size_t position = 0;
  for (;;) {
    const auto space = tag.find(' ', position);
    if (space == std::string::npos)
      return std::nullopt;
    const std::string_view word = tag.substr(position, space - position);
    const bool is_kind_word =
        !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!is_kind_word)
      break;
    position = space + 1;
  }
  std::string name(tag.substr(position));
  const auto cut = name.find_first_of("(.");
  if (cut != std::string::npos && name.front() != '"')
    name.resize(cut);
  if (!name.empty() && name.front() == '"')
    if (auto value = detail::normalize_identifier(name.substr(0, name.find('"', 1) + 1)))
      name = *value;
  return name.empty() || position == 0 ? std::nullopt : std::optional<std::string>(name);
}

/// The schemas of the archive's own ALTER DATABASE ... SET search_path
/// (DATABASE PROPERTIES, in archives made with pg_dump --create).
std::optional<std::vector<std::string>> database_search_path(const archive& contents,
                                                             const detail::lexer_options& lexer) {
  for (const auto& entry : contents.entries)
    if (entry.desc_text() == "DATABASE PROPERTIES" && mentions(text_of(entry.defn), "search_path"))
      if (auto values = detail::search_path_values(*entry.defn, lexer))
        return values;
  return std::nullopt;
}

/// `schemas` as ALTER DATABASE ... SET search_path writes them.
std::string search_path_text(const std::vector<std::string>& schemas) {
  std::string text;
  for (const auto& schema : schemas)
    text += (text.empty() ? "" : ", ") + (schema == "$user" ? std::string("\"$user\"") : detail::quote_identifier(schema));
  return text;
}

/// --search-path: the database's search_path with the target schema, right
/// after the source schema (or at the end), never dropping an entry.
void add_database_search_path(archive& contents, const retarget_options& options,
                              const rewrite_settings& settings,
                              const std::optional<std::vector<std::string>>& archive_path,
                              const std::set<std::string>& moved, change_recorder& changes,
                              retarget_report& report) {
  std::vector<std::string> path = archive_path.value_or(std::vector<std::string>{"$user", "public"});
  if (std::find(path.begin(), path.end(), options.to_schema) != path.end()) {
    report.search_path_action = search_path_outcome::already_present;
    report.search_path_value = search_path_text(path);
    return;
  }
  const auto source = std::find(path.begin(), path.end(), options.from_schema);
  path.insert(source == path.end() ? path.end() : source + 1, options.to_schema);
  report.search_path_value = search_path_text(path);
  report.search_path_action = archive_path ? search_path_outcome::merged : search_path_outcome::added;
  if (archive_path) {
    // Step 3 put the target after the source; a list without the source gets it at the end.
    for (auto& entry : contents.entries) {
      if (entry.desc_text() != "DATABASE PROPERTIES" || !mentions(text_of(entry.defn), "search_path"))
        continue;
      if (auto rewritten = detail::rewrite_search_paths(*entry.defn, settings, true)) {
        changes.record(entry, entry_field::defn, entry.defn, *rewritten);
        entry.defn = std::move(*rewritten);
        report.search_paths.push_back({entry.dump_id, std::string(entry.desc_text()), std::string(entry.tag_text())});
      }
    }
  }
  std::string format_string = "ALTER DATABASE %I SET search_path = ";
  for (char character : report.search_path_value) {
    if (character == '%')
      format_string.push_back('%');
    format_string.push_back(character);
  }
  const std::string defn = "DO $pgarc$\nBEGIN\n  EXECUTE pg_catalog.format(" +
                           detail::quote_string_literal(format_string, settings.lexer.standard_conforming_strings) +
                           ", pg_catalog.current_database());\nEND\n$pgarc$;\n";
  for (const auto& entry : contents.entries)
    if (entry.desc_text() == "DATABASE SEARCH PATH" && entry.defn == defn) {
      report.search_path_action = search_path_outcome::already_present;
      return;
    }
  std::size_t after = 0;
  for (std::size_t position = 0; position < contents.entries.size(); ++position)
    if (contents.entries[position].desc_text() == "EXTENSION" && moved.count(std::string(contents.entries[position].tag_text())))
      after = position + 1;
  toc_entry entry = new_entry(contents, next_dump_id(contents), "DATABASE SEARCH PATH", options.to_schema, defn,
                              std::nullopt);
  contents.entries.insert(contents.entries.begin() + static_cast<std::ptrdiff_t>(after), entry);
  changes.record(entry, entry_field::defn, std::nullopt, defn, true);
  report.search_paths.push_back({entry.dump_id, std::string(entry.desc_text()), std::string(entry.tag_text())});
}

/// What the restore needs on the search_path that no rewrite can give
/// (issue 12, item 5): extension scripts that reset search_path from the
/// database's default, and SQL functions that call other extensions'
/// functions unqualified.
void warn_about_search_path_dependence(const archive& contents, const retarget_options& options,
                                       const std::set<std::string>& moved,
                                       const std::optional<std::vector<std::string>>& archive_path,
                                       const rewrite_settings& settings, change_recorder& changes) {
  const bool archive_sets_target =
      archive_path && std::find(archive_path->begin(), archive_path->end(), options.to_schema) != archive_path->end();
  // AddToSearchPath (postgis_topology, postgis_tiger_geocoder) runs
  // SET search_path = <the database's default> in the middle of the script.
  const std::vector<std::pair<std::string, std::vector<std::string>>> resetting = {
      {"postgis_topology", {"postgis"}}, {"postgis_tiger_geocoder", {"postgis", "fuzzystrmatch"}}};
  for (const auto& entry : contents.entries) {
    if (entry.desc_text() != "EXTENSION" || moved.count(std::string(entry.tag_text())))
      continue;
    for (const auto& [name, needs] : resetting) {
      if (entry.tag_text() != name || options.to_schema == "public")
        continue;
      std::vector<std::string> moved_needs;
      for (const auto& needed : needs)
        if (moved.count(needed))
          moved_needs.push_back(needed);
      if (moved_needs.empty())
        continue;
      retarget_warning& warning = changes.warn(entry, warning_kind::search_path_reset);
      warning.name = name;
      warning.needs = std::move(moved_needs);
      warning.archive_sets_search_path = archive_sets_target;
    }
  }
  // earthdistance 1.1's SQL functions (ll_to_earth, earth_box, ...) call
  // cube's functions and type unqualified; pg_restore runs index builds
  // with search_path = '', so indexes over them fail from any archive.
  if (!moved.count("earthdistance"))
    return;
  static const std::set<std::string, std::less<>> sql_functions = {
      "ll_to_earth", "earth_box", "earth_distance", "latitude", "longitude", "earth"};
  for (const auto& entry : contents.entries) {
    const std::string_view desc = entry.desc_text();
    if (desc != "INDEX" || !entry.defn)
      continue;
    bool calls = false;
    for (const auto& name : detail::find_qualified_names(*entry.defn, detail::tokenize(*entry.defn, settings.lexer),
                                                         settings.lexer))
      if (name.parts.size() == 2 && name.schema().value == options.to_schema &&
          sql_functions.count(name.name().value) && name.is_followed_by_parenthesis)
        calls = true;
    if (!calls)
      continue;
    std::string statement = entry.defn.str();
    while (!statement.empty() && (statement.back() == '\n' || statement.back() == ' '))
      statement.pop_back();
    changes.warn(entry, warning_kind::earthdistance_index).detail = std::move(statement);
  }
}

/// Step 1: which EXTENSION entries move, and where the first one is.
struct extension_choice {
  std::set<std::string> moved;
  std::optional<std::size_t> first_extension;
  bool quote_all = false; ///< the archive quotes every identifier (--quote-all-identifiers)
};

extension_choice choose_extensions(const archive& contents, const retarget_options& options,
                                   const rewrite_settings& settings, retarget_report& report) {
  extension_choice choice;
  std::vector<std::string> found_in_source;
  for (std::size_t position = 0; position < contents.entries.size(); ++position) {
    const toc_entry& entry = contents.entries[position];
    const auto clause = schema_clause(entry, settings.lexer);
    if (clause)
      report.archive_extensions.emplace_back(entry.tag_text(), clause->schema);
    if (!clause || clause->schema != options.from_schema)
      continue;
    const std::string name(entry.tag_text());
    found_in_source.push_back(name);
    std::optional<keep_reason> reason;
    if (!options.extensions.empty() && !contains(options.extensions, name))
      reason = keep_reason::not_named;
    else if (contains(options.excluded_extensions, name))
      reason = keep_reason::excluded;
    else if (options.extensions.empty() && contains(exempt_extensions, name))
      reason = keep_reason::exempt;
    if (reason) {
      report.kept_extensions.push_back({name, *reason});
      continue;
    }
    choice.moved.insert(name);
    report.moved_extensions.push_back(name);
    if (!choice.first_extension)
      choice.first_extension = position;
    const std::string_view schema_token =
        std::string_view(*entry.defn).substr(clause->schema_range.begin, clause->schema_range.size());
    choice.quote_all = choice.quote_all || schema_token.front() == '"';
  }
  for (const auto& named : options.extensions)
    if (!contains(found_in_source, named))
      report.missing_extensions.push_back(named);
  return choice;
}

/// Step 2, after the target schema's entry: the moved EXTENSION entries name
/// the target schema, depend on its entry and have no owner.
void move_extension_entries(archive& contents, const retarget_options& options, const rewrite_settings& settings,
                            const std::set<std::string>& moved, std::int64_t schema_id, change_recorder& changes) {
  auto join = [](const std::vector<std::string>& list) {
    std::string text;
    for (const auto& item : list)
      text += (text.empty() ? "" : ", ") + item;
    return text;
  };
  for (auto& entry : contents.entries) {
    if (entry.desc_text() != "EXTENSION" || !moved.count(std::string(entry.tag_text())))
      continue;
    const auto clause = schema_clause(entry, settings.lexer);
    if (!clause || clause->schema != options.from_schema)
      continue; // another entry of the same name (a damaged or edited archive)
    const std::string_view old_defn = *entry.defn;
    const bool quoted = old_defn[clause->schema_range.begin] == '"';
    std::string defn = std::string(old_defn.substr(0, clause->schema_range.begin)) +
                       detail::quote_identifier(options.to_schema, quoted) +
                       std::string(old_defn.substr(clause->schema_range.end));
    changes.record(entry, entry_field::defn, entry.defn, defn);
    entry.defn = defn;
    const std::string schema_dependency = std::to_string(schema_id);
    if (!entry.dependencies.contains(schema_dependency)) {
      const std::vector<std::string> before = entry.dependencies.strings();
      entry.dependencies.push_back(schema_dependency);
      changes.record(entry, entry_field::deps, join(before), join(entry.dependencies.strings()));
    }
    if (entry.owner && !entry.owner->empty()) {
      // pg_restore 16+ stops on an owner it cannot set on an EXTENSION.
      changes.record(entry, entry_field::owner, entry.owner, absent_value(contents));
      entry.owner = absent_value(contents);
    }
  }
}

/// Step 3: every other entry that names a moved extension's objects, entry
/// by entry: its text fields, its namespace, its search_path lists, and for
/// archives before 1.13 the search_path pg_restore gives it.
class reference_rewriter {
public:
  reference_rewriter(const archive& contents, const retarget_options& options, const rewrite_settings& settings,
                     const member_index& index, change_recorder& changes, retarget_report& report)
      : m_options(options), m_settings(settings), m_index(index), m_changes(changes), m_report(report),
        m_qualified_sql(has_search_path_entry(contents)) {}

  void rewrite(toc_entry& entry) {
    const std::string_view desc = entry.desc_text();
    if (desc == "ENCODING" || desc == "STDSTRINGS" || desc == "SEARCHPATH" || desc == "DATABASE" ||
        desc == "EXTENSION" || (desc == "SCHEMA" && entry.tag_text() == m_options.to_schema))
      return;
    // Without a dependency on a moved extension there is no archive evidence,
    // so only names of members can be rewritten: fields that qualify none
    // with the source schema are not lexed (most of a big TOC).
    const bool evidence_possible = m_index.depended_extension(entry).has_value() ||
                                   desc == "SEQUENCE SET" || desc == "STATISTICS DATA";
    rewrite_field(entry, entry.defn, entry_field::defn, evidence_possible);
    rewrite_field(entry, entry.drop_stmt, entry_field::drop, evidence_possible);
    rewrite_field(entry, entry.copy_stmt, entry_field::copy_stmt, evidence_possible);
    rewrite_field(entry, entry.tag, entry_field::tag, evidence_possible);
    const bool subject_moves = move_namespace(entry);
    extend_search_paths(entry);
    if (!subject_moves)
      set_old_search_path(entry);
  }

private:
  void rewrite_field(toc_entry& entry, pg_string& field, entry_field name, bool evidence_possible) {
    if (!field || !mentions(*field, m_options.from_schema))
      return;
    if (!evidence_possible && !detail::may_name_member(*field, m_settings, m_index))
      return;
    const std::string_view desc = entry.desc_text();
    rewrite_outcome outcome = detail::rewrite_references(*field, m_settings, m_index, entry);
    if (desc == "SEQUENCE SET" || desc == "STATISTICS DATA") {
      rewrite_outcome literals = detail::rewrite_relation_literals(outcome.text, m_settings, m_index, entry);
      literals.rewritten += outcome.rewritten;
      literals.kept += outcome.kept;
      literals.changed = literals.changed || outcome.changed;
      literals.decisions.insert(literals.decisions.begin(), outcome.decisions.begin(), outcome.decisions.end());
      outcome = std::move(literals);
    }
    for (const auto& ambiguity : outcome.ambiguities) {
      retarget_warning& warning = m_changes.warn(
          entry, ambiguity.user_object.empty() ? warning_kind::shared_member_name : warning_kind::member_and_user_object);
      warning.name = ambiguity.name;
      warning.extension = ambiguity.extension;
      warning.detail = ambiguity.user_object;
    }
    record_bodies(entry, outcome.bodies);
    if (!outcome.changed)
      return;
    m_changes.decided(outcome.decisions);
    m_changes.record(entry, name, field, outcome.text);
    field = outcome.text;
  }

  void record_bodies(const toc_entry& entry, const std::vector<detail::body_finding>& found) {
    for (const auto& body : found) {
      body_change change{entry.dump_id, std::string(entry.tag_text()), body.language, body.rewritten, body.names, {}};
      for (const auto& name : body.left_in_strings) {
        change.left_unchanged.push_back(name);
        m_changes.warn(entry, warning_kind::name_in_string).name = name;
      }
      for (const auto& name : body.left_in_other_language) {
        change.left_unchanged.push_back(name);
        retarget_warning& warning = m_changes.warn(entry, warning_kind::name_in_other_language);
        warning.name = name;
        warning.detail = body.language;
      }
      m_report.bodies.push_back(std::move(change));
    }
  }

  /// An entry about a member (its ACL, comment, configuration data) moves
  /// with it. True when it did.
  bool move_namespace(toc_entry& entry) {
    if (text_of(entry.namespace_name) != m_options.from_schema)
      return false;
    const auto subject = subject_from_tag(entry);
    if (!subject || !m_index.decide(*subject, detail::name_use{}, entry, nullptr) ||
        !m_index.is_member_name(*subject))
      return false;
    m_changes.record(entry, entry_field::namespace_name, entry.namespace_name, m_options.to_schema);
    entry.namespace_name = m_options.to_schema;
    if (entry.desc_text() == "TABLE DATA" && entry.has_data() && !(entry.copy_stmt && !entry.copy_stmt->empty()))
      m_report.rewritten_data.insert(entry.dump_id);
    return true;
  }

  /// SET search_path in CREATE FUNCTION/PROCEDURE, and ALTER DATABASE/ROLE
  /// ... SET search_path in DATABASE PROPERTIES, get the target schema.
  void extend_search_paths(toc_entry& entry) {
    const std::string_view desc = entry.desc_text();
    if ((desc != "FUNCTION" && desc != "PROCEDURE" && desc != "DATABASE PROPERTIES") ||
        !mentions(text_of(entry.defn), "search_path"))
      return;
    if (auto rewritten = detail::rewrite_search_paths(*entry.defn, m_settings)) {
      m_changes.record(entry, entry_field::defn, entry.defn, *rewritten);
      entry.defn = std::move(*rewritten);
      m_report.search_paths.push_back({entry.dump_id, std::string(desc), std::string(entry.tag_text())});
    }
  }

  /// Before 1.13 names are unqualified and pg_restore runs each entry with
  /// search_path = <namespace>, pg_catalog: add the target schema to it.
  void set_old_search_path(toc_entry& entry) {
    if (m_qualified_sql || !entry.namespace_name || entry.namespace_name->empty())
      return;
    if (!m_index.depended_extension(entry).has_value() &&
        !names_member_unqualified(text_of(entry.defn), m_settings, m_index))
      return;
    const std::string prefix = "SET search_path = " + detail::quote_identifier(*entry.namespace_name) + ", " +
                               detail::quote_identifier(m_options.to_schema) + ", pg_catalog;\n";
    // Only the definition: pg_restore builds ALTER ... OWNER for some
    // objects from the drop statement's text after "DROP ".
    if (entry.defn && !entry.defn->empty() && entry.defn->rfind(prefix, 0) != 0) {
      const std::string defn = prefix + entry.defn.str();
      m_changes.record(entry, entry_field::defn, entry.defn, defn);
      entry.defn = defn;
    }
  }

  const retarget_options& m_options;
  const rewrite_settings& m_settings;
  const member_index& m_index;
  change_recorder& m_changes;
  retarget_report& m_report;
  bool m_qualified_sql;
};

/// Steps 1 to 4: the extensions and every entry that names their objects.
void move_extensions(archive& contents, const retarget_options& options, retarget_report& report) {
  change_recorder changes(report, options.field_texts);
  rewrite_settings settings{options.from_schema, options.to_schema, {}};
  settings.lexer.standard_conforming_strings = standard_conforming_strings(contents);
  if (options.from_schema == options.to_schema)
    return;

  // 1. Which EXTENSION entries move.
  const extension_choice choice = choose_extensions(contents, options, settings, report);
  if (choice.moved.empty())
    return;

  // 2. The target schema, then the EXTENSION entries themselves.
  report.schema_entry =
      ensure_target_schema(contents, options, choice.quote_all, changes, report, *choice.first_extension);
  move_extension_entries(contents, options, settings, choice.moved, report.schema_entry, changes);

  // 3. Every other entry that names a moved extension's objects.
  std::set<std::string> kept;
  for (const kept_extension& extension : report.kept_extensions)
    kept.insert(extension.name);
  const member_index index(contents, choice.moved, kept, options.catalogs, options.from_schema);
  const std::optional<std::vector<std::string>> database_path = database_search_path(contents, settings.lexer);
  reference_rewriter references(contents, options, settings, index, changes, report);
  for (auto& entry : contents.entries)
    references.rewrite(entry);
  warn_about_search_path_dependence(contents, options, choice.moved, database_path, settings, changes);

  // 4. Optionally, the target schema on the restored database's search_path,
  // merged into the archive's own setting (DATABASE PROPERTIES, restored only
  // with pg_restore --create) and set by an entry that every restore runs.
  if (options.add_search_path)
    add_database_search_path(contents, options, settings, database_path, choice.moved, changes, report);
}

} // namespace

std::string quote_identifier(std::string_view name) { return detail::quote_identifier(name); }

retarget_report retarget(archive& contents, const retarget_options& options) {
  if (options.from_schema.empty() || options.to_schema.empty())
    throw error("schema names must not be empty");
  retarget_report report;
  report.from_schema = options.from_schema;
  report.to_schema = options.to_schema;
  report.extensions_considered = options.move_extensions;
  // The list names the input's entries; entries pgarc adds come later.
  if (options.portable.any())
    report.portable = make_portable(contents, options.portable);
  if (options.move_extensions)
    move_extensions(contents, options, report);
  if (options.order_extension_data)
    report.data_dependencies = order_extension_data(contents, options.catalogs);
  return report;
}

namespace {

class insert_rewriter final : public stream_rewriter {
public:
  insert_rewriter(const archive& contents, const retarget_report& report,
                  const retarget_options& options)
      : m_ids(report.rewritten_data), m_moved(report.moved_extensions.begin(), report.moved_extensions.end()) {
    std::set<std::string> kept;
    for (const kept_extension& extension : report.kept_extensions)
      kept.insert(extension.name);
    m_index = std::make_unique<member_index>(contents, m_moved, kept, options.catalogs, options.from_schema);
    m_settings = {options.from_schema, options.to_schema, {}};
    m_settings.lexer.standard_conforming_strings = standard_conforming_strings(contents);
  }
  bool wants(const toc_entry& entry) const override { return m_ids.count(entry.dump_id) > 0; }
  std::string rewrite(const toc_entry& entry, std::string stream) const override {
    return detail::rewrite_references(stream, m_settings, *m_index, entry).text;
  }

private:
  std::set<std::int64_t> m_ids;
  std::set<std::string> m_moved; // the index keeps views of these names
  std::unique_ptr<member_index> m_index;
  rewrite_settings m_settings;
};

} // namespace

std::unique_ptr<stream_rewriter> make_data_rewriter(const archive& contents,
                                                    const retarget_report& report,
                                                    const retarget_options& options) {
  if (report.rewritten_data.empty())
    return nullptr;
  return std::make_unique<insert_rewriter>(contents, report, options);
}

} // namespace pgarc
