// SPDX-License-Identifier: PostgreSQL
// Lets Boost.Test print the SQL lexer's enums in failed checks.
#pragma once

#include "sql/keywords.hpp"
#include "sql/lexer.hpp"

#include <ostream>

namespace pgarc::detail {

inline std::ostream& boost_test_print_type(std::ostream& out, token_kind kind) {
  return out << token_kind_name(kind);
}

inline std::ostream& boost_test_print_type(std::ostream& out, keyword_category category) {
  return out << "keyword_category(" << static_cast<int>(category) << ")";
}

} // namespace pgarc::detail
