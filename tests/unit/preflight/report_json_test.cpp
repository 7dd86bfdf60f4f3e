// SPDX-License-Identifier: PostgreSQL
// Tests of format_preflight_json (src/lib/preflight/report_json.cpp).
#include <boost/test/unit_test.hpp>

#include "pgarc/preflight.hpp"

using namespace pgarc;

namespace {

preflight_report small_report() {
  preflight_report report;
  report.plan.version = k_vers_1_14;
  report.plan.server_version = "15.6";
  report.plan.from_schema = "public";
  report.plan.to_schema = "heroku_ext";
  report.plan.extensions.push_back({"citext", 4, "public", "public"});
  report.plan.schemas.push_back({"public", false, false, 2});
  report.target.database = "app";
  report.target.role = "postgres";
  report.target.server_version_num = 150006;
  report.target.schemas.push_back({"public", true, "pg_database_owner", true, true});
  target_extension citext;
  citext.name = "citext";
  citext.available = true;
  citext.required = {"a\"b"};
  report.target.extensions.push_back(citext);
  report.target.probe.enforced_schema = "heroku_ext";
  preflight_finding finding;
  finding.severity = preflight_severity::problem;
  finding.check = preflight_check::extension;
  finding.code = preflight_code::extension_outside_rule;
  finding.subject = "citext";
  finding.related = "heroku_ext";
  report.findings.push_back(finding);
  report.suggestion.keep = false;
  report.suggestion.from_schema = "public";
  report.suggestion.to_schema = "heroku_ext";
  report.suggestion.reason = suggestion_reason::schema_rule;
  return report;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

BOOST_AUTO_TEST_SUITE(preflight_json)

BOOST_AUTO_TEST_CASE(report_has_verdict_plan_facts_findings_and_suggestion) {
  const std::string json = format_preflight_json(small_report(), {{"extension \"citext\" ..."}, "--to heroku_ext"});
  BOOST_TEST_INFO(json);
  BOOST_TEST(json.rfind("{\"expected_to_restore\": false,\n\"archive\": {\"archive_version\": \"1.14.0\"", 0) == 0u);
  BOOST_TEST(contains(json, "{\"name\": \"citext\", \"id\": 4, \"archive_schema\": \"public\", \"restore_schema\": \"public\"}"));
  BOOST_TEST(contains(json, "\"search_path_schema\": null"));
  BOOST_TEST(contains(json, "\"target\": {\"database\": \"app\", \"role\": \"postgres\""));
  BOOST_TEST(contains(json, "\"requires\": [\"a\\\"b\"], \"installed_version\": null"));
  BOOST_TEST(contains(json, "\"enforced_schema\": \"heroku_ext\""));
  BOOST_TEST(contains(json, "{\"severity\": \"problem\", \"check\": \"extension\", \"code\": "
                            "\"extension_outside_rule\", \"subject\": \"citext\", \"related\": \"heroku_ext\", "
                            "\"message\": \"extension \\\"citext\\\" ...\"}"));
  BOOST_TEST(contains(json, "\"suggestion\": {\"keep\": false, \"from\": \"public\", \"to\": \"heroku_ext\", "
                            "\"options\": \"--to heroku_ext\", \"reason\": \"schema_rule\"}}\n"));
  // Balanced braces and brackets outside strings: a cheap well-formedness check.
  int depth = 0;
  bool in_string = false;
  for (std::size_t index = 0; index < json.size(); ++index) {
    const char letter = json[index];
    if (in_string) {
      if (letter == '\\')
        ++index;
      else if (letter == '"')
        in_string = false;
    } else if (letter == '"') {
      in_string = true;
    } else if (letter == '{' || letter == '[') {
      ++depth;
    } else if (letter == '}' || letter == ']') {
      BOOST_TEST_REQUIRE(--depth >= 0);
    }
  }
  BOOST_TEST(depth == 0);
}

BOOST_AUTO_TEST_CASE(without_words_the_report_holds_only_codes) {
  const std::string json = format_preflight_json(small_report());
  BOOST_TEST_INFO(json);
  BOOST_TEST(!contains(json, "\"message\""));
  BOOST_TEST(!contains(json, "\"options\""));
  BOOST_TEST(contains(json, "\"code\": \"extension_outside_rule\""));
}

BOOST_AUTO_TEST_SUITE_END()
