// SPDX-License-Identifier: PostgreSQL
// Tests of the live catalog (src/lib/catalog/live_catalog.cpp) that need no
// server: failing to connect, and the embedded query.
#include <boost/test/unit_test.hpp>

#include "catalog/live_catalog.hpp"
#include "catalog/members_query.hpp"
#include "messages.hpp"

using namespace pgarc;
using namespace pgarc::detail;
using pgarc::test::message_is;

BOOST_AUTO_TEST_SUITE(live_catalog)

BOOST_AUTO_TEST_CASE(failed_connection_is_one_line_without_the_password) {
  // The connection itself is src/lib/pq's, tested in tests/unit/pq.
  BOOST_CHECK_EXCEPTION(
      read_live_catalog("host=/nonexistent-pgarc-socket-dir port=1 password=secret"), io_error,
      message_is("could not connect to database: connection to server on socket "
                 "\"/nonexistent-pgarc-socket-dir/.s.PGSQL.1\" failed: No such file or directory"));
  BOOST_CHECK_EXCEPTION(read_live_catalog("host=/nowhere password"), io_error,
                        message_is("could not connect to database: missing \"=\" after \"password\" in "
                                   "connection info string"));
}

BOOST_AUTO_TEST_CASE(embedded_query_is_members_sql) {
  const std::string_view query = members_query();
  BOOST_TEST(query.starts_with("-- SPDX-License-Identifier: PostgreSQL\n"));
  BOOST_TEST(query.find("deptype = 'e'") != std::string_view::npos);
  BOOST_TEST(query.ends_with("r.identity COLLATE \"C\", r.schema COLLATE \"C\";\n"));
}

BOOST_AUTO_TEST_SUITE_END()
