// SPDX-License-Identifier: PostgreSQL
// Tests of the keyword table (src/lib/sql/keywords.cpp).
#include <boost/test/unit_test.hpp>

#include "sql/keywords.hpp"
#include "sql_printing.hpp"

#include <algorithm>

using namespace pgarc::detail;

BOOST_AUTO_TEST_SUITE(sql_keywords)

BOOST_AUTO_TEST_CASE(keywords_have_the_grammar_categories) {
  BOOST_TEST((find_keyword("select") == keyword_category::reserved));
  BOOST_TEST((find_keyword("user") == keyword_category::reserved));
  BOOST_TEST((find_keyword("int") == keyword_category::column_name));
  BOOST_TEST((find_keyword("json") == keyword_category::column_name));
  BOOST_TEST((find_keyword("left") == keyword_category::type_function_name));
  BOOST_TEST((find_keyword("authorization") == keyword_category::type_function_name));
  BOOST_TEST((find_keyword("schema") == keyword_category::unreserved));
  BOOST_TEST((find_keyword("uescape") == keyword_category::unreserved));
}

BOOST_AUTO_TEST_CASE(ordinary_names_are_not_keywords) {
  BOOST_TEST(!find_keyword("public").has_value());
  BOOST_TEST(!find_keyword("citext").has_value());
  BOOST_TEST(!find_keyword("").has_value());
  BOOST_TEST(!find_keyword("selec").has_value());
  BOOST_TEST(!find_keyword("selectt").has_value());
  BOOST_TEST(!find_keyword("a_name_far_longer_than_any_keyword_in_the_list").has_value());
}

BOOST_AUTO_TEST_CASE(lookup_ignores_ascii_case) {
  BOOST_TEST((find_keyword("SELECT") == keyword_category::reserved));
  BOOST_TEST((find_keyword("Schema") == keyword_category::unreserved));
}

BOOST_AUTO_TEST_CASE(table_is_sorted_lowercase_and_without_duplicates) {
  const auto list = keyword_list();
  BOOST_TEST(list.size() > 450u);
  const bool is_strictly_sorted =
      std::ranges::adjacent_find(list, [](const keyword& left, const keyword& right) {
        return left.name >= right.name;
      }) == list.end();
  BOOST_TEST(is_strictly_sorted);
  for (const keyword& entry : list) {
    BOOST_TEST_INFO("keyword: " << entry.name);
    BOOST_TEST(std::ranges::none_of(entry.name,
                                    [](char byte) { return byte >= 'A' && byte <= 'Z'; }));
    BOOST_TEST((find_keyword(entry.name) == entry.category));
  }
}

BOOST_AUTO_TEST_SUITE_END()
