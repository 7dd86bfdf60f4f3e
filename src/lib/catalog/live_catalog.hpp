// SPDX-License-Identifier: PostgreSQL
// The extension catalog of a running server: members.sql sent through libpq.
// Use it when the target server has extensions or versions the built-in
// catalog (builtin_catalog.hpp) does not know.
#pragma once

#include "catalog/member_catalog.hpp"

#include <string>

namespace pgarc::detail {

/// Connects with `conninfo` (a "key=value" string or a postgresql:// URI;
/// libpq fills in what it leaves out from the PG* environment variables and
/// ~/.pgpass, as psql does), runs members.sql in that database and returns its
/// extensions and members. The catalog owns its text. Needs PostgreSQL 11 or
/// later. Throws io_error when the connection or the query fails, and
/// unsupported_error for an older server; messages never contain a password.
member_catalog read_live_catalog(const std::string& conninfo);

} // namespace pgarc::detail
