// SPDX-License-Identifier: PostgreSQL
// Tests of string constant values and UESCAPE (src/lib/sql/literals.cpp).
#include <boost/test/unit_test.hpp>

#include "sql/literals.hpp"
#include "sql_printing.hpp"

#include <string>

using namespace pgarc::detail;

namespace {

constexpr lexer_options backslash_strings{.standard_conforming_strings = false};

std::string decoded(std::string_view text, token_kind kind, lexer_options options = {},
                    char escape = '\\') {
  return decode_string_literal(text, kind, options, escape).value_or("<none>");
}

std::string escaped(std::string_view text) { return decoded(text, token_kind::escape_string); }

} // namespace

BOOST_AUTO_TEST_SUITE(sql_literals)

BOOST_AUTO_TEST_CASE(plain_string_undoubles_quotes_and_keeps_backslashes) {
  BOOST_TEST(decoded("'it''s'", token_kind::string) == "it's");
  BOOST_TEST(decoded("'a\\nb'", token_kind::string) == "a\\nb");
  BOOST_TEST(decoded("''", token_kind::string) == "");
}

BOOST_AUTO_TEST_CASE(plain_string_takes_escapes_when_standard_strings_are_off) {
  BOOST_TEST(decoded("'a\\'b'", token_kind::string, backslash_strings) == "a'b");
  BOOST_TEST(decoded("'a\\nb'", token_kind::string, backslash_strings) == "a\nb");
  BOOST_TEST(decoded("N'a\\\\b'", token_kind::national_string, backslash_strings) == "a\\b");
}

BOOST_AUTO_TEST_CASE(escape_string_single_character_escapes) {
  BOOST_TEST(escaped("E'\\b\\f\\n\\r\\t\\v'") == "\b\f\n\r\t\v");
  BOOST_TEST(escaped("E'\\'\\\\\\q\\\"'") == "'\\q\"");
  BOOST_TEST(escaped("E'it''s'") == "it's");
}

BOOST_AUTO_TEST_CASE(escape_string_octal_and_hex_escapes) {
  BOOST_TEST(escaped("E'\\101\\7a'") == "A\x07" "a");
  BOOST_TEST(escaped("E'\\777'") == "\xff");
  BOOST_TEST(escaped("E'\\x41\\x4g'") == "A\x04g");
  BOOST_TEST(escaped("E'\\xz'") == "xz");
}

BOOST_AUTO_TEST_CASE(escape_string_unicode_escapes_give_utf8) {
  BOOST_TEST(escaped("E'\\u00e9'") == "\xc3\xa9");
  BOOST_TEST(escaped("E'\\u20AC'") == "\xe2\x82\xac");
  BOOST_TEST(escaped("E'\\U0001F600'") == "\xf0\x9f\x98\x80");
  BOOST_TEST(escaped("E'\\uD83D\\uDE00'") == "\xf0\x9f\x98\x80");
}

BOOST_AUTO_TEST_CASE(escapes_the_server_rejects_give_no_value) {
  for (const std::string_view text :
       {"E'\\u12'", "E'\\U0001F60'", "E'\\uD83D'", "E'\\uD83Dx'", "E'\\uDE00'", "E'\\0'",
        "E'\\x00'", "E'\\U00110000'", "E'\\u0000'"}) {
    BOOST_TEST_INFO("text: " << text);
    BOOST_TEST(!decode_string_literal(text, token_kind::escape_string).has_value());
  }
}

BOOST_AUTO_TEST_CASE(continued_string_joins_its_parts) {
  BOOST_TEST(decoded("'a'\n'b'", token_kind::string) == "ab");
  BOOST_TEST(decoded("'a' -- c\n 'b'", token_kind::string) == "ab");
  BOOST_TEST(escaped("E'a'\n'\\n'") == "a\n");
}

BOOST_AUTO_TEST_CASE(bit_hex_and_dollar_constants_give_their_text) {
  BOOST_TEST(decoded("B'0101'", token_kind::bit_string) == "0101");
  BOOST_TEST(decoded("X'1F'", token_kind::hex_string) == "1F");
  BOOST_TEST(decoded("$q$it's$q$", token_kind::dollar_string) == "it's");
  BOOST_TEST(!decode_string_literal("$q$open", token_kind::dollar_string).has_value());
}

BOOST_AUTO_TEST_CASE(text_that_is_not_one_complete_constant_has_no_value) {
  BOOST_TEST(!decode_string_literal("'open", token_kind::string).has_value());
  BOOST_TEST(!decode_string_literal("'a'b", token_kind::string).has_value());
  BOOST_TEST(!decode_string_literal("E'a\\", token_kind::escape_string).has_value());
  BOOST_TEST(!decode_string_literal("abc", token_kind::identifier).has_value());
  BOOST_TEST(!decode_string_literal("", token_kind::string).has_value());
  BOOST_TEST(!decode_string_literal("E", token_kind::escape_string).has_value());
}

BOOST_AUTO_TEST_CASE(unicode_string_uses_its_escape_character) {
  BOOST_TEST(decoded("U&'d\\0061t\\+000061'", token_kind::unicode_string) == "data");
  BOOST_TEST(decoded("U&'d!0061t'", token_kind::unicode_string, {}, '!') == "dat");
  BOOST_TEST(decoded("U&'a''b'", token_kind::unicode_string) == "a'b");
  BOOST_TEST(decoded("U&'\\D83D\\DE00'", token_kind::unicode_string) == "\xf0\x9f\x98\x80");
  BOOST_TEST(!decode_string_literal("U&'\\12'", token_kind::unicode_string).has_value());
  BOOST_TEST(!decode_string_literal("U&'\\D83D'", token_kind::unicode_string).has_value());
}

BOOST_AUTO_TEST_CASE(unicode_string_is_refused_when_standard_strings_are_off) {
  BOOST_TEST(!decode_string_literal("U&'a'", token_kind::unicode_string, backslash_strings)
                  .has_value());
}

BOOST_AUTO_TEST_CASE(doubled_escape_character_stands_for_itself) {
  BOOST_TEST(decode_unicode_escapes("a\\\\b", '\\').value_or("") == "a\\b");
  BOOST_TEST(decode_unicode_escapes("a!!b", '!').value_or("") == "a!b");
  BOOST_TEST(!decode_unicode_escapes("a!", '!').has_value());
}

BOOST_AUTO_TEST_CASE(uescape_character_rules) {
  BOOST_TEST(is_valid_unicode_escape_char('!'));
  BOOST_TEST(is_valid_unicode_escape_char('\\'));
  for (const char escape : {'a', 'F', '0', '+', '\'', '"', ' ', '\n'}) {
    BOOST_TEST_INFO("escape: " << escape);
    BOOST_TEST(!is_valid_unicode_escape_char(escape));
  }
}

BOOST_AUTO_TEST_CASE(uescape_clause_after_a_unicode_token) {
  const std::string_view sql = "U&'d!0061t' /* c */ uescape '!' x";
  const std::vector<token> tokens = tokenize(sql);
  const unicode_escape_clause clause = find_unicode_escape_clause(sql, tokens, 0);
  BOOST_TEST(clause.is_valid);
  BOOST_TEST(clause.escape == '!');
  BOOST_TEST(tokens[clause.last_token].text(sql) == "'!'");
}

BOOST_AUTO_TEST_CASE(missing_uescape_clause_gives_the_backslash) {
  const std::string_view sql = "U&'x' y";
  const std::vector<token> tokens = tokenize(sql);
  const unicode_escape_clause clause = find_unicode_escape_clause(sql, tokens, 0);
  BOOST_TEST(clause.is_valid);
  BOOST_TEST(clause.escape == '\\');
  BOOST_TEST(clause.last_token == 0u);
  const unicode_escape_clause other = find_unicode_escape_clause(sql, tokens, 2);
  BOOST_TEST(other.last_token == 2u);
  BOOST_TEST(find_unicode_escape_clause(sql, tokens, 99).last_token == 99u);
}

BOOST_AUTO_TEST_CASE(malformed_uescape_clause_is_invalid) {
  for (const std::string_view sql :
       {"U&'x' UESCAPE 'ab'", "U&'x' UESCAPE 'a'", "U&'x' UESCAPE 1", "U&\"x\" UESCAPE",
        "U&'x' UESCAPE N'!'"}) {
    BOOST_TEST_INFO("input: " << sql);
    const std::vector<token> tokens = tokenize(sql);
    BOOST_TEST(!find_unicode_escape_clause(sql, tokens, 0).is_valid);
  }
}

BOOST_AUTO_TEST_CASE(literals_are_quoted_as_pg_dump_quotes_them) {
  BOOST_TEST(quote_string_literal("public.users_id_seq") == "'public.users_id_seq'");
  BOOST_TEST(quote_string_literal("it's") == "'it''s'");
  BOOST_TEST(quote_string_literal("a\\b") == "'a\\b'");
  BOOST_TEST(quote_string_literal("a\\b", false) == "'a\\\\b'");
  for (const bool standard : {true, false}) {
    const lexer_options options{.standard_conforming_strings = standard};
    const std::string value = "it's a \\ test";
    BOOST_TEST(decoded(quote_string_literal(value, standard), token_kind::string, options) ==
               value);
  }
}

BOOST_AUTO_TEST_SUITE_END()
