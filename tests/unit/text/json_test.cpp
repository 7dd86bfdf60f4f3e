// SPDX-License-Identifier: PostgreSQL
// Tests of JSON string output (src/lib/text/json.cpp): archives carry text in
// any server encoding, and every byte must come out as valid JSON.
#include <boost/test/unit_test.hpp>

#include "text/json.hpp"

#include <string>

using namespace pgarc;
using namespace pgarc::detail;

namespace {

std::string json_of(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(text_json)

BOOST_AUTO_TEST_CASE(plain_text_is_quoted) {
  BOOST_TEST(json_of("") == "\"\"");
  BOOST_TEST(json_of("CREATE EXTENSION citext;") == "\"CREATE EXTENSION citext;\"");
}

BOOST_AUTO_TEST_CASE(quotes_backslashes_and_line_breaks_are_escaped) {
  BOOST_TEST(json_of("say \"hi\"") == R"("say \"hi\"")");
  BOOST_TEST(json_of("C:\\dir") == R"("C:\\dir")");
  BOOST_TEST(json_of("a\nb\r\tc") == R"("a\nb\r\tc")");
}

BOOST_AUTO_TEST_CASE(other_control_characters_and_delete_become_u_escapes) {
  BOOST_TEST(json_of(std::string_view("\0\x01\x1f\x7f", 4)) == R"("\u0000\u0001\u001f\u007f")");
}

BOOST_AUTO_TEST_CASE(valid_utf8_is_kept_as_is) {
  BOOST_TEST(json_of("caf\xc3\xa9") == "\"caf\xc3\xa9\"");                 // 2 bytes
  BOOST_TEST(json_of("\xe2\x82\xac") == "\"\xe2\x82\xac\"");                // 3 bytes: euro sign
  BOOST_TEST(json_of("\xf0\x9f\x98\x80") == "\"\xf0\x9f\x98\x80\"");        // 4 bytes
  BOOST_TEST(json_of("\xf4\x8f\xbf\xbf") == "\"\xf4\x8f\xbf\xbf\"");        // U+10FFFF, the last
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_utf8_are_read_as_latin1) {
  BOOST_TEST(json_of("caf\xe9") == R"("caf\u00e9")");                       // LATIN1 e-acute
  BOOST_TEST(json_of("\xc3") == R"("\u00c3")");                             // cut after the lead byte
  BOOST_TEST(json_of("\xe2\x82") == R"("\u00e2\u0082")");                   // cut in a 3-byte sequence
  BOOST_TEST(json_of("\xc3(") == R"("\u00c3(")");                           // a lead byte without continuation
  BOOST_TEST(json_of("\x80") == R"("\u0080")");                             // a lone continuation byte
  BOOST_TEST(json_of("\xf8\x88\x80\x80\x80") == R"("\u00f8\u0088\u0080\u0080\u0080")"); // 5-byte form
}

BOOST_AUTO_TEST_CASE(overlong_surrogate_and_out_of_range_sequences_are_not_utf8) {
  BOOST_TEST(json_of("\xc0\xaf") == R"("\u00c0\u00af")");                   // overlong "/"
  BOOST_TEST(json_of("\xe0\x80\xaf") == R"("\u00e0\u0080\u00af")");         // overlong, 3 bytes
  BOOST_TEST(json_of("\xed\xa0\x80") == R"("\u00ed\u00a0\u0080")");         // U+D800, a surrogate
  BOOST_TEST(json_of("\xf4\x90\x80\x80") == R"("\u00f4\u0090\u0080\u0080")"); // past U+10FFFF
}

BOOST_AUTO_TEST_CASE(null_is_apart_from_empty) {
  std::string out;
  append_json_nullable(out, pg_string{});
  out += ',';
  append_json_nullable(out, pg_string{""});
  out += ',';
  append_json_nullable(out, pg_string{"x"});
  BOOST_TEST(out == R"(null,"","x")");
}

BOOST_AUTO_TEST_SUITE_END()
