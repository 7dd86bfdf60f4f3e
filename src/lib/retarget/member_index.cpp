// SPDX-License-Identifier: PostgreSQL
// member_index: which names belong to moved extensions; see member_index.hpp.
#include "retarget/member_index.hpp"


#include <algorithm>

namespace pgarc::detail {

namespace {

bool is_function_kind(std::string_view kind) {
  return kind == "function" || kind == "aggregate" || kind == "procedure" ||
         kind == "FUNCTION" || kind == "AGGREGATE" || kind == "PROCEDURE";
}

/// TOC descs that define a named object in their namespace.
/// `desc` as a string of static storage when it is that of an entry that
/// defines a named object in a schema; empty for any other.
std::string_view object_desc(std::string_view desc) {
  static const std::set<std::string_view> descs = {
      "TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "SEQUENCE", "TYPE", "DOMAIN",
      "FUNCTION", "PROCEDURE", "AGGREGATE", "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY",
      "COLLATION", "CONVERSION", "TEXT SEARCH DICTIONARY", "TEXT SEARCH CONFIGURATION",
      "TEXT SEARCH TEMPLATE", "TEXT SEARCH PARSER", "SHELL TYPE"};
  const auto found = descs.find(desc);
  return found == descs.end() ? std::string_view() : *found;
}

} // namespace

int identity_arity(std::string_view identity) {
  // Types in an identity never contain commas outside parentheses except as
  // separators (numeric(10,2) has them inside), so count at depth 0.
  bool any = false;
  int depth = 0, commas = 0;
  for (char character : identity) {
    if (character == '(')
      ++depth;
    else if (character == ')')
      --depth;
    else if (character == ',' && depth == 0)
      ++commas;
    if (character != ' ')
      any = true;
  }
  return any ? commas + 1 : 0;
}

std::pair<std::string, int> split_signature(std::string_view tag) {
  const auto open = tag.find('(');
  if (open == std::string_view::npos || tag.empty() || tag.back() != ')')
    return {std::string(tag), -1};
  return {std::string(tag.substr(0, open)),
          identity_arity(tag.substr(open + 1, tag.size() - open - 2))};
}

member_index::member_index(const archive& contents, const std::set<std::string>& moved,
                           const std::set<std::string>& kept,
                           const std::vector<const extension_catalog*>& catalogs,
                           std::string from_schema) {
  for (const auto& entry : contents.entries) {
    if (entry.desc_text() != "EXTENSION")
      continue;
    if (moved.count(std::string(entry.tag_text()))) {
      m_extension_ids[std::string(entry.tag_text())] = entry.dump_id;
      m_extension_by_id[std::to_string(entry.dump_id)] = entry.tag_text();
      continue;
    }
    m_unmoved_extension_ids.insert(std::to_string(entry.dump_id));
    if (!kept.count(std::string(entry.tag_text())))
      continue;
    for (const extension_catalog* catalog : catalogs) {
      if (!catalog || !catalog->knows(entry.tag_text()))
        continue;
      for (const auto& member : catalog->members(entry.tag_text()))
        m_unmoved_member_names.insert(member.name);
      break;
    }
  }
  // The first catalog that knows an extension describes it: a live catalog
  // is exact for the installed version, the built-in one a fallback.
  for (const auto& extension : moved) {
    for (const extension_catalog* catalog : catalogs) {
      if (!catalog || !catalog->knows(extension))
        continue;
      for (const auto& member : catalog->members(extension)) {
        const int arity = is_function_kind(member.kind) ? identity_arity(member.identity) : -1;
        m_members[std::string_view(member.name)].push_back(
            {extension, member.kind, arity, catalog->description()});
      }
      break;
    }
  }
  for (const auto& entry : contents.entries) {
    const std::string_view desc = entry.desc_text();
    if (!entry.namespace_name || entry.namespace_name->empty())
      continue;
    auto [name, arity] = split_signature(entry.tag_text());
    if (desc == "OPERATOR CLASS" || desc == "OPERATOR FAMILY") {
      const auto using_at = name.find(" USING ");
      if (using_at != std::string::npos)
        name.resize(using_at);
    }
    // Every object name an entry carries (indexes, constraints' tables too)
    // rules out the archive-evidence guess for that name.
    m_defined_anywhere.insert(name.substr(0, name.find(' ')));
    const std::string_view kind = object_desc(desc);
    if (kind.empty() || text_of(entry.namespace_name) != from_schema)
      continue;
    // A user object is weighed against the moved members of its name; of
    // any other name, only that it is defined counts.
    if (const auto member = m_members.find(name); member != m_members.end())
      m_user_objects[member->first].push_back({"", kind, is_function_kind(kind) ? arity : -1, ""});
    else
      m_defined_anywhere.insert(name);
  }
}

bool member_index::is_member_name(std::string_view name) const {
  return m_members.find(name) != m_members.end();
}

std::optional<std::string> member_index::depended_extension(const toc_entry& entry) const {
  std::set<std::string> found;
  for (const auto& dependency : entry.dependencies) {
    auto match = m_extension_by_id.find(dependency);
    if (match != m_extension_by_id.end())
      found.insert(match->second);
  }
  if (found.empty())
    return std::nullopt;
  if (found.size() == 1)
    return *found.begin();
  std::string names;
  for (const auto& name : found)
    names += (names.empty() ? "one of " : ", ") + name;
  return names;
}

std::optional<member_verdict> member_index::decide(std::string_view name, const name_use& use,
                                                   const toc_entry& entry,
                                                   member_ambiguity* ambiguous) const {
  const auto members = m_members.find(name);
  const auto users = m_user_objects.find(name);
  if (members == m_members.end()) {
    // Archive evidence: the entry uses moved extensions and no other, and
    // nothing in the archive (nor a staying extension) defines this name,
    // so it can only be one of theirs.
    if (use.is_relation_position || users != m_user_objects.end() ||
        m_defined_anywhere.count(name) || m_unmoved_member_names.count(name))
      return std::nullopt;
    for (const auto& dependency : entry.dependencies)
      if (m_unmoved_extension_ids.count(dependency))
        return std::nullopt;
    if (auto extension = depended_extension(entry))
      return member_verdict{*extension, decision_source::archive_evidence, {}, false};
    return std::nullopt;
  }
  std::vector<const name_candidate*> ext_matches;
  for (const auto& candidate : members->second)
    if (use.is_operator == (candidate.kind == "operator"))
      ext_matches.push_back(&candidate);
  if (ext_matches.empty())
    return std::nullopt;
  // An extension that stays in the source schema has a member of that name
  // too (operators such as = or @> are everywhere): it cannot be told which.
  if (m_unmoved_member_names.count(name)) {
    if (ambiguous)
      *ambiguous = {std::string(name), std::string(ext_matches.front()->extension), {}};
    return std::nullopt;
  }
  if (users == m_user_objects.end())
    return member_verdict{std::string(ext_matches.front()->extension), decision_source::catalog,
                          std::string(ext_matches.front()->source), false};

  // A user object shares the name: an overload (similarity(text,text,integer)
  // beside pg_trgm's similarity(text,text)). Choose by the arguments written.
  if (use.call_arity >= 0) {
    auto arity_matches = [&](const name_candidate& candidate) {
      return candidate.arity == use.call_arity;
    };
    const bool extension_fits = std::any_of(
        ext_matches.begin(), ext_matches.end(),
        [&](const name_candidate* candidate) { return arity_matches(*candidate); });
    const bool user_fits =
        std::any_of(users->second.begin(), users->second.end(), arity_matches);
    if (extension_fits && !user_fits) {
      for (const auto* candidate : ext_matches)
        if (arity_matches(*candidate))
          return member_verdict{std::string(candidate->extension), decision_source::catalog,
                                std::string(candidate->source), true};
    }
    if (user_fits && !extension_fits)
      return std::nullopt;
  }
  if (ambiguous)
    *ambiguous = {std::string(name), std::string(ext_matches.front()->extension),
                  std::string(users->second.front().kind)};
  return std::nullopt;
}

} // namespace pgarc::detail
