// A `mixed` result's selection in the reports: report.json round-trips it exactly and leaves it
// out for other methods; report.md and report.html name the kept layers with their precision and
// the sensitivity of every analysed layer.
#include <gtest/gtest.h>

#include <string>

#include "harness/report/html_report.h"
#include "harness/report/json_report.h"
#include "harness/report/markdown_report.h"
#include "harness/report/mixed_summary.h"
#include "tests/report/sample_reports.h"

namespace harness::report {
namespace {

runner::MixedPrecision SampleSelection() {
  runner::MixedPrecision mixed;
  mixed.metric = "accuracy";
  mixed.unit = "points";
  mixed.budget = 0.5;
  mixed.budget_met = true;
  mixed.fp32_score = 90.0;
  mixed.int8_score = 88.25;
  mixed.final_score = 89.75;
  mixed.layers = {{0, "CONV_2D", "conv1", 1.25, "float32"},
                  {2, "FULLY_CONNECTED", "fc", -0.125, "int8"},
                  {3, "SOFTMAX", "probabilities", 0.5, "float32"}};
  mixed.kept_ops = {0, 3};
  return mixed;
}

runner::RunReport ReportWithMixed() {
  runner::RunReport report = testing::SampleReport();
  report.results[0].mixed = SampleSelection();
  return report;
}

TEST(MixedReport, JsonRoundTripsTheSelectionAndOmitsItElsewhere) {
  const runner::RunReport report = ReportWithMixed();
  const std::string text = ToJson(report);
  EXPECT_EQ(FromJson(text, "report.json"), report);
  EXPECT_NE(text.find("\"kept_ops\""), std::string::npos);
  EXPECT_NE(text.find("\"sensitivity\": -0.125"), std::string::npos);
  EXPECT_EQ(ToJson(testing::SampleReport()).find("\"mixed\""), std::string::npos);
}

TEST(MixedReport, DescribesKeptLayersInSelectionOrderAndEverySensitivity) {
  EXPECT_EQ(DescribeMixedSelection(SampleSelection()),
            "kept float32: op 0 CONV_2D (conv1), op 3 SOFTMAX (probabilities); accuracy on the "
            "calibration set: fp32 90.00, int8 88.25, mixed 89.75 points; budget 0.50 points: met");
  EXPECT_EQ(DescribeMixedSensitivities(SampleSelection()),
            "sensitivity (points): op 0 CONV_2D +1.25, op 2 FULLY_CONNECTED -0.12, op 3 SOFTMAX +0.50");
  runner::MixedPrecision none = SampleSelection();
  none.kept_ops.clear();
  none.budget_met = false;
  EXPECT_EQ(DescribeMixedSelection(none).rfind("every layer int8; ", 0), 0u);
  EXPECT_NE(DescribeMixedSelection(none).find("not met"), std::string::npos);
}

TEST(MixedReport, MarkdownAndHtmlListTheSelection) {
  const runner::RunReport report = ReportWithMixed();
  const std::string markdown = ToMarkdown(report, nullptr);
  EXPECT_NE(markdown.find("## Mixed precision"), std::string::npos);
  EXPECT_NE(markdown.find("kept float32: op 0 CONV_2D (conv1)"), std::string::npos);
  EXPECT_EQ(ToMarkdown(testing::SampleReport(), nullptr).find("Mixed precision"), std::string::npos);
  const std::string html = ToHtml(report, nullptr);
  EXPECT_NE(html.find("<h2>Mixed precision</h2>"), std::string::npos);
  EXPECT_NE(html.find("op 3 SOFTMAX +0.50"), std::string::npos);
}

}  // namespace
}  // namespace harness::report
