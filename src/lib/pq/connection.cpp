// SPDX-License-Identifier: PostgreSQL
// The libpq wrapper; see connection.hpp.
#include "pq/connection.hpp"

#include "pgarc/errors.hpp"

#include "pq/libpq.hpp"

#include <cctype>

namespace pgarc::detail {

namespace {

/// The library never prints: notices and warnings from the server go nowhere.
void drop_notice(void*, const char*) {}

struct result_deleter {
  void operator()(PGresult* result) const noexcept { libpq().PQclear(result); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

std::string error_text(const PGresult* result, pg_conn* connection) {
  if (result != nullptr)
    if (const char* primary = libpq().PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY))
      return first_line(primary);
  return first_line(libpq().PQerrorMessage(connection));
}

bool is_option_name(std::string_view text) {
  if (text.empty())
    return false;
  for (const char letter : text)
    if (!(std::islower(static_cast<unsigned char>(letter)) || letter == '_'))
      return false;
  return true;
}

} // namespace

std::string first_line(std::string_view message) {
  std::string line(message.substr(0, message.find('\n')));
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
    line.pop_back();
  return line;
}

std::string redact_conninfo_message(std::string_view message) {
  std::string out;
  std::size_t position = 0;
  while (position < message.size()) {
    const auto open = message.find('"', position);
    if (open == std::string_view::npos)
      break;
    const auto close = message.find('"', open + 1);
    if (close == std::string_view::npos)
      break;
    const std::string_view quoted = message.substr(open + 1, close - open - 1);
    out.append(message.substr(position, open + 1 - position));
    // A quoted "=" is libpq naming the separator it wanted; an option name
    // is harmless; anything else may be a piece of the string, password included.
    out.append(quoted == "=" || is_option_name(quoted) ? quoted : std::string_view("..."));
    out.push_back('"');
    position = close + 1;
  }
  if (position < message.size())
    out.append(message.substr(position));
  return out;
}

std::string text_array_literal(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (std::size_t index = 0; index < values.size(); ++index) {
    literal += index ? ",\"" : "\"";
    for (const char letter : values[index]) {
      if (letter == '"' || letter == '\\')
        literal.push_back('\\');
      literal.push_back(letter);
    }
    literal.push_back('"');
  }
  return literal + "}";
}

pg_connection::pg_connection(const std::string& conninfo, const char* application) {
  // libpq reads a value with "=" or a URI prefix as a connection string,
  // anything else as a database name (expand_dbname below). A string it
  // cannot parse is refused here, with its quotes of the string left out.
  const bool is_connection_string = conninfo.find('=') != std::string::npos ||
                                    conninfo.rfind("postgresql://", 0) == 0 ||
                                    conninfo.rfind("postgres://", 0) == 0;
  if (is_connection_string) {
    char* parse_error = nullptr;
    PQconninfoOption* parsed = libpq().PQconninfoParse(conninfo.c_str(), &parse_error);
    if (parsed == nullptr) {
      const std::string reason =
          parse_error ? redact_conninfo_message(first_line(parse_error)) : std::string("out of memory");
      libpq().PQfreemem(parse_error);
      throw io_error("could not connect to database: " + reason);
    }
    libpq().PQconninfoFree(parsed);
  }

  const char* const keywords[] = {"dbname", "fallback_application_name", nullptr};
  const char* const values[] = {conninfo.c_str(), application, nullptr};
  m_connection = libpq().PQconnectdbParams(keywords, values, 1);
  if (m_connection == nullptr)
    throw io_error("could not connect to database: out of memory");
  if (libpq().PQstatus(m_connection) != CONNECTION_OK) {
    std::string reason = first_line(libpq().PQerrorMessage(m_connection));
    // The server may echo names back ("database \"...\" does not exist");
    // none of them should be a password, but a mistyped string can make one.
    std::vector<std::string> secrets;
    if (PQconninfoOption* used = libpq().PQconninfo(m_connection)) {
      for (const PQconninfoOption* option = used; option->keyword != nullptr; ++option)
        if (std::string_view(option->keyword) == "password" && option->val != nullptr && *option->val != '\0')
          secrets.emplace_back(option->val);
      libpq().PQconninfoFree(used);
    }
    if (!is_connection_string && conninfo.find('@') != std::string::npos)
      secrets.push_back(conninfo); // "user:secret@host" meant as a URI
    for (const auto& secret : secrets)
      for (auto found = reason.find(secret); found != std::string::npos; found = reason.find(secret, found + 3))
        reason.replace(found, secret.size(), "...");
    libpq().PQfinish(m_connection);
    m_connection = nullptr;
    throw io_error("could not connect to database: " + reason);
  }
  libpq().PQsetNoticeProcessor(m_connection, drop_notice, nullptr);
}

pg_connection::~pg_connection() {
  if (m_connection != nullptr)
    libpq().PQfinish(m_connection);
}

int pg_connection::server_version() const noexcept { return libpq().PQserverVersion(m_connection); }

std::vector<pg_row> pg_connection::query(std::string_view what, const std::string& sql,
                                         const std::vector<std::string>& parameters) {
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& parameter : parameters)
    values.push_back(parameter.c_str());
  result_ptr result(libpq().PQexecParams(m_connection, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = result ? libpq().PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    throw io_error("could not read " + std::string(what) + ": " + error_text(result.get(), m_connection));
  std::vector<pg_row> rows;
  const int row_count = libpq().PQntuples(result.get());
  const int column_count = libpq().PQnfields(result.get());
  rows.reserve(static_cast<std::size_t>(row_count));
  for (int row_index = 0; row_index < row_count; ++row_index) {
    pg_row row;
    row.reserve(static_cast<std::size_t>(column_count));
    for (int column_index = 0; column_index < column_count; ++column_index) {
      if (libpq().PQgetisnull(result.get(), row_index, column_index))
        row.emplace_back(std::nullopt);
      else
        row.emplace_back(std::string(libpq().PQgetvalue(result.get(), row_index, column_index),
                                     static_cast<std::size_t>(libpq().PQgetlength(result.get(), row_index, column_index))));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void pg_connection::execute(std::string_view what, const std::string& sql) { query(what, sql); }

std::optional<pg_failure> pg_connection::try_execute(const std::string& sql) {
  result_ptr result(libpq().PQexec(m_connection, sql.c_str()));
  const ExecStatusType status = result ? libpq().PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
    return std::nullopt;
  if (libpq().PQstatus(m_connection) != CONNECTION_OK)
    throw io_error("lost the connection to the database: " + error_text(result.get(), m_connection));
  pg_failure failure;
  if (result)
    if (const char* state = libpq().PQresultErrorField(result.get(), PG_DIAG_SQLSTATE))
      failure.sqlstate = state;
  failure.message = error_text(result.get(), m_connection);
  return failure;
}

} // namespace pgarc::detail
