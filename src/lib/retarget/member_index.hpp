// SPDX-License-Identifier: PostgreSQL
// Decides whether a name qualified with the source schema belongs to a moved
// extension, combining the catalogs, the archive's own definitions (a user
// object of that name) and the archive's evidence (an entry that depends on a
// moved EXTENSION entry and names something no entry defines).
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/catalog.hpp"
#include "pgarc/retarget.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace pgarc::detail {

/// One way a name could be meant: an extension member or a user object.
/// Views of what outlives the index: the moved extensions' names, the
/// catalogs, static strings.
struct name_candidate {
  std::string_view extension; ///< empty for a user object defined in the archive
  std::string_view kind;      ///< catalog kind, or the entry's desc for user objects
  int arity = -1;             ///< argument count of functions, -1 when unknown or not a function
  std::string_view source;    ///< catalog description; "" for a user object
};

/// Where a name stands in the SQL text, as far as it helps to choose.
struct name_use {
  bool is_operator = false;
  int call_arity = -1; ///< arguments written in a following (...), -1 when none
  /// Written where SQL names a relation (FROM, JOIN, ON, TABLE, INTO, ...):
  /// extensions rarely own relations, so archive evidence is not enough there.
  bool is_relation_position = false;
};

struct member_verdict {
  std::string extension;
  decision_source source = decision_source::catalog;
  std::string catalog; ///< the catalog's description; "" for archive evidence
  bool by_argument_count = false;
};

/// Why a name that may be a moved member was left as it was.
struct member_ambiguity {
  std::string name;
  std::string extension;   ///< the moved extension that has a member of that name
  std::string user_object; ///< the kind of the user object of that name; "" when an extension that stays has one
};

class member_index {
public:
  /// `moved` are the extensions being moved (names as in CREATE EXTENSION);
  /// `kept` those created in the same source schema that stay there.
  /// `moved` and `catalogs` must outlive the index.
  member_index(const archive& contents, const std::set<std::string>& moved,
               const std::set<std::string>& kept,
               const std::vector<const extension_catalog*>& catalogs, std::string from_schema);

  /// The verdict for `name` used in `entry`: a moved extension's member, or
  /// nothing (a user object, unknown, or ambiguous; `ambiguous` then says why).
  std::optional<member_verdict> decide(std::string_view name, const name_use& use,
                                       const toc_entry& entry, member_ambiguity* ambiguous) const;

  /// Whether any moved extension has a member with this name (any kind).
  bool is_member_name(std::string_view name) const;
  /// Dump ids of the moved EXTENSION entries, by extension name.
  const std::map<std::string, std::int64_t, std::less<>>& extension_ids() const { return m_extension_ids; }
  /// The moved extensions an entry depends on ("citext", or "one of citext,
  /// hstore"), or nothing if it depends on none.
  std::optional<std::string> depended_extension(const toc_entry& entry) const;

private:
  /// Hashes std::string and std::string_view alike, for lookups by view.
  struct name_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  /// Keyed by views: of the catalogs' member names, and for user objects of
  /// the same keys (only names a moved member has are kept).
  std::unordered_map<std::string_view, std::vector<name_candidate>> m_members;
  std::unordered_map<std::string_view, std::vector<name_candidate>> m_user_objects;
  std::unordered_set<std::string, name_hash, std::equal_to<>> m_defined_anywhere;
  std::map<std::string, std::int64_t, std::less<>> m_extension_ids;
  std::map<std::string, std::string, std::less<>> m_extension_by_id;
  /// Extensions in the archive that stay, and the member names of those
  /// that stay in the source schema (so share its qualified names).
  std::set<std::string, std::less<>> m_unmoved_extension_ids;
  std::set<std::string, std::less<>> m_unmoved_member_names;
};

/// Argument count of a function identity ("text, text" -> 2, "" -> 0).
int identity_arity(std::string_view identity);
/// For a TOC tag "name(args)" the name and argument count, else (tag, -1).
std::pair<std::string, int> split_signature(std::string_view tag);

} // namespace pgarc::detail
