// SPDX-License-Identifier: PostgreSQL
// Tests of dotted names, CREATE EXTENSION ... SCHEMA and string literals
// (src/lib/sql/qualified_names.cpp), on the SQL that pg_dump writes.
#include <boost/test/unit_test.hpp>

#include "sql/qualified_names.hpp"
#include "sql_printing.hpp"

#include <random>
#include <string>

using namespace pgarc::detail;

namespace {

std::vector<qualified_name> names_in(std::string_view sql, lexer_options options = {}) {
  const std::vector<token> tokens = tokenize(sql, options);
  return find_qualified_names(sql, tokens, options);
}

/// The names of `sql` as written parts joined by ".", e.g. "public.citext",
/// separated by spaces.
std::string listed(std::string_view sql) {
  std::string out;
  for (const qualified_name& name : names_in(sql)) {
    if (!out.empty())
      out += ' ';
    for (std::size_t index = 0; index < name.parts.size(); ++index)
      out += (index == 0 ? "" : ".") + name.parts[index].value;
  }
  return out;
}

std::string_view slice(std::string_view sql, byte_range range) {
  return sql.substr(range.begin, range.size());
}

std::vector<extension_schema_clause> clauses_in(std::string_view sql) {
  const std::vector<token> tokens = tokenize(sql);
  return find_extension_schema_clauses(sql, tokens);
}

std::vector<string_literal> literals_in(std::string_view sql, lexer_options options = {}) {
  const std::vector<token> tokens = tokenize(sql, options);
  return find_string_literals(sql, tokens, options);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sql_qualified_names)

BOOST_AUTO_TEST_CASE(column_type_reports_schema_name_and_ranges) {
  const std::string_view sql = "CREATE TABLE public.t (\n    email public.citext\n);";
  const std::vector<qualified_name> names = names_in(sql);
  BOOST_REQUIRE(names.size() == 2u);
  const qualified_name& type = names[1];
  BOOST_TEST(type.parts.size() == 2u);
  BOOST_TEST(type.schema().value == "public");
  BOOST_TEST(type.name().value == "citext");
  BOOST_TEST(slice(sql, type.schema().range) == "public");
  BOOST_TEST(slice(sql, type.name().range) == "citext");
  BOOST_TEST(slice(sql, type.range) == "public.citext");
  BOOST_TEST(type.schema().range.begin == 34u);
  BOOST_TEST(!type.is_followed_by_parenthesis);
  BOOST_TEST(!type.is_cast_target);
  BOOST_TEST(!type.is_in_operator_construct);
  BOOST_TEST(names[0].is_followed_by_parenthesis); // "public.t ("
}

BOOST_AUTO_TEST_CASE(function_call_is_followed_by_a_parenthesis) {
  const std::vector<qualified_name> names = names_in("id uuid DEFAULT public.uuid_generate_v4()");
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].name().value == "uuid_generate_v4");
  BOOST_TEST(names[0].is_followed_by_parenthesis);
}

BOOST_AUTO_TEST_CASE(type_modifier_is_followed_by_a_parenthesis) {
  const std::vector<qualified_name> names = names_in("geom public.geometry(Point,4326)");
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].is_followed_by_parenthesis);
}

BOOST_AUTO_TEST_CASE(cast_target_is_marked) {
  const std::string_view sql = "CHECK ((email)::text <> ''::public.citext)";
  const std::vector<qualified_name> names = names_in(sql);
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].is_cast_target);
  BOOST_REQUIRE(names[0].previous_token.has_value());
  BOOST_TEST(tokenize(sql)[*names[0].previous_token].text(sql) == "::");
}

BOOST_AUTO_TEST_CASE(operator_construct_names_an_operator) {
  const std::string_view sql = "WHERE (data OPERATOR(public.->) 'k'::text)";
  const std::vector<qualified_name> names = names_in(sql);
  BOOST_REQUIRE(names.size() == 1u);
  const qualified_name& name = names[0];
  BOOST_TEST(name.is_in_operator_construct);
  BOOST_TEST(name.schema().value == "public");
  BOOST_TEST(name.name().value == "->");
  BOOST_TEST(name.name().is_operator());
  BOOST_TEST(!name.schema().is_operator());
  BOOST_TEST(slice(sql, name.range) == "public.->");
  BOOST_TEST(slice(sql, name.schema().range) == "public");
}

BOOST_AUTO_TEST_CASE(operator_construct_with_pg_catalog_equals) {
  const std::vector<qualified_name> names = names_in("a OPERATOR(pg_catalog.=) b");
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].schema().value == "pg_catalog");
  BOOST_TEST(names[0].name().value == "=");
  BOOST_TEST(names[0].is_in_operator_construct);
}

BOOST_AUTO_TEST_CASE(operator_construct_allows_spaces_comments_and_case) {
  const std::vector<qualified_name> names = names_in("a operator ( public . /* x */ ~~* ) b");
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].name().value == "~~*");
  BOOST_TEST(names[0].is_in_operator_construct);
}

BOOST_AUTO_TEST_CASE(qualified_operator_outside_the_construct_is_reported) {
  const std::string_view sql = "OPERATOR 1 public.%(public.citext,public.citext)";
  const std::vector<qualified_name> names = names_in(sql);
  BOOST_REQUIRE(names.size() == 3u);
  BOOST_TEST(names[0].name().value == "%");
  BOOST_TEST(names[0].name().is_operator());
  BOOST_TEST(!names[0].is_in_operator_construct);
  BOOST_TEST(names[0].is_followed_by_parenthesis);
  BOOST_TEST(listed(sql) == "public.% public.citext public.citext");
}

BOOST_AUTO_TEST_CASE(opclass_with_parameters_is_followed_by_a_parenthesis) {
  const std::string_view sql =
      "CREATE INDEX i ON public.t USING gist (name public.gist_trgm_ops (siglen='32'));";
  const std::vector<qualified_name> names = names_in(sql);
  BOOST_REQUIRE(names.size() == 2u);
  BOOST_TEST(names[1].name().value == "gist_trgm_ops");
  BOOST_TEST(names[1].is_followed_by_parenthesis);
  BOOST_TEST(!names[0].is_followed_by_parenthesis); // "public.t USING"
}

BOOST_AUTO_TEST_CASE(tablesample_method_is_a_qualified_name) {
  BOOST_TEST(listed("FROM public.t TABLESAMPLE public.system_rows (10)") ==
             "public.t public.system_rows");
}

BOOST_AUTO_TEST_CASE(quoted_parts_give_their_values) {
  const std::string_view sql = "x \"public\".\"citext\"";
  const std::vector<qualified_name> names = names_in(sql);
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].schema().value == "public");
  BOOST_TEST(names[0].schema().kind == token_kind::quoted_identifier);
  BOOST_TEST(slice(sql, names[0].schema().range) == "\"public\"");
  BOOST_TEST(slice(sql, names[0].name().range) == "\"citext\"");
}

BOOST_AUTO_TEST_CASE(quoted_schema_keeps_case_and_spaces) {
  BOOST_TEST(listed("SELECT \"Ext Schema\".foo") == "Ext Schema.foo");
}

BOOST_AUTO_TEST_CASE(unquoted_parts_are_lowercased) {
  BOOST_TEST(listed("PUBLIC.CITEXT") == "public.citext");
}

BOOST_AUTO_TEST_CASE(schema_that_only_starts_with_public_is_its_own_name) {
  const std::vector<qualified_name> names = names_in("publicity.x");
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].schema().value == "publicity");
}

BOOST_AUTO_TEST_CASE(string_literal_is_not_a_reference) {
  BOOST_TEST(listed("public.similarity(t.name, 'public.x'::text)") ==
             "public.similarity t.name");
}

BOOST_AUTO_TEST_CASE(comments_are_not_references) {
  BOOST_TEST(listed("/* public.x */ -- public.x\n").empty());
}

BOOST_AUTO_TEST_CASE(dollar_quoted_body_is_not_searched_but_stays_visible) {
  const std::string_view sql = "AS $$ SELECT public.x $$";
  BOOST_TEST(listed(sql).empty());
  const std::vector<token> tokens = tokenize(sql);
  BOOST_TEST(tokens.back().kind == token_kind::dollar_string);
  BOOST_TEST(dollar_quote_body(tokens.back().text(sql)) == " SELECT public.x ");
}

BOOST_AUTO_TEST_CASE(whitespace_and_comments_may_surround_the_dot) {
  const std::string_view sql = "public /* c */ . -- d\n citext";
  const std::vector<qualified_name> names = names_in(sql);
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].name().value == "citext");
  BOOST_TEST(names[0].range.begin == 0u);
  BOOST_TEST(names[0].range.end == sql.size());
}

BOOST_AUTO_TEST_CASE(three_part_name_keeps_all_parts) {
  const std::string_view sql = "COMMENT ON COLUMN public.users.id IS 'x';";
  const std::vector<qualified_name> names = names_in(sql);
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_REQUIRE(names[0].parts.size() == 3u);
  BOOST_TEST(names[0].schema().value == "public");
  BOOST_TEST(names[0].name().value == "users");
  BOOST_TEST(names[0].parts[2].value == "id");
  BOOST_TEST(slice(sql, names[0].range) == "public.users.id");
  BOOST_TEST(slice(sql, names[0].parts[2].range) == "id");
}

BOOST_AUTO_TEST_CASE(database_schema_object_is_one_three_part_name) {
  BOOST_TEST(listed("SELECT * FROM db.public.t") == "db.public.t");
}

BOOST_AUTO_TEST_CASE(whole_row_star_is_an_operator_part) {
  const std::vector<qualified_name> names = names_in("SELECT t.* FROM t");
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].name().value == "*");
  BOOST_TEST(names[0].name().is_operator());
}

BOOST_AUTO_TEST_CASE(dot_without_a_following_name_ends_the_name) {
  BOOST_TEST(listed("public.").empty());
  BOOST_TEST(listed("public.'x'").empty());
  BOOST_TEST(listed("(public.f()).x") == "public.f");
  BOOST_TEST(listed("a.b.").size() == 3u);
}

BOOST_AUTO_TEST_CASE(numbers_after_a_dot_are_not_names) {
  BOOST_TEST(listed("a.1").empty());
}

BOOST_AUTO_TEST_CASE(unicode_identifier_with_uescape_is_one_part) {
  const std::string_view sql = "U&\"p!0075blic\" UESCAPE '!'.citext";
  const std::vector<qualified_name> names = names_in(sql);
  BOOST_REQUIRE(names.size() == 1u);
  BOOST_TEST(names[0].schema().value == "public");
  BOOST_TEST(names[0].schema().kind == token_kind::unicode_identifier);
  BOOST_TEST(slice(sql, names[0].schema().range) == "U&\"p!0075blic\" UESCAPE '!'");
  BOOST_TEST(names[0].schema().last_token == names[0].schema().first_token + 4);
  BOOST_TEST(listed("U&\"p\\0075blic\".x") == "public.x");
}

BOOST_AUTO_TEST_CASE(invalid_identifiers_are_not_parts) {
  BOOST_TEST(listed("\"\".x").empty());
  BOOST_TEST(listed("U&\"\\zz\".x").empty());
  BOOST_TEST(listed("U&\"a\" UESCAPE 'ab'.x").empty());
  BOOST_TEST(listed("a.\"unterminated").empty());
}

BOOST_AUTO_TEST_CASE(copy_and_setval_statements) {
  BOOST_TEST(listed("COPY public.users (id, email) FROM stdin;") == "public.users");
  BOOST_TEST(listed("SELECT pg_catalog.setval('public.users_id_seq', 1, false);") ==
             "pg_catalog.setval");
}

BOOST_AUTO_TEST_CASE(create_extension_with_schema_gives_the_schema_range) {
  const std::string_view sql = "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;";
  const std::vector<extension_schema_clause> clauses = clauses_in(sql);
  BOOST_REQUIRE(clauses.size() == 1u);
  BOOST_TEST(clauses[0].extension == "citext");
  BOOST_TEST(slice(sql, clauses[0].extension_range) == "citext");
  BOOST_TEST(clauses[0].schema == "public");
  BOOST_TEST(slice(sql, clauses[0].schema_range) == "public");
  BOOST_TEST(clauses[0].schema_range.begin == 50u);
  BOOST_TEST(clauses[0].has_with);
}

BOOST_AUTO_TEST_CASE(create_extension_schema_clause_without_with) {
  const std::string_view sql = "create extension hstore schema \"Ext\" version '1.8' cascade";
  const std::vector<extension_schema_clause> clauses = clauses_in(sql);
  BOOST_REQUIRE(clauses.size() == 1u);
  BOOST_TEST(clauses[0].schema == "Ext");
  BOOST_TEST(slice(sql, clauses[0].schema_range) == "\"Ext\"");
  BOOST_TEST(!clauses[0].has_with);
}

BOOST_AUTO_TEST_CASE(create_extension_options_in_any_order) {
  const std::vector<extension_schema_clause> clauses =
      clauses_in("CREATE EXTENSION postgis VERSION '3.3.2' CASCADE SCHEMA gis");
  BOOST_REQUIRE(clauses.size() == 1u);
  BOOST_TEST(clauses[0].schema == "gis");
}

BOOST_AUTO_TEST_CASE(extension_may_be_named_schema) {
  const std::vector<extension_schema_clause> clauses =
      clauses_in("CREATE EXTENSION schema WITH SCHEMA s;");
  BOOST_REQUIRE(clauses.size() == 1u);
  BOOST_TEST(clauses[0].extension == "schema");
  BOOST_TEST(clauses[0].schema == "s");
}

BOOST_AUTO_TEST_CASE(create_extension_without_schema_gives_nothing) {
  BOOST_TEST(clauses_in("CREATE EXTENSION IF NOT EXISTS plpgsql;").empty());
  BOOST_TEST(clauses_in("COMMENT ON EXTENSION citext IS 'WITH SCHEMA public';").empty());
  BOOST_TEST(clauses_in("SELECT 'CREATE EXTENSION x WITH SCHEMA public'").empty());
  BOOST_TEST(clauses_in("CREATE EXTENSION x; SELECT 1 SCHEMA y").empty());
  BOOST_TEST(clauses_in("CREATE EXTENSION IF EXISTS x WITH SCHEMA y").empty());
}

BOOST_AUTO_TEST_CASE(every_create_extension_statement_is_found) {
  const std::string_view sql =
      "-- header\nCREATE EXTENSION a WITH SCHEMA s1;\n"
      "/* x */ CREATE EXTENSION \"B\" SCHEMA s2; SELECT 1;";
  const std::vector<extension_schema_clause> clauses = clauses_in(sql);
  BOOST_REQUIRE(clauses.size() == 2u);
  BOOST_TEST(clauses[0].extension == "a");
  BOOST_TEST(clauses[1].extension == "B");
  BOOST_TEST(clauses[1].schema == "s2");
}

BOOST_AUTO_TEST_CASE(string_literals_give_value_and_range) {
  const std::string_view sql = "SELECT pg_catalog.setval('public.users_id_seq', 3, true);";
  const std::vector<string_literal> literals = literals_in(sql);
  BOOST_REQUIRE(literals.size() == 1u);
  BOOST_TEST(literals[0].kind == token_kind::string);
  BOOST_REQUIRE(literals[0].value.has_value());
  BOOST_TEST(*literals[0].value == "public.users_id_seq");
  BOOST_TEST(slice(sql, literals[0].range) == "'public.users_id_seq'");
}

BOOST_AUTO_TEST_CASE(relation_stats_arguments_are_all_listed) {
  const std::string_view sql = "SELECT * FROM pg_catalog.pg_restore_relation_stats("
                               "'version', '170000'::integer, 'schemaname', 'public', "
                               "'relname', 'users');";
  std::vector<std::string> values;
  for (const string_literal& literal : literals_in(sql))
    values.push_back(literal.value.value_or("<none>"));
  const std::vector<std::string> expected{"version", "170000",  "schemaname",
                                          "public",  "relname", "users"};
  BOOST_TEST(values == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(literal_values_are_decoded) {
  const std::vector<string_literal> literals =
      literals_in("'it''s' E'\\'' N'n' 'a'\n'b' U&'d!0061t' UESCAPE '!' $$x$$ B'1'");
  BOOST_REQUIRE(literals.size() == 5u);
  BOOST_TEST(literals[0].value.value_or("") == "it's");
  BOOST_TEST(literals[1].value.value_or("") == "'");
  BOOST_TEST(literals[2].value.value_or("") == "n");
  BOOST_TEST(literals[2].kind == token_kind::national_string);
  BOOST_TEST(literals[3].value.value_or("") == "ab");
  BOOST_TEST(literals[4].value.value_or("") == "dat");
  BOOST_TEST(literals[4].kind == token_kind::unicode_string);
  BOOST_TEST(literals[4].last_token == literals[4].first_token + 4);
}

BOOST_AUTO_TEST_CASE(uescape_string_of_an_identifier_is_not_a_literal) {
  BOOST_TEST(literals_in("U&\"d!0061t\" UESCAPE '!'").empty());
}

BOOST_AUTO_TEST_CASE(undecodable_literals_are_listed_without_value) {
  const std::vector<string_literal> literals = literals_in("E'\\u12' 'open");
  BOOST_REQUIRE(literals.size() == 2u);
  BOOST_TEST(!literals[0].value.has_value());
  BOOST_TEST(!literals[1].value.has_value());
}

BOOST_AUTO_TEST_CASE(literals_follow_the_standard_strings_setting) {
  const lexer_options off{.standard_conforming_strings = false};
  const std::vector<string_literal> literals = literals_in("'a\\'b'", off);
  BOOST_REQUIRE(literals.size() == 1u);
  BOOST_TEST(literals[0].value.value_or("") == "a'b");
}

BOOST_AUTO_TEST_CASE(random_bytes_never_break_the_finders) {
  constexpr std::string_view pieces[] = {
      "public", ".", " ", "\"", "'", "U&", "\"x\"", "UESCAPE", "OPERATOR", "(", ")", "->",
      "::", "$$", "/*", "*/", "--", "\n", "CREATE", "EXTENSION", "SCHEMA", "WITH", ";", "E'",
      "\\", "!", "*", "a",
  };
  std::mt19937 generator(7);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(pieces) - 1);
  std::uniform_int_distribution<int> count(0, 24);
  for (int round = 0; round < 5000; ++round) {
    std::string sql;
    for (int index = count(generator); index > 0; --index)
      sql += pieces[piece(generator)];
    const std::vector<token> tokens = tokenize(sql);
    bool is_inside = true;
    for (const qualified_name& name : find_qualified_names(sql, tokens))
      is_inside = is_inside && name.parts.size() >= 2 && name.range.end <= sql.size() &&
                  name.range.begin < name.range.end;
    for (const string_literal& literal : find_string_literals(sql, tokens))
      is_inside = is_inside && literal.range.end <= sql.size();
    for (const extension_schema_clause& clause : find_extension_schema_clauses(sql, tokens))
      is_inside = is_inside && clause.schema_range.end <= sql.size();
    BOOST_TEST_INFO("input: " << sql);
    BOOST_TEST(is_inside);
  }
}

BOOST_AUTO_TEST_SUITE_END()
