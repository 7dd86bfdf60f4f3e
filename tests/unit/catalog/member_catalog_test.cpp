// SPDX-License-Identifier: PostgreSQL
// Tests of building and searching an extension catalog
// (src/lib/catalog/member_catalog.cpp), on rows written here.
#include <boost/test/unit_test.hpp>

#include "catalog/member_catalog.hpp"

#include <memory>
#include <string>
#include <vector>

using namespace pgarc::detail;

namespace {

// Deliberately out of order: the builder must group and sort.
const std::vector<catalog_row> sample_rows = {
    {"pg_trgm", "1.6", "operator class", "@extschema@", "gin_trgm_ops", "gin"},
    {"citext", "1.6", "function", "@extschema@", "regexp_match", "citext, citext, text"},
    {"pg_trgm", "1.6", "function", "@extschema@", "similarity", "text, text"},
    {"citext", "1.6", "type", "@extschema@", "citext", ""},
    {"citext", "1.6", "extension", "", "citext", ""},
    {"quiet", "0.9", "extension", "", "quiet", ""},
    {"citext", "1.6", "function", "@extschema@", "regexp_match", "citext, citext"},
    {"pg_trgm", "1.6", "operator family", "@extschema@", "gin_trgm_ops", "gin"},
    {"citext", "1.6", "function", "@extschema@", "citext", "boolean"},
    {"other_trgm", "2.0", "function", "trgm", "similarity", "text, text"},
    {"pg_trgm", "1.6", "policy", "@extschema@", "odd", ""},
};

std::vector<std::string> extension_names(std::span<const member_ref> refs) {
  std::vector<std::string> names;
  for (const member_ref& ref : refs)
    names.emplace_back(ref.extension->name);
  return names;
}

} // namespace

BOOST_AUTO_TEST_SUITE(member_catalog)

BOOST_AUTO_TEST_CASE(extensions_are_sorted_by_name_with_their_versions) {
  const auto catalog = make_member_catalog(sample_rows);
  std::vector<std::string> names;
  for (const catalog_extension& entry : catalog.extensions())
    names.emplace_back(entry.name);
  BOOST_TEST(names == (std::vector<std::string>{"citext", "other_trgm", "pg_trgm", "quiet"}),
             boost::test_tools::per_element());
  BOOST_TEST(catalog.version("other_trgm").value() == "2.0");
  BOOST_TEST(catalog.member_count() == 9u);
}

BOOST_AUTO_TEST_CASE(members_are_sorted_by_kind_name_and_identity_without_the_extension_row) {
  const auto catalog = make_member_catalog(sample_rows);
  const auto members = catalog.members("citext");
  BOOST_TEST_REQUIRE(members.size() == 4u);
  BOOST_TEST((members[0].kind == member_kind::type));
  BOOST_TEST((members[1].kind == member_kind::function));
  BOOST_TEST(members[1].name == "citext");
  BOOST_TEST(members[2].identity == "citext, citext");
  BOOST_TEST(members[3].identity == "citext, citext, text");
}

BOOST_AUTO_TEST_CASE(extension_without_members_is_known) {
  const auto catalog = make_member_catalog(sample_rows);
  BOOST_TEST(catalog.find_extension("quiet") != nullptr);
  BOOST_TEST(catalog.version("quiet").value() == "0.9");
  BOOST_TEST(catalog.members("quiet").empty());
}

BOOST_AUTO_TEST_CASE(unknown_extension_has_no_members_and_no_version) {
  const auto catalog = make_member_catalog(sample_rows);
  BOOST_TEST(catalog.find_extension("hstore") == nullptr);
  BOOST_TEST(catalog.members("hstore").empty());
  BOOST_TEST(!catalog.version("hstore").has_value());
  BOOST_TEST(catalog.members("pg_trg").empty());
}

BOOST_AUTO_TEST_CASE(unknown_kind_becomes_other) {
  const auto catalog = make_member_catalog(sample_rows);
  const auto odd = catalog.members_named("odd");
  BOOST_TEST_REQUIRE(odd.size() == 1u);
  BOOST_TEST((odd[0].member->kind == member_kind::other));
}

BOOST_AUTO_TEST_CASE(name_lookup_finds_every_extension_and_overload) {
  const auto catalog = make_member_catalog(sample_rows);
  const auto similarity = catalog.members_named(member_kind::function, "similarity");
  BOOST_TEST(extension_names(similarity) == (std::vector<std::string>{"other_trgm", "pg_trgm"}),
             boost::test_tools::per_element());
  BOOST_TEST(similarity[0].member->schema == "trgm");
  BOOST_TEST(catalog.members_named(member_kind::function, "regexp_match").size() == 2u);
  BOOST_TEST(catalog.members_named(member_kind::aggregate, "similarity").empty());
  BOOST_TEST(catalog.members_named(member_kind::function, "Similarity").empty());
}

BOOST_AUTO_TEST_CASE(name_lookup_without_kind_returns_all_kinds) {
  const auto catalog = make_member_catalog(sample_rows);
  const auto ops = catalog.members_named("gin_trgm_ops");
  BOOST_TEST_REQUIRE(ops.size() == 2u);
  BOOST_TEST((ops[0].member->kind == member_kind::operator_class));
  BOOST_TEST((ops[1].member->kind == member_kind::operator_family));
  const auto citext = catalog.members_named("citext");
  BOOST_TEST_REQUIRE(citext.size() == 2u);
  BOOST_TEST((citext[0].member->kind == member_kind::type));
}

BOOST_AUTO_TEST_CASE(default_catalog_is_empty) {
  const pgarc::detail::member_catalog catalog;
  BOOST_TEST(catalog.extensions().empty());
  BOOST_TEST(catalog.members("citext").empty());
  BOOST_TEST(catalog.members_named("citext").empty());
  BOOST_TEST(catalog.member_count() == 0u);
}

BOOST_AUTO_TEST_CASE(catalog_keeps_the_owner_of_its_text) {
  pgarc::detail::member_catalog copy;
  {
    auto text = std::make_shared<std::string>("citext\t1.6\ttype\t@extschema@\tcitext\t");
    const std::string_view view(*text);
    const std::vector<catalog_row> rows = {{view.substr(0, 6), view.substr(7, 3),
                                            view.substr(11, 4), view.substr(16, 11),
                                            view.substr(28, 6), view.substr(35)}};
    const auto catalog = make_member_catalog(rows, text);
    copy = catalog;
  }
  const auto members = copy.members("citext");
  BOOST_TEST_REQUIRE(members.size() == 1u);
  BOOST_TEST(members[0].name == "citext");
  BOOST_TEST(members[0].follows_extension_schema());
}

BOOST_AUTO_TEST_SUITE_END()
