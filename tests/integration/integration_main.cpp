// SPDX-License-Identifier: PostgreSQL
// Entry point of the integration tests (meson suite "integration"): a real
// PostgreSQL cluster, started once for the run by the global fixture.
#define BOOST_TEST_MODULE pgarc integration tests
#include <boost/test/unit_test.hpp>

#include "app_fixture.hpp"

using pgarc::test::app_fixture;
BOOST_TEST_GLOBAL_FIXTURE(app_fixture);
