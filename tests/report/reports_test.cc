// Markdown, JUnit and HTML reports of a hand-built run with one regression, and WriteReports.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "harness/report/atomic_file.h"
#include "harness/report/html_report.h"
#include "harness/report/json_report.h"
#include "harness/report/junit_report.h"
#include "harness/report/markdown_report.h"
#include "harness/report/svg_charts.h"
#include "harness/report/write_reports.h"
#include "tests/report/sample_reports.h"

namespace harness::report {
namespace {

namespace fs = std::filesystem;

// The sample run against a baseline where digits/int8/minmax had 2 points more accuracy.
struct Regressed {
  runner::RunReport current = testing::SampleReport();
  runner::RunReport baseline = [] {
    auto b = testing::SampleReport();
    b.results[1].metrics.accuracy = 0.92;
    return b;
  }();
  Comparison comparison = [this] {
    suite::Tolerances t;
    t.per_metric["accuracy"] = 0.5;
    Comparison c = Compare(current, baseline, t);
    c.baseline_source = "reports/baselines/esp32.json";
    return c;
  }();
};

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(MarkdownReport, NamesTheRegressionFirst) {
  const Regressed run;
  const std::string md = ToMarkdown(run.current, &run.comparison);
  EXPECT_NE(md.find("**4 results**: 1 regressed"), std::string::npos) << md;
  const auto regressions = md.find("## Regressions");
  const auto line = md.find("- `digits/int8/minmax`: accuracy -2.00 points (92.00 -> 90.00");
  ASSERT_NE(regressions, std::string::npos) << md;
  ASSERT_NE(line, std::string::npos) << md;
  EXPECT_LT(regressions, md.find("## digits"));
  EXPECT_LT(line, md.find("## digits"));
  EXPECT_NE(md.find("**regressed**"), std::string::npos);
  // The calibrator grid: entropy against the same method's min-max result.
  EXPECT_NE(md.find("| entropy | 90.60 % (+0.60, p 0.21) |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("arena 600 KiB exceeds the 512 KiB SRAM"), std::string::npos);
}

TEST(MarkdownReport, WithoutBaseline) {
  const std::string md = ToMarkdown(testing::SampleReport(), nullptr);
  EXPECT_NE(md.find("(no baseline)"), std::string::npos);
  EXPECT_EQ(md.find("Regressions"), std::string::npos);
}

TEST(JUnitReport, RegressionIsAFailure) {
  const Regressed run;
  const std::string xml = ToJUnit(run.current, &run.comparison);
  EXPECT_EQ(Count(xml, "<testcase "), 4u);
  EXPECT_EQ(Count(xml, "<failure "), 1u);
  EXPECT_NE(xml.find("classname=\"digits\" name=\"int8/minmax\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("accuracy -2.00 points"), std::string::npos) << xml;
  EXPECT_NE(xml.find("failures=\"1\""), std::string::npos);
}

TEST(JUnitReport, MissingIsAFailureAndTextIsEscaped) {
  Regressed run;
  run.current.results.pop_back();
  run.current.suite_name = "a<b&\"c\"";
  run.baseline.suite_name = run.current.suite_name;
  suite::Tolerances t;
  t.per_metric["accuracy"] = 0.5;
  const std::string xml = ToJUnit(run.current, nullptr);
  EXPECT_NE(xml.find("name=\"a&lt;b&amp;&quot;c&quot;\""), std::string::npos) << xml;
  const Comparison c = Compare(run.current, run.baseline, t);
  const std::string with_missing = ToJUnit(run.current, &c);
  EXPECT_EQ(Count(with_missing, "<failure "), 2u);
  EXPECT_NE(with_missing.find("type=\"missing\""), std::string::npos);
}

// Well-formed: xmllint parses it (when the machine has it; the structural checks above run
// everywhere).
TEST(JUnitReport, WellFormedForXmllint) {
  if (std::system("xmllint --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no xmllint";
  const Regressed run;
  const fs::path path = fs::temp_directory_path() / "harness_junit_test.xml";
  WriteFileAtomically(path.string(), ToJUnit(run.current, &run.comparison));
  EXPECT_EQ(std::system(("xmllint --noout " + path.string()).c_str()), 0);
  fs::remove(path);
}

TEST(HtmlReport, SelfContainedWithCharts) {
  const Regressed run;
  const std::string html = ToHtml(run.current, &run.comparison);
  EXPECT_EQ(html.find("http"), std::string::npos);  // no external anything
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // Scatter charts against size and against arena (digits; fan has no arena figure), a heat
  // map per classification result and the per-layer SQNR bars of digits' two lowest results.
  EXPECT_EQ(Count(html, "<svg"), 3u + 3u + 2u);
  // Both digits charts draw the fp32 line; the budgets are too far beyond the results to draw
  // (8 MiB of flash for 80 KiB models, 512 KiB of SRAM for 20 KiB arenas), so they are stated.
  EXPECT_EQ(Count(html, "class=\"reference\""), 2u);
  EXPECT_NE(html.find("esp32-s3 flash budget (8.00 MiB): beyond the axis"), std::string::npos);
  EXPECT_NE(html.find("esp32-s3 SRAM budget (512.0 KiB): beyond the axis"), std::string::npos);
  EXPECT_NE(html.find("digits/int8/minmax: accuracy -2.00 points"), std::string::npos);
  EXPECT_NE(html.find("class 2 &lt;recall&gt; &amp; &quot;quotes&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<recall>"), std::string::npos);
}

TEST(SvgCharts, TicksAtOneTwoFiveSteps) {
  EXPECT_EQ(LinearTicks(0.0, 10.0, 5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(LinearTicks(88.3, 92.1, 5), (std::vector<double>{89, 90, 91, 92}));
  EXPECT_EQ(LogTicks(15000.0, 300000.0), (std::vector<double>{20000, 50000, 100000, 200000}));
}

TEST(WriteReports, WritesTheFourFiles) {
  const Regressed run;
  const fs::path dir = fs::temp_directory_path() / "harness_write_reports_test" / "out";
  fs::remove_all(dir.parent_path());
  WriteReports(run.current, &run.comparison, dir.string());
  for (const char* name :
       {kJsonReportName, kMarkdownReportName, kHtmlReportName, kJUnitReportName}) {
    EXPECT_TRUE(fs::is_regular_file(dir / name)) << name;
  }
  EXPECT_EQ(ReadJsonReport((dir / kJsonReportName).string()), run.current);
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 4u);  // no temporary files left
  fs::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace harness::report
