// SPDX-License-Identifier: PostgreSQL
// Tests of the compact string types of the archive model
// (include/pgarc/pg_string.hpp, include/pgarc/dependency_list.hpp).
#include <boost/test/unit_test.hpp>

#include "pgarc/archive.hpp"

#include <string>
#include <utility>
#include <vector>

using namespace pgarc;

BOOST_AUTO_TEST_SUITE(model_strings)

BOOST_AUTO_TEST_CASE(null_is_not_empty) {
  const pg_string null;
  const pg_string empty{std::string()};
  BOOST_TEST(!null.has_value());
  BOOST_TEST(empty.has_value());
  BOOST_TEST((*empty).empty());
  BOOST_TEST((!(null == empty)));
  BOOST_TEST((null == std::nullopt));
  BOOST_TEST((!(empty == std::nullopt)));
  BOOST_TEST((!(null == "")));
  BOOST_TEST((empty == ""));
  BOOST_CHECK_THROW(null.value(), std::bad_optional_access);
  BOOST_TEST((null.value_or("-") == "-"));
  BOOST_TEST((empty.value_or("-") == ""));
}

// Lengths around the 14 bytes kept in place, and text with NUL bytes.
BOOST_AUTO_TEST_CASE(every_length_keeps_its_bytes) {
  for (std::size_t length = 0; length < 40; ++length) {
    std::string text;
    for (std::size_t at = 0; at < length; ++at)
      text += static_cast<char>(at % 3 == 1 ? '\0' : 'a' + static_cast<char>(at % 26));
    pg_string value(text);
    BOOST_TEST(value.has_value());
    BOOST_TEST((value.str() == text));
    BOOST_TEST((value->size() == length));
    pg_string copy = value;
    BOOST_TEST((copy == value));
    pg_string moved = std::move(copy);
    BOOST_TEST((moved.str() == text));
    BOOST_TEST(!copy.has_value()); // NOLINT(bugprone-use-after-move): moved-from is NULL
    copy = moved;
    BOOST_TEST((copy.str() == text));
    copy = pg_string("other text, long enough to be on the heap");
    BOOST_TEST((copy == "other text, long enough to be on the heap"));
    BOOST_TEST((moved.str() == text));
    copy = std::nullopt;
    BOOST_TEST(!copy.has_value());
  }
}

BOOST_AUTO_TEST_CASE(assigning_from_its_own_text) {
  pg_string value("a definition longer than fourteen bytes");
  value = (*value).substr(2);
  BOOST_TEST((value == "definition longer than fourteen bytes"));
  pg_string short_value("short text");
  short_value = (*short_value).substr(6);
  BOOST_TEST((short_value == "text"));
  value = value; // self-assignment keeps the text
  BOOST_TEST((value == "definition longer than fourteen bytes"));
}

BOOST_AUTO_TEST_CASE(dependencies_keep_order_and_text) {
  const std::string long_id(300, '7'); // a length that needs two bytes
  const std::vector<std::string> stored{"13", "", "007", std::string("1\0x", 3), long_id, "2"};
  dependency_list list(stored);
  BOOST_TEST((list.size() == stored.size()));
  BOOST_TEST((list.strings() == stored));
  BOOST_TEST((list.front() == "13"));
  BOOST_TEST((list[4] == long_id));
  BOOST_TEST(list.contains("007"));
  BOOST_TEST(!list.contains("7"));
  list.push_back("99");
  BOOST_TEST((list.size() == stored.size() + 1));
  BOOST_TEST((list[6] == "99"));
  BOOST_TEST((list[4] == long_id));
  const dependency_list copy = list;
  BOOST_TEST((copy == list));
  BOOST_TEST((!(copy == dependency_list(stored))));
}

BOOST_AUTO_TEST_CASE(no_dependencies) {
  const dependency_list none;
  BOOST_TEST(none.empty());
  BOOST_TEST((none.size() == 0u));
  BOOST_TEST((none.begin() == none.end()));
  BOOST_TEST((none == dependency_list(std::vector<std::string>{})));
  BOOST_TEST((!(none == dependency_list{""}))); // one empty dependency is not none
}

BOOST_AUTO_TEST_SUITE_END()
