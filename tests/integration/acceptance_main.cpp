// SPDX-License-Identifier: PostgreSQL
// Entry point of the retargeting acceptance tests (meson suite "acceptance",
// always registered): the same fixture as the integration tests.
#define BOOST_TEST_MODULE pgarc retargeting acceptance tests
#include <boost/test/unit_test.hpp>

#include "app_fixture.hpp"

using pgarc::test::app_fixture;
BOOST_TEST_GLOBAL_FIXTURE(app_fixture);
