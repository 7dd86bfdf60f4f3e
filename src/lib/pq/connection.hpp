// SPDX-License-Identifier: PostgreSQL
// A small libpq wrapper: one connection, text parameters and results, errors
// as pgarc::io_error with one line and never a password. Notices are dropped,
// because the library never prints. The preflight (target_facts.cpp) and the
// live extension catalog (live_catalog.cpp) use it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;

namespace pgarc::detail {

/// One result row: NULL is nullopt.
using pg_row = std::vector<std::optional<std::string>>;

/// How a statement the caller expected might fail went wrong.
struct pg_failure {
  std::string sqlstate;
  std::string message; ///< the primary message, one line
};

class pg_connection {
public:
  /// Connects with `conninfo` (key=value or URI; libpq adds the PG*
  /// environment). Throws io_error "could not connect to database: <first
  /// line of libpq's message>", with the password and anything libpq quoted
  /// from an unparsable `conninfo` replaced by "...".
  /// `application` is the fallback_application_name the server sees.
  pg_connection(const std::string& conninfo, const char* application);
  ~pg_connection();
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;

  /// Runs one statement with text parameters and returns its rows. Throws
  /// io_error "could not read <what>: <server's message>".
  std::vector<pg_row> query(std::string_view what, const std::string& sql,
                            const std::vector<std::string>& parameters = {});
  /// Like query() for a statement without rows.
  void execute(std::string_view what, const std::string& sql);
  /// Runs a statement that may fail; the failure is returned, not thrown
  /// (a broken connection still throws io_error).
  std::optional<pg_failure> try_execute(const std::string& sql);

  int server_version() const noexcept;

private:
  pg_conn* m_connection = nullptr;
};

/// The first line of a libpq message, without trailing white space.
std::string first_line(std::string_view message);

/// libpq's message for a connection string it could not parse may quote
/// parts of the string, which may contain a password. Every quoted part that
/// is not a plain lowercase word (an option name) becomes "...".
std::string redact_conninfo_message(std::string_view message);

/// A text[] literal for a query parameter: {"a","b\"c"}.
std::string text_array_literal(const std::vector<std::string>& values);

} // namespace pgarc::detail
