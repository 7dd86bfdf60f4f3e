// SPDX-License-Identifier: PostgreSQL
// Entry point of the unit test executable; the suites live beside it.
#define BOOST_TEST_MODULE pgarc unit tests
#include <boost/test/unit_test.hpp>
