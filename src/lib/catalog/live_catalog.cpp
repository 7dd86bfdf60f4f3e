// SPDX-License-Identifier: PostgreSQL
// Reads a server's extension members: members.sql through the libpq wrapper.
#include "catalog/live_catalog.hpp"

#include "catalog/members_query.hpp"
#include "pgarc/errors.hpp"
#include "pq/connection.hpp"

#include <memory>
#include <vector>

namespace pgarc::detail {

namespace {

// members.sql uses pg_proc.prokind and starts_with, both new in PostgreSQL 11.
constexpr int oldest_server_version = 110000;
constexpr std::size_t column_count = 6;

} // namespace

member_catalog read_live_catalog(const std::string& conninfo) {
  pg_connection connection(conninfo, "pgarc catalog");
  const int server_version = connection.server_version();
  if (server_version < oldest_server_version)
    throw unsupported_error("the server runs PostgreSQL " + std::to_string(server_version / 10000) + "." +
                            std::to_string(server_version / 100 % 100) +
                            "; reading its extension members needs PostgreSQL 11 or later");

  // members.sql does not depend on search_path, but as pg_dump does, we empty
  // it so that no schema a user can write to is searched while our query runs.
  connection.query("the search path", "SELECT pg_catalog.set_config('search_path', '', false)");
  const std::vector<pg_row> result = connection.query("extension members", std::string(members_query()));

  // Copy all values into one block the catalog keeps, then view into it.
  std::size_t text_size = 0;
  for (const auto& row : result) {
    if (row.size() != column_count)
      throw io_error("could not read extension members: expected " + std::to_string(column_count) +
                     " columns, got " + std::to_string(row.size()));
    for (const auto& value : row)
      text_size += value ? value->size() : 0;
  }
  auto text = std::make_shared<std::vector<char>>(text_size);
  std::size_t used = 0;
  const auto keep = [&](const std::optional<std::string>& value) {
    if (!value || value->empty())
      return std::string_view();
    char* start = text->data() + used;
    value->copy(start, value->size());
    used += value->size();
    return std::string_view(start, value->size());
  };
  std::vector<catalog_row> rows;
  rows.reserve(result.size());
  for (const auto& values : result) {
    catalog_row row;
    row.extension = keep(values[0]);
    row.version = keep(values[1]);
    row.kind = keep(values[2]);
    row.schema = keep(values[3]);
    row.name = keep(values[4]);
    row.identity = keep(values[5]);
    rows.push_back(row);
  }
  return make_member_catalog(rows, std::move(text));
}

} // namespace pgarc::detail
