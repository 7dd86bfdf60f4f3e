// SPDX-License-Identifier: PostgreSQL
// Tests of the libpq wrapper (src/lib/pq/connection.cpp)
// that need no server: messages without passwords, array parameters, and a
// connection to a socket that does not exist.
#include <boost/test/unit_test.hpp>

#include "messages.hpp"
#include "pq/connection.hpp"

using namespace pgarc;
using namespace pgarc::detail;
using pgarc::test::message_is;

BOOST_AUTO_TEST_SUITE(pq_connection)

BOOST_AUTO_TEST_CASE(first_line_drops_the_rest_and_trailing_space) {
  BOOST_TEST(first_line("connection failed: x  \n\tIs the server running?\n") == "connection failed: x");
  BOOST_TEST(first_line("") == "");
}

BOOST_AUTO_TEST_CASE(redaction_keeps_option_names_and_hides_quoted_parts_of_the_string) {
  BOOST_TEST(redact_conninfo_message("invalid connection option \"passwrd\"") ==
             "invalid connection option \"passwrd\"");
  BOOST_TEST(redact_conninfo_message("missing \"=\" after \"user:s3cret@host\" in connection info string") ==
             "missing \"=\" after \"...\" in connection info string");
  BOOST_TEST(redact_conninfo_message("invalid percent-encoded token: \"%zz:s3cret\"") ==
             "invalid percent-encoded token: \"...\"");
  BOOST_TEST(redact_conninfo_message("unterminated quoted string in connection info string") ==
             "unterminated quoted string in connection info string");
  BOOST_TEST(redact_conninfo_message("odd \"quote") == "odd \"quote");
}

BOOST_AUTO_TEST_CASE(text_array_literal_quotes_every_element) {
  BOOST_TEST(text_array_literal({}) == "{}");
  BOOST_TEST(text_array_literal({"citext", "uuid-ossp", "a\"b\\c", "NULL"}) ==
             "{\"citext\",\"uuid-ossp\",\"a\\\"b\\\\c\",\"NULL\"}");
}

BOOST_AUTO_TEST_CASE(failed_connection_is_one_io_error_line_without_the_password) {
  BOOST_CHECK_EXCEPTION(pg_connection("host=/nonexistent/pgarc port=1 password=s3cret dbname=x", "pgarc test"), io_error,
                        message_is("could not connect to database: connection to server on socket "
                                   "\"/nonexistent/pgarc/.s.PGSQL.1\" failed: No such file or directory"));
  BOOST_CHECK_EXCEPTION(pg_connection("postgresql://app:s3cret@/x?host=/nonexistent/pgarc&port=1&bogus=1", "pgarc test"), io_error,
                        message_is("could not connect to database: invalid URI query parameter: \"bogus\""));
  BOOST_CHECK_EXCEPTION(pg_connection("host=/nonexistent/pgarc port=1 password='s3cret", "pgarc test"), io_error,
                        message_is("could not connect to database: unterminated quoted string in connection info "
                                   "string"));
}

BOOST_AUTO_TEST_SUITE_END()
