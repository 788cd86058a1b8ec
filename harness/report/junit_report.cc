#include "harness/report/junit_report.h"

#include <sstream>

#include "harness/report/markdown_report.h"
#include "harness/report/text_format.h"
#include "harness/report/xml_escape.h"

namespace harness::report {
namespace {

std::string Join(const std::vector<std::string>& lines, const char* separator) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : separator) + line;
  return out;
}

}  // namespace

std::string ToJUnit(const runner::RunReport& report, const Comparison* comparison) {
  std::ostringstream cases;
  int tests = 0, failures = 0, errors = 0;
  for (const auto& r : report.results) {
    ++tests;
    cases << "    <testcase classname=\"" << XmlEscape(r.model) << "\" name=\""
          << XmlEscape(LabelWithinModel(r)) << "\"";
    if (r.error) {
      ++errors;
      cases << ">\n      <error type=\"error\" message=\"" << XmlEscape(*r.error)
            << "\"/>\n    </testcase>\n";
      continue;
    }
    const ResultComparison* rc = comparison ? comparison->Find(r.id) : nullptr;
    if (rc == nullptr || rc->status != Status::kRegressed) {
      cases << "/>\n";
      continue;
    }
    ++failures;
    const auto lines = RegressionLines(*rc);
    cases << ">\n      <failure type=\"regression\" message=\""
          << XmlEscape(r.id + " regressed: " + Join(lines, "; ")) << "\">"
          << XmlEscape(Join(lines, "\n")) << "</failure>\n    </testcase>\n";
  }
  if (comparison) {
    for (const auto& rc : comparison->results) {
      if (rc.status != Status::kMissing) continue;
      ++tests;
      ++failures;
      const auto slash = rc.id.find('/');
      const std::string model = rc.id.substr(0, slash);
      const std::string name = slash == std::string::npos ? rc.id : rc.id.substr(slash + 1);
      cases << "    <testcase classname=\"" << XmlEscape(model) << "\" name=\"" << XmlEscape(name)
            << "\">\n      <failure type=\"missing\" message=\""
            << XmlEscape(rc.id + " is in the baseline but missing from this run")
            << "\"/>\n    </testcase>\n";
    }
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"" << errors
      << "\">\n"
      << "  <testsuite name=\"" << XmlEscape(report.suite_name) << "\" tests=\"" << tests
      << "\" failures=\"" << failures << "\" errors=\"" << errors << "\">\n"
      << cases.str() << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

}  // namespace harness::report
