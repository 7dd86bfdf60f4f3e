// SPDX-License-Identifier: PostgreSQL
// The text of members.sql, compiled into the library by tools/embed-text so
// that the live catalog sends the very query the built-in catalog was made with.
#pragma once

#include <string_view>

namespace pgarc::detail {

/// members.sql, byte for byte.
std::string_view members_query() noexcept;

} // namespace pgarc::detail
