// SPDX-License-Identifier: PostgreSQL
// read_target_facts: what the database says about itself, through
// pg_connection. Everything is read in a READ ONLY transaction; the one
// statement that could change something (the enforcement probe) runs in a
// transaction that is always rolled back, and is checked afterwards.
#include "pgarc/preflight.hpp"

#include "pgarc/errors.hpp"
#include "pq/connection.hpp"
#include "sql/identifiers.hpp"

#include <algorithm>

namespace pgarc {

namespace {

using detail::pg_connection;
using detail::pg_row;

const std::string& value(const pg_row& row, std::size_t column) {
  static const std::string empty;
  return row.at(column) ? *row[column] : empty;
}

bool is_true(const pg_row& row, std::size_t column) { return value(row, column) == "t"; }

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return parts;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

/// Small extensions without dependencies, trusted since PostgreSQL 13, whose
/// scripts only create functions or types: creating one in a scratch schema
/// and rolling back touches nothing else.
const std::vector<std::string>& probe_candidates() {
  static const std::vector<std::string> names = {
      "tsm_system_rows", "tsm_system_time", "dict_int", "seg", "isn", "lo", "fuzzystrmatch",
      "cube", "ltree", "hstore", "citext", "pg_trgm", "btree_gin", "intarray", "unaccent"};
  return names;
}

void read_database(pg_connection& connection, target_facts& facts) {
  const auto rows = connection.query(
      "the database's settings",
      "SELECT pg_catalog.current_database(), current_user,"
      " pg_catalog.current_setting('server_version'),"
      " pg_catalog.current_setting('server_version_num'),"
      " pg_catalog.current_setting('is_superuser') = 'on',"
      " pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE'),"
      " pg_catalog.pg_has_role(d.datdba, 'MEMBER'),"
      " pg_catalog.pg_is_in_recovery(),"
      " pg_catalog.current_setting('default_transaction_read_only') = 'on',"
      " pg_catalog.current_setting('search_path')"
      " FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database()");
  if (rows.size() != 1)
    throw io_error("could not read the database's settings: the database is not in pg_database");
  const pg_row& row = rows.front();
  facts.database = value(row, 0);
  facts.role = value(row, 1);
  facts.server_version = value(row, 2);
  try {
    facts.server_version_num = std::stoi(value(row, 3));
  } catch (const std::exception&) {
    facts.server_version_num = connection.server_version();
  }
  facts.is_superuser = is_true(row, 4);
  facts.may_create_in_database = is_true(row, 5);
  facts.owns_database = is_true(row, 6);
  facts.in_recovery = is_true(row, 7);
  facts.default_read_only = is_true(row, 8);
  facts.search_path = value(row, 9);
}

/// search_path settings made with ALTER DATABASE / ALTER ROLE. The catalog
/// is readable by everyone in stock PostgreSQL; a host may hide it, so a
/// failure is recorded rather than thrown (inside a savepoint).
void read_search_path_settings(pg_connection& connection, target_facts& facts) {
  connection.execute("a savepoint", "SAVEPOINT pgarc_settings");
  try {
    const auto rows = connection.query(
        "search_path settings",
        "SELECT s.setdatabase <> 0, s.setrole <> 0, substr(c.setting, 13)"
        " FROM pg_catalog.pg_db_role_setting AS s, pg_catalog.unnest(s.setconfig) AS c(setting)"
        " WHERE c.setting LIKE 'search\\_path=%'"
        "   AND s.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database"
        "                              WHERE datname = pg_catalog.current_database()))"
        "   AND s.setrole IN (0, (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user))");
    int role_rank = 0; // ALTER ROLE IN DATABASE beats ALTER ROLE
    for (const auto& row : rows) {
      const bool for_database = is_true(row, 0);
      const bool for_role = is_true(row, 1);
      if (for_database && !for_role)
        facts.database_search_path = value(row, 2);
      else if (for_role && (for_database ? 2 : 1) > role_rank) {
        role_rank = for_database ? 2 : 1;
        facts.role_search_path = value(row, 2);
      }
    }
    connection.execute("a savepoint", "RELEASE SAVEPOINT pgarc_settings");
  } catch (const io_error&) {
    connection.execute("a savepoint", "ROLLBACK TO SAVEPOINT pgarc_settings");
    facts.settings_readable = false;
  }
}

std::vector<target_schema> read_schemas(pg_connection& connection, const std::vector<std::string>& names) {
  const auto rows = connection.query(
      "schemas",
      "SELECT s.name, n.oid IS NOT NULL, pg_catalog.pg_get_userbyid(n.nspowner),"
      " n.oid IS NOT NULL AND pg_catalog.has_schema_privilege(n.oid, 'CREATE'),"
      " n.oid IS NOT NULL AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')"
      " FROM pg_catalog.unnest($1::pg_catalog.text[]) WITH ORDINALITY AS s(name, position)"
      " LEFT JOIN pg_catalog.pg_namespace AS n ON n.nspname = s.name ORDER BY s.position",
      {detail::text_array_literal(names)});
  std::vector<target_schema> schemas;
  for (const auto& row : rows)
    schemas.push_back({value(row, 0), is_true(row, 1), value(row, 2), is_true(row, 3), is_true(row, 4)});
  return schemas;
}

std::vector<target_extension> read_extensions(pg_connection& connection, const std::vector<std::string>& names,
                                              int server_version_num) {
  // pg_available_extension_versions.trusted is PostgreSQL 13's.
  const std::string trusted = server_version_num >= 130000 ? "v.trusted" : "false";
  const auto rows = connection.query(
      "extensions",
      "SELECT s.name, a.name IS NOT NULL, a.default_version, coalesce(v.superuser, true), "
      " coalesce(" + trusted + ", false), coalesce(v.relocatable, false), v.schema,"
      " pg_catalog.array_to_string(v.requires, E'\\n'), e.extversion, n.nspname"
      " FROM pg_catalog.unnest($1::pg_catalog.text[]) WITH ORDINALITY AS s(name, position)"
      " LEFT JOIN pg_catalog.pg_available_extensions AS a ON a.name = s.name"
      " LEFT JOIN pg_catalog.pg_available_extension_versions AS v"
      "   ON v.name = a.name AND v.version = a.default_version"
      " LEFT JOIN pg_catalog.pg_extension AS e ON e.extname = s.name"
      " LEFT JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace"
      " ORDER BY s.position",
      {detail::text_array_literal(names)});
  std::vector<target_extension> extensions;
  for (const auto& row : rows) {
    target_extension extension;
    extension.name = value(row, 0);
    extension.available = is_true(row, 1);
    extension.default_version = value(row, 2);
    extension.superuser_only = is_true(row, 3);
    extension.trusted = is_true(row, 4);
    extension.relocatable = is_true(row, 5);
    extension.control_schema = value(row, 6);
    extension.required = split_lines(value(row, 7));
    extension.installed_version = row.at(8);
    extension.installed_schema = row.at(9);
    extensions.push_back(std::move(extension));
  }
  return extensions;
}

/// The schema named in an error such as Heroku's
/// `extension "hstore" must be installed in schema "heroku_ext"`.
std::optional<std::string> schema_named_by(const std::string& message) {
  for (const std::string_view phrase :
       {std::string_view("must be installed in schema \""), std::string_view("must be created in schema \"")}) {
    const auto at = message.find(phrase);
    if (at == std::string::npos)
      continue;
    const auto start = at + phrase.size();
    const auto end = message.find('"', start);
    if (end == std::string::npos || end == start)
      continue;
    return message.substr(start, end - start);
  }
  return std::nullopt;
}

void probe_enforcement(pg_connection& connection, target_facts& facts) {
  enforcement_probe& probe = facts.probe;
  if (facts.in_recovery) {
    probe.skipped_reason = "the server is a standby";
    return;
  }
  if (!facts.is_superuser && !facts.may_create_in_database) {
    probe.skipped_reason = "role " + facts.role + " may not create schemas or extensions in database " +
                           facts.database;
    return;
  }
  const auto candidates = read_extensions(connection, probe_candidates(), facts.server_version_num);
  for (const auto& candidate : candidates) {
    if (candidate.available && !candidate.installed_version && candidate.required.empty() &&
        candidate.control_schema.empty() && candidate.relocatable &&
        (facts.is_superuser || candidate.trusted || !candidate.superuser_only)) {
      probe.extension = candidate.name;
      break;
    }
  }
  if (probe.extension.empty()) {
    probe.skipped_reason = "no small extension (such as tsm_system_rows) is available, not yet installed "
                           "and creatable by role " + facts.role;
    return;
  }
  const auto pid = connection.query("the backend's process id", "SELECT pg_catalog.pg_backend_pid()");
  probe.scratch_schema = "pgarc_probe_" + value(pid.at(0), 0);
  const auto taken = connection.query("schemas", "SELECT count(*) FROM pg_catalog.pg_namespace"
                                                  " WHERE nspname = $1", {probe.scratch_schema});
  if (value(taken.at(0), 0) != "0") {
    probe.skipped_reason = "a schema named " + probe.scratch_schema + " already exists";
    return;
  }

  probe.attempted = true;
  const std::string schema = detail::quote_identifier(probe.scratch_schema, true);
  connection.execute("a transaction", "BEGIN");
  std::optional<detail::pg_failure> failure;
  for (const std::string& statement :
       {std::string("SET LOCAL lock_timeout = '10s'"), std::string("SET LOCAL statement_timeout = '60s'"),
        "CREATE SCHEMA " + schema,
        "CREATE EXTENSION " + detail::quote_identifier(probe.extension, true) + " SCHEMA " + schema}) {
    failure = connection.try_execute(statement);
    if (failure)
      break;
  }
  // Whatever happened, nothing of it stays.
  connection.execute("a transaction", "ROLLBACK");
  probe.extension_created = !failure;
  if (failure) {
    probe.error_message = failure->message;
    probe.sqlstate = failure->sqlstate;
    probe.enforced_schema = schema_named_by(failure->message);
  }
  const auto left = connection.query(
      "what the probe left",
      "SELECT (SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = $1)"
      "     + (SELECT count(*) FROM pg_catalog.pg_extension WHERE extname = $2)",
      {probe.scratch_schema, probe.extension});
  probe.left_nothing_behind = value(left.at(0), 0) == "0";
}

} // namespace

target_facts read_target_facts(const std::string& conninfo, const preflight_plan& plan, bool probe) {
  pg_connection connection(conninfo, "pgarc preflight");
  target_facts facts;
  connection.execute("a transaction", "BEGIN TRANSACTION READ ONLY");
  read_database(connection, facts);
  // For the rest of the session: an empty path keeps objects in the
  // database from standing in for the catalog functions we call.
  connection.execute("a setting", "SELECT pg_catalog.set_config('search_path', '', false)");
  read_search_path_settings(connection, facts);

  std::vector<std::string> schema_names;
  for (const auto& schema : plan.schemas)
    if (!contains(schema_names, schema.name))
      schema_names.push_back(schema.name);
  if (!contains(schema_names, "public"))
    schema_names.push_back("public");
  facts.schemas = read_schemas(connection, schema_names);

  std::vector<std::string> extension_names;
  for (const auto& extension : plan.extensions)
    if (!contains(extension_names, extension.name))
      extension_names.push_back(extension.name);
  facts.extensions = read_extensions(connection, extension_names, facts.server_version_num);
  // What they require, to tell whether it is there.
  std::vector<std::string> required;
  for (const auto& extension : facts.extensions)
    for (const auto& name : extension.required)
      if (!contains(extension_names, name) && !contains(required, name))
        required.push_back(name);
  if (!required.empty())
    for (auto& extension : read_extensions(connection, required, facts.server_version_num))
      facts.extensions.push_back(std::move(extension));
  connection.execute("a transaction", "COMMIT");

  if (probe) {
    probe_enforcement(connection, facts);
    if (facts.probe.enforced_schema && !facts.schema(*facts.probe.enforced_schema)) {
      connection.execute("a transaction", "BEGIN TRANSACTION READ ONLY");
      for (auto& schema : read_schemas(connection, {*facts.probe.enforced_schema}))
        facts.schemas.push_back(std::move(schema));
      connection.execute("a transaction", "COMMIT");
    }
  } else {
    facts.probe.skipped_reason = "not asked for";
  }
  return facts;
}

} // namespace pgarc
