// SPDX-License-Identifier: PostgreSQL
// Predicates for BOOST_CHECK_EXCEPTION that compare exact error messages.
#pragma once

#include "pgarc/errors.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace pgarc::test {

/// Matches an exception whose what() equals `expected`, printing both if not.
inline auto message_is(std::string expected) {
  return [expected = std::move(expected)](const std::exception& problem) {
    BOOST_TEST_INFO("message: " << problem.what());
    BOOST_TEST_INFO("expected: " << expected);
    return expected == problem.what();
  };
}

} // namespace pgarc::test
