// SPDX-License-Identifier: PostgreSQL
// Tests of the PostgreSQL lexer (src/lib/sql/lexer.cpp): every token kind,
// the corner cases of scan.l, and that any bytes split into tokens that tile
// the input exactly.
#include <boost/test/unit_test.hpp>

#include "sql/lexer.hpp"
#include "sql_printing.hpp"

#include <cstdint>
#include <random>
#include <string>

using namespace pgarc::detail;

namespace {

/// The tokens of `sql` as "kind{text}", separated by spaces; "kind!{text}"
/// marks an unterminated token. Whitespace tokens are left out unless asked.
std::string lexed(std::string_view sql, lexer_options options = {}, bool with_whitespace = true) {
  std::string out;
  for (const token& item : tokenize(sql, options)) {
    if (!with_whitespace && item.kind == token_kind::whitespace)
      continue;
    if (!out.empty())
      out += ' ';
    out += token_kind_name(item.kind);
    out += item.is_unterminated ? "!{" : "{";
    out += item.text(sql);
    out += '}';
  }
  return out;
}

std::string significant(std::string_view sql, lexer_options options = {}) {
  return lexed(sql, options, false);
}

constexpr lexer_options backslash_strings{.standard_conforming_strings = false};

/// Checks that the tokens of `sql` are non-empty, adjacent, cover it from
/// first byte to last, and that their texts joined give `sql` back.
void check_tiling(std::string_view sql, const lexer_options& options) {
  const std::vector<token> tokens = tokenize(sql, options);
  std::size_t expected_begin = 0;
  std::string joined;
  bool is_tiled = true;
  for (std::size_t index = 0; index < tokens.size(); ++index) {
    const token& item = tokens[index];
    is_tiled = is_tiled && item.range.begin == expected_begin && item.range.end > item.range.begin;
    // Only the last token can be unterminated: it ran to the end.
    is_tiled = is_tiled && (!item.is_unterminated || index + 1 == tokens.size());
    expected_begin = item.range.end;
    joined += item.text(sql);
  }
  BOOST_TEST_INFO("input of " << sql.size() << " bytes");
  BOOST_TEST(is_tiled);
  BOOST_TEST(expected_begin == sql.size());
  BOOST_TEST((joined == sql));
}

} // namespace

BOOST_AUTO_TEST_SUITE(sql_lexer)

BOOST_AUTO_TEST_CASE(empty_text_has_no_tokens) {
  BOOST_TEST(tokenize("").empty());
  lexer scanner("");
  BOOST_TEST(!scanner.next().has_value());
}

BOOST_AUTO_TEST_CASE(lexer_hands_out_tokens_one_at_a_time) {
  lexer scanner("a b");
  const std::optional<token> first = scanner.next();
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(first->range.begin == 0u);
  BOOST_TEST(first->range.end == 1u);
  BOOST_TEST(scanner.next()->kind == token_kind::whitespace);
  BOOST_TEST(scanner.next()->kind == token_kind::identifier);
  BOOST_TEST(!scanner.next().has_value());
  BOOST_TEST(!scanner.next().has_value());
}

BOOST_AUTO_TEST_CASE(whitespace_run_is_one_token) {
  BOOST_TEST(lexed(" \t\n\r\f\v") == "whitespace{ \t\n\r\f\v}");
  BOOST_TEST(lexed("a  \n b") == "identifier{a} whitespace{  \n } identifier{b}");
}

BOOST_AUTO_TEST_CASE(line_comment_stops_before_the_newline) {
  BOOST_TEST(lexed("-- public.x\nx") == "line_comment{-- public.x} whitespace{\n} identifier{x}");
  BOOST_TEST(lexed("--a\rb") == "line_comment{--a} whitespace{\r} identifier{b}");
}

BOOST_AUTO_TEST_CASE(line_comment_without_newline_runs_to_the_end) {
  BOOST_TEST(lexed("a -- b 'c") == "identifier{a} whitespace{ } line_comment{-- b 'c}");
}

BOOST_AUTO_TEST_CASE(block_comments_nest) {
  BOOST_TEST(lexed("/* a /* b */ c */x") == "block_comment{/* a /* b */ c */} identifier{x}");
  BOOST_TEST(lexed("/* public.x */") == "block_comment{/* public.x */}");
}

BOOST_AUTO_TEST_CASE(slash_star_star_slash_is_an_empty_comment) {
  BOOST_TEST(lexed("/**/x") == "block_comment{/**/} identifier{x}");
  BOOST_TEST(lexed("/*/ */x") == "block_comment{/*/ */} identifier{x}");
  BOOST_TEST(lexed("/* **/x") == "block_comment{/* **/} identifier{x}");
}

BOOST_AUTO_TEST_CASE(unterminated_nested_comment_runs_to_the_end) {
  BOOST_TEST(lexed("/* a /* b */ c") == "block_comment!{/* a /* b */ c}");
}

BOOST_AUTO_TEST_CASE(unquoted_identifiers_take_digits_underscores_and_dollars) {
  BOOST_TEST(significant("a$b _x1 Public publicity x$$y$$") ==
             "identifier{a$b} identifier{_x1} identifier{Public} identifier{publicity} "
             "identifier{x$$y$$}");
}

BOOST_AUTO_TEST_CASE(bytes_from_0x80_up_are_identifier_characters) {
  BOOST_TEST(significant("caf\xc3\xa9 \xff\x80x") ==
             "identifier{caf\xc3\xa9} identifier{\xff\x80x}");
}

BOOST_AUTO_TEST_CASE(quoted_identifier_keeps_doubled_quotes_inside) {
  BOOST_TEST(lexed("\"a\"\"b\".c") == "quoted_identifier{\"a\"\"b\"} punctuation{.} identifier{c}");
  BOOST_TEST(lexed("\"Ext Schema\".foo") ==
             "quoted_identifier{\"Ext Schema\"} punctuation{.} identifier{foo}");
}

BOOST_AUTO_TEST_CASE(unicode_identifier_is_one_token_and_uescape_follows_separately) {
  BOOST_TEST(significant("U&\"d!0061t\" UESCAPE '!'") ==
             "unicode_identifier{U&\"d!0061t\"} identifier{UESCAPE} string{'!'}");
  BOOST_TEST(lexed("u&\"x\"") == "unicode_identifier{u&\"x\"}");
}

BOOST_AUTO_TEST_CASE(u_ampersand_without_quote_is_identifier_then_operator) {
  BOOST_TEST(lexed("U&x") == "identifier{U} operator_symbol{&} identifier{x}");
  BOOST_TEST(lexed("Ux&'a'") == "identifier{Ux} operator_symbol{&} string{'a'}");
}

BOOST_AUTO_TEST_CASE(doubled_quote_stays_inside_a_string) {
  BOOST_TEST(lexed("'it''s'") == "string{'it''s'}");
  BOOST_TEST(lexed("''''") == "string{''''}");
}

BOOST_AUTO_TEST_CASE(escape_string_keeps_a_backslash_quote_inside) {
  BOOST_TEST(lexed("E'\\''") == "escape_string{E'\\''}");
  BOOST_TEST(lexed("e'\\\\'x") == "escape_string{e'\\\\'} identifier{x}");
  BOOST_TEST(lexed("E'it''s'") == "escape_string{E'it''s'}");
}

BOOST_AUTO_TEST_CASE(prefix_letter_only_counts_at_the_start_of_a_word) {
  BOOST_TEST(lexed("be'x'") == "identifier{be} string{'x'}");
}

BOOST_AUTO_TEST_CASE(backslash_is_ordinary_in_standard_conforming_strings) {
  BOOST_TEST(significant("'a\\' c'") == "string{'a\\'} identifier{c} string!{'}");
  BOOST_TEST(significant("'a\\' b'") == "string{'a\\'} bit_string!{b'}");
}

BOOST_AUTO_TEST_CASE(backslash_escapes_plain_strings_when_standard_strings_are_off) {
  BOOST_TEST(lexed("'a\\' b'", backslash_strings) == "string{'a\\' b'}");
}

BOOST_AUTO_TEST_CASE(national_string_follows_the_standard_strings_setting) {
  BOOST_TEST(significant("N'a\\'c'") == "national_string{N'a\\'} identifier{c} string!{'}");
  BOOST_TEST(lexed("n'a\\'b'", backslash_strings) == "national_string{n'a\\'b'}");
}

BOOST_AUTO_TEST_CASE(bit_and_hex_strings_do_not_double_quotes) {
  BOOST_TEST(significant("B'01''10' x'1F'") ==
             "bit_string{B'01'} string{'10'} hex_string{x'1F'}");
}

BOOST_AUTO_TEST_CASE(unicode_string_ignores_backslashes_but_doubles_quotes) {
  BOOST_TEST(significant("U&'\\0041' u&'it''s'") ==
             "unicode_string{U&'\\0041'} unicode_string{u&'it''s'}");
  BOOST_TEST(lexed("U&'\\'", backslash_strings) == "unicode_string{U&'\\'}");
}

BOOST_AUTO_TEST_CASE(string_continues_across_a_newline) {
  BOOST_TEST(lexed("'a'\n'b'") == "string{'a'\n'b'}");
  BOOST_TEST(lexed("'a'  -- note\n  \n 'b'") == "string{'a'  -- note\n  \n 'b'}");
  BOOST_TEST(lexed("'a'\n-- note\n'b'") == "string{'a'\n-- note\n'b'}");
  BOOST_TEST(lexed("B'01'\n'10'") == "bit_string{B'01'\n'10'}");
}

BOOST_AUTO_TEST_CASE(string_does_not_continue_without_a_newline_or_across_block_comments) {
  BOOST_TEST(lexed("'a' 'b'") == "string{'a'} whitespace{ } string{'b'}");
  BOOST_TEST(significant("'a' /* c */\n'b'") == "string{'a'} block_comment{/* c */} string{'b'}");
  BOOST_TEST(lexed("'a'\n-- c") == "string{'a'} whitespace{\n} line_comment{-- c}");
  BOOST_TEST(lexed("'a'\n") == "string{'a'} whitespace{\n}");
}

BOOST_AUTO_TEST_CASE(continued_escape_string_keeps_backslash_rules) {
  BOOST_TEST(lexed("E'a'\n'\\'b'") == "escape_string{E'a'\n'\\'b'}");
}

BOOST_AUTO_TEST_CASE(dollar_quotes_with_and_without_tags) {
  BOOST_TEST(significant("$$ SELECT 'x' $$ $fn$ a $$ b $fn$ $_$x$_$") ==
             "dollar_string{$$ SELECT 'x' $$} dollar_string{$fn$ a $$ b $fn$} "
             "dollar_string{$_$x$_$}");
  BOOST_TEST(lexed("$a$$ba$a$") == "dollar_string{$a$$ba$a$}");
}

BOOST_AUTO_TEST_CASE(dollar_quote_tag_and_body_are_exposed) {
  BOOST_TEST(dollar_quote_tag("$fn$ SELECT public.x $fn$") == "fn");
  BOOST_TEST(dollar_quote_body("$fn$ SELECT public.x $fn$") == " SELECT public.x ");
  BOOST_TEST(dollar_quote_tag("$$$$") == "");
  BOOST_TEST(dollar_quote_body("$$$$") == "");
  BOOST_TEST(dollar_quote_body("$a$$a$") == "");
  BOOST_TEST(dollar_quote_body("$a$a$") == "a$");   // unterminated
  BOOST_TEST(dollar_quote_body("$t$ x $t") == " x $t"); // unterminated
  BOOST_TEST(dollar_quote_body("x") == "");
}

BOOST_AUTO_TEST_CASE(dollar_tag_without_closing_dollar_is_a_lone_dollar) {
  BOOST_TEST(lexed("$abc") == "other{$} identifier{abc}");
  BOOST_TEST(lexed("$ x") == "other{$} whitespace{ } identifier{x}");
  BOOST_TEST(lexed("$") == "other{$}");
}

BOOST_AUTO_TEST_CASE(unterminated_dollar_quote_runs_to_the_end) {
  BOOST_TEST(lexed("$$ public.x") == "dollar_string!{$$ public.x}");
  BOOST_TEST(lexed("$t$ x $t") == "dollar_string!{$t$ x $t}");
}

BOOST_AUTO_TEST_CASE(positional_parameters) {
  BOOST_TEST(significant("$1 $23 $1abc") ==
             "parameter{$1} parameter{$23} parameter{$1} identifier{abc}");
}

BOOST_AUTO_TEST_CASE(numbers_in_every_form) {
  BOOST_TEST(significant("42 3.5 .5 1. 1e10 1.5E-3 2e+4 0x1F 0o17 0B101 1_000_000 0x_ff") ==
             "number{42} number{3.5} number{.5} number{1.} number{1e10} number{1.5E-3} "
             "number{2e+4} number{0x1F} number{0o17} number{0B101} number{1_000_000} "
             "number{0x_ff}");
}

BOOST_AUTO_TEST_CASE(two_dots_after_an_integer_are_a_range) {
  BOOST_TEST(lexed("1..10") == "number{1} punctuation{..} number{10}");
}

BOOST_AUTO_TEST_CASE(malformed_numbers_split_into_number_and_word) {
  BOOST_TEST(lexed("1e") == "number{1} identifier{e}");
  BOOST_TEST(lexed("1e+") == "number{1} identifier{e} operator_symbol{+}");
  BOOST_TEST(lexed("0x") == "number{0} identifier{x}");
  BOOST_TEST(lexed("1__0") == "number{1} identifier{__0}");
  BOOST_TEST(lexed("123abc") == "number{123} identifier{abc}");
}

BOOST_AUTO_TEST_CASE(multi_character_operators) {
  BOOST_TEST(significant("-> ->> @> <-> % ~~* || != >= <= <> => #- ?| <@ &&") ==
             "operator_symbol{->} operator_symbol{->>} operator_symbol{@>} operator_symbol{<->} "
             "operator_symbol{%} operator_symbol{~~*} operator_symbol{||} operator_symbol{!=} "
             "operator_symbol{>=} operator_symbol{<=} operator_symbol{<>} operator_symbol{=>} "
             "operator_symbol{#-} operator_symbol{?|} operator_symbol{<@} operator_symbol{&&}");
}

BOOST_AUTO_TEST_CASE(sql_operator_cannot_end_in_plus_or_minus) {
  BOOST_TEST(lexed("=-1") == "operator_symbol{=} operator_symbol{-} number{1}");
  BOOST_TEST(lexed("*-+") == "operator_symbol{*} operator_symbol{-} operator_symbol{+}");
  BOOST_TEST(lexed("<=-") == "operator_symbol{<=} operator_symbol{-}");
}

BOOST_AUTO_TEST_CASE(stripped_signs_become_tokens_of_their_own) {
  BOOST_TEST(lexed("<<+-") == "operator_symbol{<<} operator_symbol{+} operator_symbol{-}");
  BOOST_TEST(lexed("+-+/*c*/") ==
             "operator_symbol{+} operator_symbol{-} operator_symbol{+} block_comment{/*c*/}");
  BOOST_TEST(lexed("<+-<") == "operator_symbol{<+-<}");
}

BOOST_AUTO_TEST_CASE(long_run_of_signs_is_split_without_reading_it_again) {
  // scan.l splits "+-+-..." into one-byte tokens; rereading the rest of the
  // run for each would make this input take hours instead of milliseconds.
  std::string signs;
  for (int index = 0; index < 1000000; ++index)
    signs.push_back(index % 2 == 0 ? '+' : '-');
  const std::vector<token> tokens = tokenize(signs);
  BOOST_TEST(tokens.size() == signs.size());
  BOOST_TEST(tokens.back().range.end == signs.size());
}

BOOST_AUTO_TEST_CASE(operator_with_a_non_sql_character_may_end_in_plus_or_minus) {
  BOOST_TEST(lexed("@-") == "operator_symbol{@-}");
  BOOST_TEST(lexed("?-|-") == "operator_symbol{?-|-}");
  BOOST_TEST(lexed("%+") == "operator_symbol{%+}");
}

BOOST_AUTO_TEST_CASE(comment_start_inside_an_operator_ends_it) {
  BOOST_TEST(lexed("+/* c */1") == "operator_symbol{+} block_comment{/* c */} number{1}");
  BOOST_TEST(lexed("*--c") == "operator_symbol{*} line_comment{--c}");
  BOOST_TEST(lexed("<-->") == "operator_symbol{<} line_comment{-->}");
}

BOOST_AUTO_TEST_CASE(punctuation_tokens) {
  BOOST_TEST(significant("( ) [ ] , ; . : :: := ..") ==
             "punctuation{(} punctuation{)} punctuation{[} punctuation{]} punctuation{,} "
             "punctuation{;} punctuation{.} punctuation{:} punctuation{::} punctuation{:=} "
             "punctuation{..}");
}

BOOST_AUTO_TEST_CASE(cast_to_a_qualified_type) {
  BOOST_TEST(lexed("'x'::public.citext") ==
             "string{'x'} punctuation{::} identifier{public} punctuation{.} identifier{citext}");
}

BOOST_AUTO_TEST_CASE(operator_construct_tokens) {
  BOOST_TEST(lexed("OPERATOR(public.->)") ==
             "identifier{OPERATOR} punctuation{(} identifier{public} punctuation{.} "
             "operator_symbol{->} punctuation{)}");
  BOOST_TEST(lexed("OPERATOR(pg_catalog.=)") ==
             "identifier{OPERATOR} punctuation{(} identifier{pg_catalog} punctuation{.} "
             "operator_symbol{=} punctuation{)}");
}

BOOST_AUTO_TEST_CASE(stray_bytes_are_single_other_tokens) {
  BOOST_TEST(lexed("\\{}") == "other{\\} other{{} other{}}");
  const std::string with_nul("a\0b\x01", 4);
  const std::vector<token> tokens = tokenize(with_nul);
  BOOST_REQUIRE(tokens.size() == 4u);
  BOOST_TEST(tokens[0].kind == token_kind::identifier);
  BOOST_TEST(tokens[1].kind == token_kind::other);
  BOOST_TEST(tokens[2].kind == token_kind::identifier);
  BOOST_TEST(tokens[3].kind == token_kind::other);
}

BOOST_AUTO_TEST_CASE(unterminated_constructs_end_in_a_marked_token) {
  for (const std::string_view sql :
       {"'abc", "E'abc\\", "\"abc", "U&\"a", "U&'a", "B'01", "X'", "N'x", "$$ x", "$t$ x $t",
        "/* x", "'a'\n'b", "\"a\"\"", "'", "\""}) {
    BOOST_TEST_INFO("input: " << sql);
    const std::vector<token> tokens = tokenize(sql);
    BOOST_REQUIRE(tokens.size() == 1u);
    BOOST_TEST(tokens[0].is_unterminated);
    BOOST_TEST(tokens[0].range.end == sql.size());
  }
  const std::vector<token> escaped = tokenize("'a\\", backslash_strings);
  BOOST_TEST(escaped.back().is_unterminated);
}

BOOST_AUTO_TEST_CASE(whitespace_and_comments_are_insignificant) {
  BOOST_TEST(is_insignificant(token_kind::whitespace));
  BOOST_TEST(is_insignificant(token_kind::line_comment));
  BOOST_TEST(is_insignificant(token_kind::block_comment));
  BOOST_TEST(!is_insignificant(token_kind::dollar_string));
  BOOST_TEST(!is_insignificant(token_kind::identifier));
}

BOOST_AUTO_TEST_CASE(pg_dump_statements_tile_and_round_trip) {
  const std::string_view sql =
      "CREATE TABLE public.users (\n"
      "    id integer NOT NULL,\n"
      "    email public.citext,\n"
      "    data jsonb DEFAULT '{}'::jsonb,\n"
      "    token uuid DEFAULT public.uuid_generate_v4()\n"
      ");\n"
      "CREATE INDEX users_email_trgm ON public.users USING gist "
      "(email public.gist_trgm_ops (siglen='32'));\n"
      "CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $_$SELECT 'public.x'$_$;\n"
      "SELECT pg_catalog.setval('public.users_id_seq', 1, false);\n"
      "-- done\n";
  check_tiling(sql, {});
  check_tiling(sql, backslash_strings);
}

BOOST_AUTO_TEST_CASE(random_bytes_always_tile_the_input) {
  // Bytes that start or end tokens are drawn more often than the rest.
  constexpr std::string_view interesting = "'\"$-/*+eEuUbBxXnN&\\ \n\r.:;()0123456789a_#@";
  std::mt19937 generator(20240611);
  std::uniform_int_distribution<int> length_of(0, 48);
  std::uniform_int_distribution<int> coin(0, 3);
  std::uniform_int_distribution<std::size_t> interesting_index(0, interesting.size() - 1);
  std::uniform_int_distribution<int> any_byte(0, 255);
  for (int round = 0; round < 20000; ++round) {
    std::string input;
    const int length = length_of(generator);
    for (int position = 0; position < length; ++position) {
      if (coin(generator) == 0)
        input.push_back(static_cast<char>(any_byte(generator)));
      else
        input.push_back(interesting[interesting_index(generator)]);
    }
    check_tiling(input, {});
    check_tiling(input, backslash_strings);
  }
}

BOOST_AUTO_TEST_SUITE_END()
