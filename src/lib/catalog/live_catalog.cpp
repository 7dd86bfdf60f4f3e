// SPDX-License-Identifier: PostgreSQL
// Reads a server's extension members with libpq. The library must not print:
// libpq's default notice processor writes to stderr, so it is replaced.
#include "catalog/live_catalog.hpp"

#include "catalog/members_query.hpp"
#include "pgarc/errors.hpp"

#include <libpq-fe.h>

#include <cstring>
#include <memory>
#include <vector>

namespace pgarc::detail {

namespace {

// members.sql uses pg_proc.prokind and starts_with, both new in PostgreSQL 11.
constexpr int oldest_server_version = 110000;

struct connection_closer {
  void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
struct result_clearer {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
struct options_freer {
  void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};
using connection_ptr = std::unique_ptr<PGconn, connection_closer>;
using result_ptr = std::unique_ptr<PGresult, result_clearer>;
using options_ptr = std::unique_ptr<PQconninfoOption, options_freer>;

// libpq's messages end in a newline and may go on with a hint on the next line.
std::string first_line(const char* message) {
  if (message == nullptr)
    return {};
  std::string line(message, std::strcspn(message, "\n"));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
    line.pop_back();
  return line;
}

// A value as libpq's conninfo parser reads it back: bare when that is
// unambiguous, otherwise in single quotes with ' and \ escaped by a backslash.
std::string quote_option(std::string_view value) {
  const bool is_bare =
      !value.empty() && value.find_first_of(" \t\n\r\f\v'\\") == std::string_view::npos;
  if (is_bare)
    return std::string(value);
  std::string quoted = "'";
  for (const char character : value) {
    if (character == '\'' || character == '\\')
      quoted += '\\';
    quoted += character;
  }
  quoted += '\'';
  return quoted;
}

[[noreturn]] void throw_connect_error(const std::string& target, const std::string& reason) {
  if (target.empty())
    throw io_error("could not connect: " + reason);
  throw io_error("could not connect to \"" + target + "\": " + reason);
}

void ignore_notice(void*, const char*) {}

} // namespace

std::string describe_conninfo(const std::string& conninfo) {
  char* parse_error = nullptr;
  options_ptr options(PQconninfoParse(conninfo.c_str(), &parse_error));
  if (!options) {
    // Not the text itself: a malformed string may still hold a password.
    const std::string reason = first_line(parse_error);
    PQfreemem(parse_error);
    throw io_error("invalid connection string: " + (reason.empty() ? "out of memory" : reason));
  }
  std::string described;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr || std::strcmp(option->keyword, "password") == 0)
      continue;
    if (!described.empty())
      described += ' ';
    described += option->keyword;
    described += '=';
    described += quote_option(option->val);
  }
  return described;
}

member_catalog read_live_catalog(const std::string& conninfo) {
  const std::string target = describe_conninfo(conninfo);
  connection_ptr connection(PQconnectdb(conninfo.c_str()));
  if (!connection)
    throw_connect_error(target, "out of memory");
  if (PQstatus(connection.get()) != CONNECTION_OK)
    throw_connect_error(target, first_line(PQerrorMessage(connection.get())));
  PQsetNoticeProcessor(connection.get(), ignore_notice, nullptr);

  const int server_version = PQserverVersion(connection.get());
  if (server_version < oldest_server_version) {
    throw unsupported_error("server \"" + target + "\" runs PostgreSQL " +
                            std::to_string(server_version / 10000) + "." +
                            std::to_string(server_version / 100 % 100) +
                            "; reading its extension members needs PostgreSQL 11 or later");
  }

  // members.sql does not depend on search_path, but as pg_dump does, we empty
  // it so that no schema a user can write to is searched while our query runs.
  const auto run = [&connection, &target](const char* sql) {
    result_ptr result(
        PQexecParams(connection.get(), sql, 0, nullptr, nullptr, nullptr, nullptr, 0));
    if (!result || PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
      const char* primary =
          result ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
      const std::string reason =
          first_line(primary != nullptr ? primary : PQerrorMessage(connection.get()));
      throw io_error("could not read extension members from \"" + target + "\": " + reason);
    }
    return result;
  };
  run("SELECT pg_catalog.set_config('search_path', '', false)");
  const std::string query(members_query());
  const result_ptr result = run(query.c_str());

  constexpr int column_count = 6;
  if (PQnfields(result.get()) != column_count) {
    throw io_error("could not read extension members from \"" + target + "\": expected " +
                   std::to_string(column_count) + " columns, got " +
                   std::to_string(PQnfields(result.get())));
  }

  // Copy all values into one block the catalog keeps, then view into it.
  const int row_count = PQntuples(result.get());
  std::size_t text_size = 0;
  for (int row_index = 0; row_index < row_count; ++row_index) {
    for (int column = 0; column < column_count; ++column)
      text_size += static_cast<std::size_t>(PQgetlength(result.get(), row_index, column));
  }
  auto text = std::make_shared<std::vector<char>>(text_size);
  std::vector<catalog_row> rows;
  rows.reserve(static_cast<std::size_t>(row_count));
  std::size_t used = 0;
  const auto copy_value = [&](int row_index, int column) {
    const auto length = static_cast<std::size_t>(PQgetlength(result.get(), row_index, column));
    if (length == 0)
      return std::string_view();
    char* start = text->data() + used;
    std::memcpy(start, PQgetvalue(result.get(), row_index, column), length);
    used += length;
    return std::string_view(start, length);
  };
  for (int row_index = 0; row_index < row_count; ++row_index) {
    catalog_row row;
    row.extension = copy_value(row_index, 0);
    row.version = copy_value(row_index, 1);
    row.kind = copy_value(row_index, 2);
    row.schema = copy_value(row_index, 3);
    row.name = copy_value(row_index, 4);
    row.identity = copy_value(row_index, 5);
    rows.push_back(row);
  }
  return make_member_catalog(rows, std::move(text));
}

} // namespace pgarc::detail
