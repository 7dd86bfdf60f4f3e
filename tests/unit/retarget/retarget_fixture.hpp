// SPDX-License-Identifier: PostgreSQL
// Shared by the retarget unit tests: a small in-memory member catalog and
// archives built entry by entry (tests/support/archive_builder).
#pragma once

#include "archive_builder.hpp"
#include "pgarc/retarget.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace pgarc::test::retarget_fixture {

inline memory_catalog& test_catalog() {
  static memory_catalog catalog = [] {
    memory_catalog made("built-in catalog");
    made.add("citext", {"type", "citext", ""});
    made.add("citext", {"operator", "=", "citext, citext"});
    made.add("citext", {"operator", "~~", "citext, citext"});
    made.add("hstore", {"type", "hstore", ""});
    made.add("hstore", {"operator", "->", "hstore, text"});
    made.add("hstore", {"function", "hstore_to_json", "hstore"});
    made.add("pg_trgm", {"function", "similarity", "text, text"});
    made.add("pg_trgm", {"operator class", "gist_trgm_ops", "gist"});
    made.add("pg_trgm", {"operator", "%", "text, text"});
    made.add("uuid-ossp", {"function", "uuid_generate_v4", ""});
    made.add("pgcrypto", {"function", "crypt", "text, text"});
    made.add("pgcrypto", {"function", "gen_salt", "text"});
    made.add("postgis", {"type", "geometry", ""});
    made.add("postgis", {"table", "spatial_ref_sys", ""});
    made.add("tsm_system_rows", {"function", "system_rows", "internal"});
    made.add("unaccent", {"text search template", "unaccent", ""});
    made.add("unaccent", {"function", "unaccent", "text"});
    made.add("unaccent", {"function", "unaccent", "regdictionary, text"});
    made.add("unaccent", {"text search dictionary", "unaccent", ""});
    made.add("hstore", {"function", "hstore", "text, text"});
    // Not in the real unaccent; a configuration member for regconfig literals.
    made.add("unaccent", {"text search configuration", "unaccent_simple", ""});
    made.add("plpgsql", {"language", "plpgsql", ""});
    made.add("intarray", {"operator", "@>", "integer[], integer[]"});
    made.add("hstore", {"operator", "@>", "hstore, hstore"});
    return made;
  }();
  return catalog;
}

inline toc_entry extension(std::int64_t id, const std::string& name, const std::string& schema = "public") {
  const bool quoted = name.find('-') != std::string::npos;
  toc_entry entry = archive_builder::entry(id, "EXTENSION", name, std::nullopt,
                                           "CREATE EXTENSION IF NOT EXISTS " +
                                               (quoted ? "\"" + name + "\"" : name) +
                                               " WITH SCHEMA " + schema + ";\n");
  entry.table_oid = "3079";
  entry.drop_stmt = "DROP EXTENSION " + name + ";\n";
  return entry;
}

inline toc_entry object(std::int64_t id, const std::string& desc, const std::string& tag,
                 const std::string& defn, std::vector<std::string> deps = {},
                 const std::string& schema = "public") {
  toc_entry entry = archive_builder::entry(id, desc, tag, schema, defn);
  entry.owner = "app";
  entry.dependencies = std::move(deps);
  return entry;
}

struct fixture {
  archive contents;
  retarget_options options;

  fixture() {
    contents.header.version = k_vers_1_14;
    contents.entries.push_back(archive_builder::entry(9000, "STDSTRINGS", "STDSTRINGS", std::nullopt,
                                                      std::string("SET standard_conforming_strings = 'on';\n")));
    contents.entries.push_back(archive_builder::entry(9001, "SEARCHPATH", "SEARCHPATH", std::nullopt,
                                                      std::string("SELECT pg_catalog.set_config('search_path', '', false);\n")));
    options.catalogs = {&test_catalog()};
  }
  fixture& add(toc_entry entry) {
    contents.entries.push_back(std::move(entry));
    return *this;
  }
  retarget_report run() { return retarget(contents, options); }
  const toc_entry& find(std::int64_t id) const {
    for (const auto& entry : contents.entries)
      if (entry.dump_id == id)
        return entry;
    throw std::runtime_error("no entry " + std::to_string(id));
  }
  std::string defn(std::int64_t id) const { return find(id).defn.value_or("<NULL>"); }
};

} // namespace pgarc::test::retarget_fixture
