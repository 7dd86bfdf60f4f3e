// SPDX-License-Identifier: PostgreSQL
// Tests of the integration harness itself (tests/support): the cluster is
// private and always removed, missing programs are reported, dump texts are
// normalised and compared the way the other tests rely on, and a plain
// restore of the fixture reproduces its source.
#include "app_fixture.hpp"
#include "dump_text.hpp"
#include "temp_cluster.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace data = boost::unit_test::data;
using namespace pgarc::test;

namespace {

auto message_contains(std::string expected) {
  return [expected = std::move(expected)](const std::exception& problem) {
    BOOST_TEST_INFO("message: " << problem.what());
    return std::string_view(problem.what()).find(expected) != std::string_view::npos;
  };
}

/// The postmaster's process ID, from the first line of postmaster.pid.
pid_t postmaster_pid(const fs::path& root) {
  std::ifstream pid_file(root / "data" / "postmaster.pid");
  long pid = 0;
  pid_file >> pid;
  return static_cast<pid_t>(pid);
}

/// Whether `pid` is a live process (a zombie counts as gone).
bool process_is_running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return false;
  const auto state_at = line.rfind(')');
  return state_at != std::string::npos && state_at + 2 < line.size() && line[state_at + 2] != 'Z';
}

/// Waits up to `limit` for the folder and the postmaster to be gone.
bool gone_within(const fs::path& root, pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (fs::exists(root) || process_is_running(pid)) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

} // namespace

BOOST_AUTO_TEST_SUITE(harness)

BOOST_AUTO_TEST_CASE(server_listens_only_on_a_socket_in_its_folder) {
  temp_cluster& cluster = app_fixture::instance().cluster();
  BOOST_TEST(cluster.query_value("postgres", "SHOW listen_addresses") == "");
  BOOST_TEST(cluster.query_value("postgres", "SHOW unix_socket_directories") == cluster.root().string());
  BOOST_TEST(fs::exists(cluster.root() / (".s.PGSQL." + std::to_string(cluster.port()))));
  BOOST_TEST(cluster.query_value("postgres", "SELECT current_user") == "postgres");
}

BOOST_AUTO_TEST_CASE(missing_server_program_is_an_error_that_names_it) {
  const fs::path nowhere = app_fixture::instance().work_file("no-postgres-here");
  BOOST_CHECK_EXCEPTION(temp_cluster {nowhere}, std::runtime_error,
                        message_contains("PostgreSQL program \"" + (nowhere / "initdb").string() +
                                         "\" not found or not executable"));
}

BOOST_AUTO_TEST_CASE(cluster_is_removed_when_a_test_fails_inside_its_scope) {
  fs::path root;
  pid_t pid = 0;
  try {
    temp_cluster cluster(app_fixture::instance().bindir());
    root = cluster.root();
    pid = postmaster_pid(root);
    BOOST_TEST_REQUIRE(process_is_running(pid));
    throw std::runtime_error("a failing test");
  } catch (const std::runtime_error&) {
  }
  BOOST_TEST(!fs::exists(root));
  BOOST_TEST(!process_is_running(pid));
}

BOOST_AUTO_TEST_CASE(cluster_is_removed_when_its_test_process_is_killed) {
  // A child process starts a cluster, reports where, and is killed before
  // any destructor can run, as a crash or meson's timeout would do.
  int report[2];
  BOOST_TEST_REQUIRE(::pipe2(report, O_CLOEXEC) == 0);
  const pid_t child = ::fork();
  BOOST_TEST_REQUIRE(child >= 0);
  if (child == 0) {
    ::close(report[0]);
    std::string message;
    try {
      temp_cluster cluster(app_fixture::instance().bindir());
      message = cluster.root().string() + "\n" + std::to_string(postmaster_pid(cluster.root())) + "\n";
    } catch (const std::exception& problem) {
      message = std::string("error\n") + problem.what() + "\n";
    }
    [[maybe_unused]] auto written = ::write(report[1], message.data(), message.size());
    ::kill(::getpid(), SIGKILL);
  }
  ::close(report[1]);
  std::string message;
  char buffer[4096];
  for (ssize_t got; (got = ::read(report[0], buffer, sizeof buffer)) > 0;)
    message.append(buffer, static_cast<std::size_t>(got));
  ::close(report[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  BOOST_TEST(WIFSIGNALED(status));

  const auto newline = message.find('\n');
  BOOST_TEST_REQUIRE(message.substr(0, newline) != "error", message);
  const fs::path root = message.substr(0, newline);
  const auto pid = static_cast<pid_t>(std::stol(message.substr(newline + 1)));
  BOOST_TEST(!root.empty());
  BOOST_TEST(pid > 0);
  BOOST_TEST(gone_within(root, pid, std::chrono::seconds(60)), "folder " << root << " or postmaster " << pid
                                                                          << " still there after 60 s");
}

BOOST_AUTO_TEST_CASE(normalised_dump_has_no_comments_blank_or_restrict_lines) {
  const std::string text = "--\n"
                           "-- PostgreSQL database dump\n"
                           "--\n"
                           "\n"
                           "\\restrict AbC123\n"
                           "SET statement_timeout = 0;\n"
                           "\n"
                           "--\n"
                           "-- Name: accounts; Type: TABLE; Schema: public; Owner: app_owner\n"
                           "--\n"
                           "\n"
                           "CREATE TABLE public.accounts (\n"
                           "    id integer\n"
                           ");\n"
                           "\n"
                           "\\unrestrict AbC123\n";
  BOOST_TEST(normalise_dump(text) == "SET statement_timeout = 0;\n"
                                     "CREATE TABLE public.accounts (\n"
                                     "    id integer\n"
                                     ");\n");
}

BOOST_AUTO_TEST_CASE(normalised_dump_leaves_out_the_named_objects) {
  const std::string text = "--\n"
                           "-- Name: heroku_sim; Type: SCHEMA; Schema: -; Owner: postgres\n"
                           "--\n"
                           "CREATE SCHEMA heroku_sim;\n"
                           "-- Name: keep(); Type: FUNCTION; Schema: heroku_sim; Owner: postgres\n"
                           "CREATE FUNCTION heroku_sim.keep() ...;\n"
                           "-- Name: t; Type: TABLE; Schema: public; Owner: app_owner\n"
                           "CREATE TABLE public.t ();\n"
                           "-- Data for Name: spatial_ref_sys; Type: TABLE DATA; Schema: public; Owner: postgres\n"
                           "COPY public.spatial_ref_sys (srid) FROM stdin;\n"
                           "910001\n"
                           "\\.\n"
                           "-- Name: heroku_ext_required; Type: EVENT TRIGGER; Schema: -; Owner: postgres\n"
                           "CREATE EVENT TRIGGER heroku_ext_required ...;\n"
                           "-- Name: TABLE t; Type: ACL; Schema: public; Owner: app_owner\n"
                           "GRANT SELECT ON TABLE public.t TO app_reader;\n";
  const std::vector<dumped_object> excluded = {
      {"SCHEMA", "-", "heroku_sim"},
      {"", "heroku_sim", ""},
      {"EVENT TRIGGER", "", "heroku_ext_required"},
      {"TABLE DATA", "public", "spatial_ref_sys"},
      {"ACL", "", ""},
  };
  BOOST_TEST(normalise_dump(text, excluded) == "CREATE TABLE public.t ();\n");
}

BOOST_AUTO_TEST_CASE(difference_report_shows_the_lines_of_each_side) {
  BOOST_TEST(describe_difference("a", "x\ny\n", "b", "x\ny\n").empty());
  const std::string report = describe_difference("schema of a", "x\ny\nz\n", "schema of b", "x\nY\nz\n");
  BOOST_TEST_INFO(report);
  BOOST_TEST(report.find("differ from line 2") != std::string::npos);
  BOOST_TEST(report.find("lines only in schema of a (1):\n  y\n") != std::string::npos);
  BOOST_TEST(report.find("lines only in schema of b (1):\n  Y\n") != std::string::npos);
  BOOST_TEST(describe_difference("a", "x\ny\n", "b", "y\nx\n").find("in a different order") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(restore_messages_give_the_error_count) {
  const restore_result counted = read_restore_messages(
      1, "pg_restore: error: could not execute query: ERROR:  type \"public.citext\" does not exist\n"
         "Command was: CREATE TABLE ...\n"
         "pg_restore: error: could not execute query: ERROR:  schema \"heroku_ext\" does not exist\n"
         "pg_restore: warning: errors ignored on restore: 7\n");
  BOOST_TEST(counted.error_count == 7);
  BOOST_TEST(counted.errors().size() == 2u);
  BOOST_TEST(counted.has_error("type \"public.citext\" does not exist"));
  BOOST_TEST(!counted.has_error("Command was"));

  const restore_result fatal = read_restore_messages(1, "pg_restore: error: could not open input file\n");
  BOOST_TEST(fatal.error_count == 1);
  BOOST_TEST(read_restore_messages(0, "").error_count == 0);
}

BOOST_DATA_TEST_CASE(plain_restore_reproduces_the_source_database, data::make(restore_modes()), mode) {
  app_fixture& fixture = app_fixture::instance();
  temp_cluster& cluster = fixture.cluster();
  const std::string restored = fixture.new_plain_database("plain_restore");
  const restore_result result = cluster.restore(fixture.archive("default").path, restored, restore_options(mode));
  BOOST_TEST(result.error_count == 0, result.messages);
  BOOST_TEST(result.exit_status == 0);
  const std::string difference = cluster.database_difference(app_fixture::source_database, restored);
  BOOST_TEST(difference.empty(), difference);
}

BOOST_AUTO_TEST_SUITE_END()
