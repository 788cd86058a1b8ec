// The per-model summaries of a hand-built run whose per-sample outcomes fix the paired tests:
// what to ship (the best deployable result, ties to the smaller model, and the results McNemar
// cannot tell from it), the difference from fp32 and the calibrator x method grid, and how the
// Markdown report prints them.
#include "harness/report/model_summary.h"

#include <gtest/gtest.h>

#include "harness/report/markdown_report.h"

namespace harness::report {
namespace {

using runner::PairedComparison;
using runner::ResultRecord;
using runner::RunReport;

constexpr size_t kSamples = 1000;

// A classification result right on samples [0, right) and on the `extra` samples after
// `skip` further ones, so two results' discordant pairs are known by construction.
ResultRecord Result(const std::string& method, const std::string& calibrator, size_t right,
                    int64_t size, size_t skip = 0, size_t extra = 0) {
  ResultRecord r;
  r.model = "m";
  r.method = method;
  r.calibrator = calibrator;
  r.id = "m/" + method + (calibrator == "none" ? "" : "/" + calibrator);
  r.task = "classification";
  r.per_sample_correct.assign(kSamples, 0);
  for (size_t i = 0; i < right; ++i) r.per_sample_correct[i] = 1;
  for (size_t i = 0; i < extra; ++i) r.per_sample_correct[right + skip + i] = 1;
  r.metrics.accuracy = static_cast<double>(right + extra) / kSamples;
  r.size_bytes = size;
  r.arena_bytes = size / 2;
  return r;
}

PairedComparison Versus(const std::string& other, double difference, double low, double high,
                        bool significant) {
  PairedComparison c;
  c.other_id = other;
  c.test = "mcnemar";
  c.metric = "accuracy";
  c.difference = difference;
  c.ci_low = low;
  c.ci_high = high;
  c.significant = significant;
  return c;
}

RunReport SampleRun() {
  RunReport report;
  report.suite_name = "s";
  report.tolerances.significance = 0.01;
  report.results.push_back(Result("fp32", "none", 950, 4000));
  // The most accurate of all, but a host-side reference: never the one to ship.
  ResultRecord dynamic = Result("dynamic", "none", 960, 1200);
  dynamic.deployable = {false, {"hybrid kernels"}};
  report.results.push_back(dynamic);
  // Right on 945 of fp32's samples and 2 others: loses 5, gains 2 against fp32, so McNemar's
  // one-sided p of the drop is P(X >= 5 | 7, 1/2) = 29/128.
  ResultRecord minmax = Result("int8", "minmax", 945, 1000, 5, 2);
  minmax.comparisons.push_back(Versus("m/fp32", -0.003, -0.008, 0.002, false));
  report.results.push_back(minmax);
  ResultRecord entropy = Result("int8", "entropy", 800, 1000);
  entropy.comparisons.push_back(Versus("m/int8/minmax", -0.147, -0.17, -0.125, true));
  report.results.push_back(entropy);
  // As accurate as fp32 on the same samples and smaller: the one to ship.
  report.results.push_back(Result("int16x8", "minmax", 950, 1500));
  return report;
}

TEST(WhatToShip, IsTheMostAccurateDeployableResultWithItsEquals) {
  const RunReport report = SampleRun();
  const ShipChoice choice = ChooseWhatToShip(report, "m");
  EXPECT_EQ(choice.metric, "accuracy");
  ASSERT_NE(choice.best, nullptr);
  EXPECT_EQ(choice.best->id, "m/int16x8/minmax");
  // fp32 (identical outcomes, p = 1) and int8/minmax (p = 29/128) are not significantly worse;
  // entropy (150 samples lost, none gained) is. Smallest first.
  ASSERT_EQ(choice.indistinguishable.size(), 2u);
  EXPECT_EQ(choice.indistinguishable[0]->id, "m/int8/minmax");
  EXPECT_EQ(choice.indistinguishable[1]->id, "m/fp32");
}

TEST(WhatToShip, AtALevelAboveItsPValueTheDropCountsAsSignificant) {
  RunReport report = SampleRun();
  // 29/128 = 0.227: at a level above it, int8/minmax's drop counts as significant.
  report.tolerances.significance = 0.25;
  const ShipChoice choice = ChooseWhatToShip(report, "m");
  ASSERT_EQ(choice.indistinguishable.size(), 1u);
  EXPECT_EQ(choice.indistinguishable[0]->id, "m/fp32");
}

TEST(WhatToShip, NothingDeployableSaysSo) {
  RunReport report = SampleRun();
  for (auto& r : report.results) r.deployable = {false, {"too large"}};
  const ShipChoice choice = ChooseWhatToShip(report, "m");
  EXPECT_EQ(choice.best, nullptr);
  EXPECT_EQ(DescribeShipChoice(report, choice).rfind("nothing", 0), 0u);
}

TEST(DeltaVsFp32, PrintsTheDifferenceWithItsInterval) {
  const RunReport report = SampleRun();
  const SummaryCell cell = DeltaVsFp32(report, report.results[2]);
  EXPECT_EQ(cell.text, "-0.30 [-0.80, +0.20]");
  EXPECT_FALSE(cell.significant);
  EXPECT_EQ(DeltaVsFp32(report, report.results[0]).text, "");  // fp32 itself
}

TEST(CalibratorTable, RowsAreCalibratorsColumnsMethodsCellsTheirComparison) {
  const RunReport report = SampleRun();
  const CalibratorTable table = BuildCalibratorTable(report, "m");
  ASSERT_EQ(table.calibrators, (std::vector<std::string>{"minmax", "entropy"}));
  ASSERT_EQ(table.methods, (std::vector<std::string>{"int8", "int16x8"}));
  // min-max's own comparison is with fp32, shown in the model table, not here.
  EXPECT_EQ(table.cells[0][0].text, "94.70 %");
  EXPECT_EQ(table.cells[1][0].text, "80.00 % (-14.70 [-17.00, -12.50])");
  EXPECT_TRUE(table.cells[1][0].significant);
  EXPECT_EQ(table.cells[1][1].text, "");  // no int16x8/entropy in the suite
}

TEST(CalibratorTable, MarkdownPrintsTheGridAndTheChoice) {
  const RunReport report = SampleRun();
  const std::string markdown = ToMarkdown(report, nullptr);
  EXPECT_NE(markdown.find("| entropy | **80.00 % (-14.70 [-17.00, -12.50])** |  |\n"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("**What to ship**: `int16x8/minmax`: accuracy 95.00 %"),
            std::string::npos)
      << markdown;
}

TEST(LowestSqnrResults, AreTheLowestOutputSqnrsWithLayerFiguresLowestFirst) {
  RunReport report = SampleRun();
  const double sqnr[] = {40.0, 35.0, 30.0, 10.0, 20.0};  // fp32 has no figures below
  for (size_t i = 0; i < report.results.size(); ++i) {
    report.results[i].fidelity.sqnr_db = sqnr[i];
    if (i > 0) report.results[i].fidelity.per_layer_sqnr = {{"t", sqnr[i], 0, "CONV_2D"}};
  }
  const auto worst = LowestSqnrResults(report, "m");
  ASSERT_EQ(worst.size(), 2u);
  EXPECT_EQ(worst[0]->id, "m/int8/entropy");
  EXPECT_EQ(worst[1]->id, "m/int16x8/minmax");
  const std::string markdown = ToMarkdown(report, nullptr);
  EXPECT_NE(
      markdown.find("Weakest layers of `int8/entropy` (output 10.0 dB): op 0 CONV_2D 10.0 dB"),
      std::string::npos)
      << markdown;
}

}  // namespace
}  // namespace harness::report
