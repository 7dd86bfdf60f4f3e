// SPDX-License-Identifier: PostgreSQL
// Minimal JSON output helpers for listings and reports.
#pragma once

#include "pgarc/archive.hpp"

#include <string>
#include <string_view>

namespace pgarc::detail {

/// Appends `text` as a JSON string literal. Valid UTF-8 is kept as is; any
/// byte that is not part of valid UTF-8 is written as \u00XX (its Latin-1
/// reading), since archives may be in any server encoding.
void append_json_string(std::string& out, std::string_view text);
/// Appends a pg_string: null for NULL.
void append_json_nullable(std::string& out, const pg_string& text);

} // namespace pgarc::detail
