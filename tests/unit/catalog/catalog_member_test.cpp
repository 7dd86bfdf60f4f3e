// SPDX-License-Identifier: PostgreSQL
// Tests of member kind names (src/lib/catalog/catalog_member.cpp).
#include <boost/test/unit_test.hpp>

#include "catalog/catalog_member.hpp"

using namespace pgarc::detail;

BOOST_AUTO_TEST_SUITE(catalog_member)

BOOST_AUTO_TEST_CASE(every_kind_name_parses_back_to_its_kind) {
  for (int kind_index = 0; kind_index < static_cast<int>(member_kind::other); ++kind_index) {
    const auto kind = static_cast<member_kind>(kind_index);
    BOOST_TEST_INFO("kind " << member_kind_name(kind));
    BOOST_TEST((parse_member_kind(member_kind_name(kind)) == kind));
  }
}

BOOST_AUTO_TEST_CASE(names_are_the_words_comment_on_uses) {
  BOOST_TEST(member_kind_name(member_kind::operator_) == "operator");
  BOOST_TEST(member_kind_name(member_kind::operator_class) == "operator class");
  BOOST_TEST(member_kind_name(member_kind::text_search_configuration) ==
             "text search configuration");
  BOOST_TEST(member_kind_name(member_kind::foreign_data_wrapper) == "foreign data wrapper");
}

BOOST_AUTO_TEST_CASE(unknown_words_and_other_do_not_parse) {
  BOOST_TEST(!parse_member_kind("policy").has_value());
  BOOST_TEST(!parse_member_kind("Function").has_value());
  BOOST_TEST(!parse_member_kind("").has_value());
  BOOST_TEST(!parse_member_kind("other").has_value());
}

BOOST_AUTO_TEST_CASE(only_the_marker_follows_the_extension_schema) {
  BOOST_TEST((pgarc::detail::catalog_member{member_kind::type, "@extschema@", "citext", ""}
                  .follows_extension_schema()));
  BOOST_TEST(!(pgarc::detail::catalog_member{member_kind::domain, "oracle", "date", ""}
                   .follows_extension_schema()));
  BOOST_TEST(!(pgarc::detail::catalog_member{member_kind::language, "", "plpgsql", ""}
                   .follows_extension_schema()));
}

BOOST_AUTO_TEST_SUITE_END()
