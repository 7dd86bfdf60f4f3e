// SPDX-License-Identifier: PostgreSQL
// Tests of the live catalog (src/lib/catalog/live_catalog.cpp) that need no
// server: connection strings in messages, and failing to connect.
#include <boost/test/unit_test.hpp>

#include "catalog/live_catalog.hpp"
#include "catalog/members_query.hpp"
#include "messages.hpp"

using namespace pgarc;
using namespace pgarc::detail;
using pgarc::test::message_is;

BOOST_AUTO_TEST_SUITE(live_catalog)

BOOST_AUTO_TEST_CASE(conninfo_is_described_without_password) {
  BOOST_TEST(describe_conninfo("dbname=shop password=secret host=/nowhere") ==
             "dbname=shop host=/nowhere");
  BOOST_TEST(describe_conninfo("user='a b' dbname='it\\'s'") == "user='a b' dbname='it\\'s'");
  BOOST_TEST(describe_conninfo("") == "");
}

BOOST_AUTO_TEST_CASE(uri_is_described_without_password) {
  BOOST_TEST(describe_conninfo("postgresql://alice:secret@/shop?host=/nowhere&port=1") ==
             "user=alice dbname=shop host=/nowhere port=1");
}

BOOST_AUTO_TEST_CASE(malformed_conninfo_is_an_io_error_that_does_not_repeat_it) {
  BOOST_CHECK_EXCEPTION(
      describe_conninfo("host=/nowhere nonsense=1"), io_error,
      message_is("invalid connection string: invalid connection option \"nonsense\""));
  BOOST_CHECK_EXCEPTION(read_live_catalog("host=/nowhere password"), io_error,
                        message_is("invalid connection string: missing \"=\" after \"password\" in "
                                   "connection info string"));
}

BOOST_AUTO_TEST_CASE(failed_connection_names_target_and_first_line_of_reason) {
  BOOST_CHECK_EXCEPTION(
      read_live_catalog("host=/nonexistent-pgarc-socket-dir port=1 password=secret"), io_error,
      message_is(
          "could not connect to \"host=/nonexistent-pgarc-socket-dir port=1\": connection to "
          "server on socket \"/nonexistent-pgarc-socket-dir/.s.PGSQL.1\" failed: No such file "
          "or directory"));
}

BOOST_AUTO_TEST_CASE(embedded_query_is_members_sql) {
  const std::string_view query = members_query();
  BOOST_TEST(query.starts_with("-- SPDX-License-Identifier: PostgreSQL\n"));
  BOOST_TEST(query.find("deptype = 'e'") != std::string_view::npos);
  BOOST_TEST(query.ends_with("r.identity COLLATE \"C\", r.schema COLLATE \"C\";\n"));
}

BOOST_AUTO_TEST_SUITE_END()
