// SPDX-License-Identifier: PostgreSQL
// Tests of the catalog compiled into the library
// (src/lib/catalog/builtin_catalog.cpp and extension_members.tsv).
#include <boost/test/unit_test.hpp>

#include "catalog/builtin_catalog.hpp"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

using namespace pgarc::detail;

namespace {

// The member of `extension` with this kind, name and identity, or nullptr.
const pgarc::detail::catalog_member* find_member(std::string_view extension, member_kind kind,
                                                 std::string_view name, std::string_view identity) {
  for (const auto& member : builtin_members(extension)) {
    if (member.kind == kind && member.name == name && member.identity == identity)
      return &member;
  }
  return nullptr;
}

bool has_member(std::string_view extension, member_kind kind, std::string_view name,
                std::string_view identity = "") {
  const auto* member = find_member(extension, kind, name, identity);
  BOOST_TEST_INFO("looking for " << member_kind_name(kind) << " " << name << "(" << identity
                                 << ") in " << extension);
  return member != nullptr;
}

} // namespace

BOOST_AUTO_TEST_SUITE(builtin_catalog)

BOOST_AUTO_TEST_CASE(citext_has_its_type_and_casts) {
  BOOST_TEST(has_member("citext", member_kind::type, "citext"));
  BOOST_TEST(has_member("citext", member_kind::cast, "citext AS text", "citext, text"));
  BOOST_TEST(builtin_version("citext").value() == "1.6");
}

BOOST_AUTO_TEST_CASE(pg_trgm_has_function_operator_and_operator_class) {
  BOOST_TEST(has_member("pg_trgm", member_kind::function, "similarity", "text, text"));
  BOOST_TEST(has_member("pg_trgm", member_kind::operator_, "%", "text, text"));
  BOOST_TEST(has_member("pg_trgm", member_kind::operator_class, "gin_trgm_ops", "gin"));
  BOOST_TEST(has_member("pg_trgm", member_kind::operator_family, "gist_trgm_ops", "gist"));
}

BOOST_AUTO_TEST_CASE(hstore_has_arrow_operator_overloads) {
  BOOST_TEST(has_member("hstore", member_kind::operator_, "->", "hstore, text"));
  BOOST_TEST(has_member("hstore", member_kind::operator_, "->", "hstore, text[]"));
  BOOST_TEST(has_member("hstore", member_kind::operator_, "%%", "NONE, hstore"));
}

BOOST_AUTO_TEST_CASE(uuid_ossp_has_generator_functions) {
  BOOST_TEST(has_member("uuid-ossp", member_kind::function, "uuid_generate_v4"));
  BOOST_TEST(has_member("uuid-ossp", member_kind::function, "uuid_generate_v5", "uuid, text"));
}

BOOST_AUTO_TEST_CASE(postgis_has_geometry_and_spatial_ref_sys) {
  BOOST_TEST(has_member("postgis", member_kind::type, "geometry"));
  BOOST_TEST(has_member("postgis", member_kind::table, "spatial_ref_sys"));
  BOOST_TEST(has_member("postgis", member_kind::function, "st_distance", "geometry, geometry"));
  BOOST_TEST(builtin_members("postgis_raster").size() > 100u);
  BOOST_TEST(has_member("postgis_topology", member_kind::type, "topogeometry"));
}

BOOST_AUTO_TEST_CASE(type_names_in_identities_carry_no_schema) {
  for (const auto& entry : pgarc::detail::builtin_catalog().extensions()) {
    for (const auto& member : entry.members) {
      BOOST_TEST_INFO(entry.name << ": " << member_kind_name(member.kind) << " " << member.name);
      BOOST_TEST(member.identity.find("public.") == std::string_view::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(members_outside_the_extension_schema_name_their_schema) {
  const auto* date = find_member("orafce", member_kind::domain, "date", "");
  BOOST_TEST_REQUIRE(date != nullptr);
  BOOST_TEST(date->schema == "oracle");
  BOOST_TEST(!date->follows_extension_schema());
  const auto* similarity =
      find_member("pg_trgm", member_kind::function, "similarity", "text, text");
  BOOST_TEST_REQUIRE(similarity != nullptr);
  BOOST_TEST(similarity->follows_extension_schema());
  const auto* language = find_member("plpgsql", member_kind::language, "plpgsql", "");
  BOOST_TEST_REQUIRE(language != nullptr);
  BOOST_TEST(language->schema.empty());
}

BOOST_AUTO_TEST_CASE(unknown_extension_gives_nothing) {
  BOOST_TEST(builtin_members("no_such_extension").empty());
  BOOST_TEST(!builtin_version("no_such_extension").has_value());
  BOOST_TEST(builtin_members("").empty());
  BOOST_TEST(builtin_members_named(member_kind::function, "no_such_function").empty());
}

BOOST_AUTO_TEST_CASE(extension_without_members_is_still_known) {
  BOOST_TEST(builtin_version("pgauditlogtofile").has_value());
  BOOST_TEST(builtin_members("pgauditlogtofile").empty());
}

BOOST_AUTO_TEST_CASE(reverse_lookup_finds_pg_trgm_for_similarity) {
  std::vector<std::string> owners;
  for (const member_ref& ref : builtin_members_named(member_kind::function, "similarity"))
    owners.emplace_back(ref.extension->name);
  BOOST_TEST(std::count(owners.begin(), owners.end(), "pg_trgm") == 1);
  for (const member_ref& ref : builtin_members_named(member_kind::type, "citext"))
    BOOST_TEST(ref.extension->name == "citext");
  BOOST_TEST(builtin_members_named(member_kind::type, "citext").size() == 1u);
}

BOOST_AUTO_TEST_CASE(reverse_lookup_lists_every_extension_with_the_name) {
  std::vector<std::string> owners;
  for (const member_ref& ref : builtin_members_named(member_kind::function, "geometry"))
    owners.emplace_back(ref.extension->name);
  owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
  BOOST_TEST(owners ==
                 (std::vector<std::string>{"pointcloud_postgis", "postgis", "postgis_topology"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_row_has_a_known_kind_and_is_reachable_by_name) {
  const auto& catalog = pgarc::detail::builtin_catalog();
  std::size_t members = 0;
  for (const auto& entry : catalog.extensions()) {
    for (const auto& member : entry.members) {
      ++members;
      BOOST_TEST_INFO(entry.name << ": " << member.name);
      BOOST_TEST((member.kind != member_kind::other));
      const auto named = catalog.members_named(member.kind, member.name);
      BOOST_TEST(std::any_of(named.begin(), named.end(),
                             [&member](const member_ref& ref) { return ref.member == &member; }));
    }
  }
  BOOST_TEST(members == catalog.member_count());
  BOOST_TEST(members > 8000u);
}

BOOST_AUTO_TEST_CASE(builtin_tables_are_in_catalog_order) {
  // tools/embed-extension-catalog writes the tables in the order the catalog
  // keeps them (extensions by name; members by kind, name, identity, schema)
  // and the catalog trusts it, sorting nothing at start-up. Out of order, the
  // binary searches would miss members: this is what notices.
  const auto& catalog = pgarc::detail::builtin_catalog();
  const auto extensions = catalog.extensions();
  BOOST_TEST_REQUIRE(extensions.size() > 40u);
  std::size_t out_of_order = 0;
  for (std::size_t index = 1; index < extensions.size(); ++index)
    out_of_order += !(extensions[index - 1].name < extensions[index].name);
  auto key = [](const pgarc::detail::catalog_member& member) {
    return std::tuple(member.kind, member.name, member.identity, member.schema);
  };
  for (const auto& extension : extensions)
    for (std::size_t index = 1; index < extension.members.size(); ++index)
      out_of_order += key(extension.members[index]) < key(extension.members[index - 1]);
  BOOST_TEST(out_of_order == 0u);
  // Each extension is found by name, with its own members.
  for (const auto& extension : extensions) {
    BOOST_TEST_INFO(extension.name);
    BOOST_TEST(catalog.find_extension(extension.name) == &extension);
  }
}

BOOST_AUTO_TEST_SUITE_END()
