// SPDX-License-Identifier: PostgreSQL
// Tests of identifier values and quoting (src/lib/sql/identifiers.cpp).
#include <boost/test/unit_test.hpp>

#include "sql/identifiers.hpp"

#include <string>

using namespace pgarc::detail;

BOOST_AUTO_TEST_SUITE(sql_identifiers)

BOOST_AUTO_TEST_CASE(unquoted_identifier_is_ascii_lowercased) {
  BOOST_TEST(normalize_identifier("Public").value_or("") == "public");
  BOOST_TEST(normalize_identifier("a$B_1").value_or("") == "a$b_1");
  // Only ASCII letters change: E with acute accent (UTF-8 C3 89) stays.
  BOOST_TEST(normalize_identifier("CAF\xc3\x89").value_or("") == "caf\xc3\x89");
}

BOOST_AUTO_TEST_CASE(quoted_identifier_keeps_case_and_unescapes_quotes) {
  BOOST_TEST(normalize_identifier("\"Ext Schema\"").value_or("") == "Ext Schema");
  BOOST_TEST(normalize_identifier("\"a\"\"b\"").value_or("") == "a\"b");
  BOOST_TEST(normalize_identifier("\"select\"").value_or("") == "select");
}

BOOST_AUTO_TEST_CASE(unicode_identifier_decodes_escapes) {
  BOOST_TEST(normalize_identifier("U&\"d\\0061t\\+000061\"").value_or("") == "data");
  BOOST_TEST(normalize_identifier("u&\"d!0061t!+000061\"", '!').value_or("") == "data");
  BOOST_TEST(normalize_identifier("U&\"\\00e9\"").value_or("") == "\xc3\xa9");
  BOOST_TEST(normalize_identifier("U&\"a\\\\b\"").value_or("") == "a\\b");
}

BOOST_AUTO_TEST_CASE(text_that_is_not_one_identifier_has_no_value) {
  for (const std::string_view text :
       {"", "\"\"", "\"abc", "\"a\"b\"", "a b", "1abc", "a.b", "U&\"\"", "U&\"\\zz\"", "U&\"x",
        "'a'", "$1"}) {
    BOOST_TEST_INFO("text: " << text);
    BOOST_TEST(!normalize_identifier(text).has_value());
  }
}

BOOST_AUTO_TEST_CASE(plain_lowercase_names_stay_bare) {
  BOOST_TEST(quote_identifier("public") == "public");
  BOOST_TEST(quote_identifier("heroku_ext") == "heroku_ext");
  BOOST_TEST(quote_identifier("_x9") == "_x9");
  BOOST_TEST(quote_identifier("schema") == "schema"); // unreserved keyword
}

BOOST_AUTO_TEST_CASE(other_names_are_double_quoted) {
  BOOST_TEST(quote_identifier("Public") == "\"Public\"");
  BOOST_TEST(quote_identifier("Ext Schema") == "\"Ext Schema\"");
  BOOST_TEST(quote_identifier("1abc") == "\"1abc\"");
  BOOST_TEST(quote_identifier("a$b") == "\"a$b\"");
  BOOST_TEST(quote_identifier("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  BOOST_TEST(quote_identifier("a\"b") == "\"a\"\"b\"");
  BOOST_TEST(quote_identifier("") == "\"\"");
}

BOOST_AUTO_TEST_CASE(keywords_other_than_unreserved_are_quoted) {
  BOOST_TEST(quote_identifier("select") == "\"select\"");
  BOOST_TEST(quote_identifier("int") == "\"int\"");
  BOOST_TEST(quote_identifier("left") == "\"left\"");
  BOOST_TEST(quote_identifier("user") == "\"user\"");
}

BOOST_AUTO_TEST_CASE(force_quotes_every_name) {
  BOOST_TEST(quote_identifier("public", true) == "\"public\"");
  BOOST_TEST(quote_identifier("a\"b", true) == "\"a\"\"b\"");
}

BOOST_AUTO_TEST_CASE(quoted_names_read_back_unchanged) {
  for (const std::string_view name :
       {"public", "Ext Schema", "a\"b", "select", "x$y", "caf\xc3\xa9", "1st"}) {
    BOOST_TEST_INFO("name: " << name);
    BOOST_TEST(normalize_identifier(quote_identifier(name)).value_or("<none>") == name);
    BOOST_TEST(normalize_identifier(quote_identifier(name, true)).value_or("<none>") == name);
  }
}

BOOST_AUTO_TEST_SUITE_END()
