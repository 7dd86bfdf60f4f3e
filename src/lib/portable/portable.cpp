// SPDX-License-Identifier: PostgreSQL
// make_portable and parse_use_list; see include/pgarc/portable.hpp.
#include "pgarc/portable.hpp"

#include "sql/identifiers.hpp"
#include "sql/lexer.hpp"
#include "sql/literals.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace pgarc {

namespace {

/// One significant token of a statement: identifiers normalized (unquoted
/// ones lowercased), strings decoded, anything else as written.
struct word {
  detail::token_kind kind;
  std::string text;
};

std::vector<word> words_of(std::string_view sql, const detail::lexer_options& lexer) {
  std::vector<word> result;
  for (const auto& token : detail::tokenize(sql, lexer)) {
    if (detail::is_insignificant(token.kind))
      continue;
    const std::string_view text = sql.substr(token.range.begin, token.range.end - token.range.begin);
    word item{token.kind, std::string(text)};
    if (token.kind == detail::token_kind::identifier || token.kind == detail::token_kind::quoted_identifier) {
      if (auto name = detail::normalize_identifier(text))
        item.text = *name;
    } else if (token.kind == detail::token_kind::string || token.kind == detail::token_kind::escape_string ||
               token.kind == detail::token_kind::dollar_string) {
      if (auto value = detail::decode_string_literal(text, token.kind, lexer))
        item.text = *value;
    }
    result.push_back(std::move(item));
  }
  return result;
}

bool is_name(const word& item) {
  return item.kind == detail::token_kind::identifier || item.kind == detail::token_kind::quoted_identifier;
}

/// Whether `words` start with the unquoted keywords `keywords`.
bool starts_with(const std::vector<word>& words, std::initializer_list<std::string_view> keywords) {
  if (words.size() < keywords.size())
    return false;
  std::size_t at = 0;
  for (const auto keyword : keywords) {
    if (words[at].kind != detail::token_kind::identifier || words[at].text != keyword)
      return false;
    ++at;
  }
  return true;
}

bool standard_conforming_strings(const archive& contents) {
  for (const auto& entry : contents.entries)
    if (entry.desc_text() == "STDSTRINGS")
      return text_of(entry.defn).find("'on'") != std::string::npos;
  return false;
}

/// NULL for absent strings since pg_dump 12, "" before (see retarget.cpp).
pg_string absent_value(const archive& contents) {
  for (const auto& entry : contents.entries)
    if (entry.desc_text() == "EXTENSION")
      return entry.owner && entry.owner->empty() ? pg_string(std::string()) : std::nullopt;
  return contents.header.version < k_vers_1_14 ? pg_string(std::string()) : std::nullopt;
}

bool is_annotation(const toc_entry& entry) {
  const std::string_view desc = entry.desc_text();
  return desc == "COMMENT" || desc == "ACL" || desc == "SECURITY LABEL" || desc == "ACL LANGUAGE";
}

bool is_acl(const toc_entry& entry) {
  const std::string_view desc = entry.desc_text();
  return desc == "ACL" || desc == "ACL LANGUAGE" || desc == "DEFAULT ACL";
}

/// Entries pg_restore applies whatever a list file says (_tocEntryRequired).
bool always_applied(const toc_entry& entry) {
  const std::string_view desc = entry.desc_text();
  return desc == "ENCODING" || desc == "STDSTRINGS" || desc == "SEARCHPATH";
}

constexpr std::string_view heroku_schema = "_heroku";

/// CREATE EVENT TRIGGER ... EXECUTE FUNCTION|PROCEDURE _heroku.f()
bool runs_heroku_function(const std::vector<word>& words) {
  if (!starts_with(words, {"create", "event", "trigger"}))
    return false;
  for (std::size_t at = 0; at + 3 < words.size(); ++at)
    if (words[at].kind == detail::token_kind::identifier && words[at].text == "execute" &&
        (words[at + 1].text == "function" || words[at + 1].text == "procedure") && is_name(words[at + 2]) &&
        words[at + 2].text == heroku_schema && words[at + 3].text == ".")
      return true;
  return false;
}

/// A candidate for dropping and why; `exempt` ones (plpgsql's, which every
/// database has) are dropped even when kept entries depend on them.
struct candidate {
  portable_reason reason;
  bool exempt = false;
  std::int64_t related = 0;
};

class portable_maker {
public:
  portable_maker(archive& contents, const portable_options& options, portable_report& report)
      : m_contents(contents), m_options(options), m_report(report), m_absent(absent_value(contents)) {
    m_lexer.standard_conforming_strings = standard_conforming_strings(contents);
  }

  void run() {
    if (m_options.list)
      apply_list(*m_options.list);
    if (m_options.no_acl)
      for (const auto& entry : m_contents.entries)
        if (is_acl(entry))
          drop(entry, portable_reason::no_acl);
    erase_dropped();
    if (m_options.portable) {
      drop_foreign_entries();
      rewrite_entries();
    }
    if (m_options.no_owner)
      remove_owners();
  }

private:
  void record(const toc_entry& entry, portable_action action, portable_reason reason, std::int64_t related = 0,
              pg_string before = std::nullopt, pg_string after = std::nullopt) {
    m_report.changes.push_back({entry.dump_id, std::string(entry.desc_text()), std::string(entry.tag_text()), std::string(text_of(entry.namespace_name)),
                                std::string(text_of(entry.owner)), action, reason, related, std::move(before),
                                std::move(after)});
  }

  void drop(const toc_entry& entry, portable_reason reason, std::int64_t related = 0) {
    record(entry, portable_action::dropped, reason, related);
    m_dropped.insert(entry.dump_id);
  }

  /// Removes the entries marked in m_dropped.
  void erase_dropped() {
    std::erase_if(m_contents.entries, [&](const toc_entry& entry) { return m_dropped.count(entry.dump_id) > 0; });
    m_dropped.clear();
  }

  void apply_list(const use_list& list) {
    m_report.ignored_list_lines = list.ignored_lines;
    std::set<std::int64_t> present;
    for (const auto& entry : m_contents.entries) {
      present.insert(entry.dump_id);
      if (!always_applied(entry) && !list.ids.count(entry.dump_id))
        drop(entry, portable_reason::not_in_list);
    }
    for (const auto id : list.ids)
      if (!present.count(id))
        m_report.listed_but_absent.push_back(id);
    erase_dropped();
  }

  /// Seeds: entries that exist only where the archive came from, or that
  /// every database already has.
  std::map<std::int64_t, candidate> find_candidates() {
    std::map<std::int64_t, candidate> found;
    for (const auto& entry : m_contents.entries) {
      const std::string_view desc = entry.desc_text();
      const std::string_view tag = entry.tag_text();
      if (desc == "EXTENSION" && tag == "plpgsql") {
        const auto words = words_of(text_of(entry.defn), m_lexer);
        // CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;
        if (!words.empty() && words[words.size() - 1].text == ";" && words.size() >= 3 &&
            words[words.size() - 2].text == "pg_catalog")
          found[entry.dump_id] = {portable_reason::builtin_plpgsql, true};
      } else if ((desc == "PROCEDURAL LANGUAGE" || desc == "LANGUAGE") && tag == "plpgsql") {
        found[entry.dump_id] = {portable_reason::builtin_plpgsql, true};
      } else if (desc == "COMMENT" && (tag == "EXTENSION plpgsql" || tag == "LANGUAGE plpgsql" ||
                                       tag == "PROCEDURAL LANGUAGE plpgsql")) {
        found[entry.dump_id] = {portable_reason::builtin_plpgsql, true};
      } else if (desc == "COMMENT" && tag == "SCHEMA public") {
        const auto words = words_of(text_of(entry.defn), m_lexer);
        if (words.size() == 7 && starts_with(words, {"comment", "on", "schema"}) && words[3].text == "public" &&
            words[4].text == "is" && words[5].text == "standard public schema" && words[6].text == ";")
          found[entry.dump_id] = {portable_reason::default_schema_comment, true};
      } else if (desc == "EVENT TRIGGER" && runs_heroku_function(words_of(text_of(entry.defn), m_lexer))) {
        found[entry.dump_id] = {portable_reason::heroku_event_trigger};
      } else if ((desc == "SCHEMA" && tag == heroku_schema) ||
                 (text_of(entry.namespace_name) == heroku_schema && !is_annotation(entry))) {
        found[entry.dump_id] = {portable_reason::heroku_object};
      }
    }
    return found;
  }

  /// Drops the candidates, with the comments, ACLs and security labels on
  /// them; keeps those that carry data or that a kept entry needs.
  void drop_foreign_entries() {
    std::map<std::int64_t, candidate> dropping = find_candidates();
    if (dropping.empty())
      return;
    std::map<std::int64_t, const toc_entry*> by_id;
    for (const auto& entry : m_contents.entries)
      by_id[entry.dump_id] = &entry;
    // Annotations of candidates go with them.
    for (const auto& entry : m_contents.entries) {
      if (dropping.count(entry.dump_id) || !is_annotation(entry))
        continue;
      for (const auto& dependency : entry.dependencies) {
        const auto found = dropping.find(std::strtoll(std::string(dependency).c_str(), nullptr, 10));
        if (found != dropping.end()) {
          dropping[entry.dump_id] = {portable_reason::about_dropped_entry, found->second.exempt, found->first};
          break;
        }
      }
    }
    // Never data, never what a kept entry needs (to a fixed point: what a
    // retained entry needs is retained too).
    for (auto found = dropping.begin(); found != dropping.end();) {
      const toc_entry& entry = *by_id.at(found->first);
      if (entry.has_data()) {
        m_report.retained.push_back({entry.dump_id, std::string(entry.desc_text()), std::string(entry.tag_text()), found->second.reason,
                                     retained_reason::carries_data, 0, {}, {}});
        found = dropping.erase(found);
      } else {
        ++found;
      }
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& entry : m_contents.entries) {
        if (dropping.count(entry.dump_id))
          continue;
        for (const auto& dependency : entry.dependencies) {
          const auto found = dropping.find(std::strtoll(std::string(dependency).c_str(), nullptr, 10));
          if (found == dropping.end() || found->second.exempt)
            continue;
          const toc_entry& needed = *by_id.at(found->first);
          m_report.retained.push_back({needed.dump_id, std::string(needed.desc_text()), std::string(needed.tag_text()), found->second.reason,
                                       retained_reason::needed_by, entry.dump_id, std::string(entry.desc_text()),
                                       std::string(entry.tag_text())});
          dropping.erase(found);
          changed = true;
        }
      }
    }
    // An annotation stays with an entry that stayed (it was never a seed).
    for (auto found = dropping.begin(); found != dropping.end();) {
      if (found->second.reason == portable_reason::about_dropped_entry && !dropping.count(found->second.related))
        found = dropping.erase(found);
      else
        ++found;
    }
    for (const auto& entry : m_contents.entries) {
      const auto found = dropping.find(entry.dump_id);
      if (found != dropping.end())
        drop(entry, found->second.reason, found->second.related);
    }
    erase_dropped();
  }

  void rewrite_entries() {
    for (auto& entry : m_contents.entries) {
      const std::string_view desc = entry.desc_text();
      if (desc == "SCHEMA" && entry.tag_text() == "public")
        make_public_conditional(entry);
      else if (desc == "COMMENT" && entry.tag_text().rfind("EXTENSION ", 0) == 0)
        guard_extension_comment(entry);
      else if (desc == "EXTENSION" && entry.owner && !entry.owner->empty()) {
        record(entry, portable_action::owner_removed, portable_reason::extension_owner, 0, entry.owner, m_absent);
        entry.owner = m_absent;
      }
    }
  }

  /// CREATE SCHEMA public [AUTHORIZATION role]; as pg_dump 9.x and 10 write
  /// it: created only where it is missing, never dropped. The
  /// definition starts with a comment so that pg_restore --no-owner keeps it
  /// (see _printTocEntry).
  void make_public_conditional(toc_entry& entry) {
    const std::string defn(text_of(entry.defn));
    if (defn.rfind("--", 0) == 0)
      return; // pg_dump's placeholder, or already conditional
    const auto words = words_of(defn, m_lexer);
    const bool plain = words.size() == 4 && words[3].text == ";";
    const bool with_role = words.size() == 6 && words[3].kind == detail::token_kind::identifier &&
                           words[3].text == "authorization" && words[5].text == ";";
    if (!starts_with(words, {"create", "schema"}) || words[2].text != "public" || !(plain || with_role))
      return;
    const std::string quoted = words[2].kind == detail::token_kind::quoted_identifier ? "\"public\"" : "public";
    const std::string after = "-- pgarc-retarget: every database has schema " + quoted +
                              "; create it only where it does not exist\n"
                              "CREATE SCHEMA IF NOT EXISTS " + quoted + ";\n";
    record(entry, portable_action::rewritten, portable_reason::schema_in_every_database, 0, entry.defn, after);
    entry.defn = after;
    entry.drop_stmt = "-- pgarc-retarget: not dropping schema " + quoted + ", which every database has\n";
    // The owner stays (ALTER SCHEMA public OWNER TO, as the original sets
    // it); --no-owner removes it with the others.
  }

  /// COMMENT ON EXTENSION x IS '...': applied only where the restoring role
  /// owns x (or is a superuser). pg_dump writes the comment CREATE EXTENSION
  /// already set; a role that does not own an extension the target already
  /// has (created by the platform, or by another role) cannot set it, and
  /// the restore would end with "must be owner of extension".
  void guard_extension_comment(toc_entry& entry) {
    const std::string defn(text_of(entry.defn));
    if (defn.rfind("--", 0) == 0)
      return;
    const auto words = words_of(defn, m_lexer);
    if (words.size() != 7 || !starts_with(words, {"comment", "on", "extension"}) || !is_name(words[3]) ||
        words[4].text != "is" || words[6].text != ";")
      return;
    std::string outer = "pgarc";
    while (defn.find("$" + outer + "$") != std::string::npos || defn.find("$" + outer + "_c$") != std::string::npos)
      outer += "_";
    const std::string inner = outer + "_c";
    std::string statement = defn;
    while (!statement.empty() && (statement.back() == '\n' || statement.back() == ';'))
      statement.pop_back();
    const std::string after =
        "-- pgarc-retarget: set only where the restoring role owns the extension\n"
        "DO $" + outer + "$\nBEGIN\n"
        "  IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = " +
        detail::quote_string_literal(words[3].text, m_lexer.standard_conforming_strings) +
        "\n             AND pg_catalog.pg_has_role(extowner, 'USAGE')) THEN\n"
        "    EXECUTE $" + inner + "$" + statement + "$" + inner + "$;\n"
        "  END IF;\nEND\n$" + outer + "$;\n";
    record(entry, portable_action::rewritten, portable_reason::extension_comment, 0, entry.defn, after);
    entry.defn = after;
  }

  void remove_owners() {
    for (auto& entry : m_contents.entries) {
      if (!entry.owner || entry.owner->empty())
        continue;
      record(entry, portable_action::owner_removed, portable_reason::no_owner, 0, entry.owner, m_absent);
      entry.owner = m_absent;
      // pg_dump before 8.x wrote CREATE SCHEMA s AUTHORIZATION r (what
      // pg_restore --no-owner replaces with a plain CREATE SCHEMA).
      if (entry.desc_text() == "SCHEMA" && text_of(entry.defn).rfind("--", 0) != 0) {
        const std::string defn(text_of(entry.defn));
        const auto words = words_of(defn, m_lexer);
        if (words.size() == 6 && starts_with(words, {"create", "schema"}) && words[3].text == "authorization" &&
            words[5].text == ";") {
          const std::string after = "CREATE SCHEMA " + detail::quote_identifier(words[2].text) + ";\n";
          record(entry, portable_action::rewritten, portable_reason::no_owner, 0, entry.defn, after);
          entry.defn = after;
        }
      }
    }
  }

  archive& m_contents;
  const portable_options& m_options;
  portable_report& m_report;
  pg_string m_absent;
  detail::lexer_options m_lexer;
  std::set<std::int64_t> m_dropped;
};

} // namespace

use_list parse_use_list(std::string_view text) {
  use_list result;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    std::string line(text.substr(start, end - start));
    start = end + 1;
    // Truncate at a comment; skip blank lines (SortTocFromFile).
    if (const auto comment = line.find(';'); comment != std::string::npos)
      line.resize(comment);
    if (line.find_first_not_of(" \t\r\n") == std::string::npos)
      continue;
    const char* begin = line.c_str();
    char* parsed_end = nullptr;
    const long long id = std::strtoll(begin, &parsed_end, 10);
    if (parsed_end == begin || id <= 0 || result.ids.count(id)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.pop_back();
      result.ignored_lines.push_back(line);
      continue;
    }
    result.ids.insert(id);
  }
  return result;
}

portable_report make_portable(archive& contents, const portable_options& options) {
  portable_report report;
  portable_maker(contents, options, report).run();
  return report;
}

std::vector<data_dependency> order_extension_data(archive& contents,
                                                  const std::vector<const extension_catalog*>& catalogs) {
  detail::lexer_options lexer;
  lexer.standard_conforming_strings = standard_conforming_strings(contents);
  // Extension -> the schema it is created in, from CREATE EXTENSION ... WITH SCHEMA s.
  std::map<std::string, std::string> schema_of;
  for (const auto& entry : contents.entries) {
    if (entry.desc_text() != "EXTENSION")
      continue;
    const auto words = words_of(text_of(entry.defn), lexer);
    for (std::size_t at = 0; at + 2 < words.size(); ++at)
      if (words[at].kind == detail::token_kind::identifier && words[at].text == "with" &&
          words[at + 1].kind == detail::token_kind::identifier && words[at + 1].text == "schema" &&
          is_name(words[at + 2]))
        schema_of[std::string(entry.tag_text())] = words[at + 2].text;
  }
  // (schema, table) of every configuration table the catalogs know -> its extension.
  std::map<std::pair<std::string, std::string>, std::string> member_table;
  for (const auto& [extension, schema] : schema_of) {
    for (const extension_catalog* catalog : catalogs) {
      if (!catalog || !catalog->knows(extension))
        continue;
      for (const auto& member : catalog->members(extension))
        if (member.kind == "table")
          member_table[{schema, member.name}] = extension;
      break;
    }
  }
  if (member_table.empty())
    return {};
  // A TABLE entry of that name is a user table, not a member.
  for (const auto& entry : contents.entries)
    if (entry.desc_text() == "TABLE")
      member_table.erase({std::string(text_of(entry.namespace_name)), std::string(entry.tag_text())});
  std::vector<data_dependency> added;
  std::map<std::string, const toc_entry*> previous;
  for (auto& entry : contents.entries) {
    if (entry.desc_text() != "TABLE DATA" || !entry.has_data())
      continue;
    const auto found = member_table.find({std::string(text_of(entry.namespace_name)), std::string(entry.tag_text())});
    if (found == member_table.end())
      continue;
    const toc_entry*& before = previous[found->second];
    if (before) {
      const std::string id = std::to_string(before->dump_id);
      if (std::find(entry.dependencies.begin(), entry.dependencies.end(), id) == entry.dependencies.end()) {
        entry.dependencies.push_back(id);
        added.push_back({entry.dump_id, std::string(text_of(entry.namespace_name)), std::string(entry.tag_text()), before->dump_id,
                         std::string(before->tag_text()), found->second, data_order_source::extension_configuration});
      }
    }
    before = &entry;
  }
  return added;
}

} // namespace pgarc
