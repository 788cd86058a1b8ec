#include "harness/report/baseline.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "harness/common/error.h"
#include "harness/report/json_report.h"
#include "tests/report/sample_reports.h"

namespace harness::report {
namespace {

using testing::SampleReport;

suite::Tolerances AccuracyTolerance(double points) {
  suite::Tolerances t;
  t.per_metric["accuracy"] = points;
  t.default_tolerance = 0.0;
  return t;
}

TEST(Baseline, IdenticalRunsAreOk) {
  const Comparison c = Compare(SampleReport(), SampleReport(), AccuracyTolerance(0.5));
  ASSERT_EQ(c.results.size(), 4u);
  for (const auto& r : c.results) EXPECT_EQ(r.status, Status::kOk) << r.id;
  EXPECT_FALSE(c.HasRegression());
  EXPECT_TRUE(c.inputs_changed.empty());
  // +inf SQNR against +inf is no change, not a NaN; SQNR informs unless the suite lists it.
  const MetricDelta* sqnr = c.Find("digits/fp32")->Delta("sqnr_db");
  ASSERT_NE(sqnr, nullptr);
  EXPECT_EQ(sqnr->delta, 0.0);
  EXPECT_EQ(sqnr->verdict, Verdict::kReportedOnly);
  EXPECT_FALSE(sqnr->gates);
}

TEST(Baseline, TwoPointDropBeyondHalfPointToleranceRegresses) {
  runner::RunReport baseline = SampleReport();
  baseline.results[1].metrics.accuracy = 0.92;  // current 0.90
  const Comparison c = Compare(SampleReport(), baseline, AccuracyTolerance(0.5));
  const ResultComparison* r = c.Find("digits/int8/minmax");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status, Status::kRegressed);
  const MetricDelta* d = r->Delta("accuracy");
  ASSERT_NE(d, nullptr);
  EXPECT_NEAR(d->delta, -2.0, 1e-9);
  EXPECT_EQ(d->unit, "points");
  EXPECT_EQ(d->verdict, Verdict::kRegressed);
  EXPECT_TRUE(c.HasRegression());
  EXPECT_EQ(c.Count(Status::kRegressed), 1);
}

TEST(Baseline, DropWithinToleranceIsOkAndRiseIsImproved) {
  runner::RunReport baseline = SampleReport();
  baseline.results[1].metrics.accuracy = 0.904;  // 0.4 points above the current 0.90
  baseline.results[2].metrics.accuracy = 0.896;  // 1.0 point below the current 0.906
  const Comparison c = Compare(SampleReport(), baseline, AccuracyTolerance(0.5));
  EXPECT_EQ(c.Find("digits/int8/minmax")->status, Status::kOk);
  EXPECT_NEAR(c.Find("digits/int8/minmax")->Delta("accuracy")->delta, -0.4, 1e-9);
  EXPECT_EQ(c.Find("digits/int8/entropy")->status, Status::kImproved);
  EXPECT_NEAR(c.Find("digits/int8/entropy")->Delta("accuracy")->delta, 1.0, 1e-9);
}

TEST(Baseline, SizeGrowthBeyondToleranceRegresses) {
  runner::RunReport current = SampleReport();
  current.results[1].size_bytes = 21000 + 65;  // tolerance 64 bytes
  current.results[2].size_bytes = 21000 + 64;
  suite::Tolerances tolerances = AccuracyTolerance(0.5);
  tolerances.per_metric["size_bytes"] = 64.0;
  const Comparison c = Compare(current, SampleReport(), tolerances);
  EXPECT_EQ(c.Find("digits/int8/minmax")->status, Status::kRegressed);
  EXPECT_EQ(c.Find("digits/int8/minmax")->Delta("size_bytes")->delta, 65.0);
  EXPECT_EQ(c.Find("digits/int8/entropy")->status, Status::kOk);
}

TEST(Baseline, NewAndMissing) {
  runner::RunReport current = SampleReport();
  runner::RunReport baseline = SampleReport();
  current.results.erase(current.results.begin() + 3);    // fan/int8/mse only in the baseline
  baseline.results.erase(baseline.results.begin() + 0);  // digits/fp32 only in the current run
  const Comparison c = Compare(current, baseline, AccuracyTolerance(0.5));
  EXPECT_EQ(c.Find("digits/fp32")->status, Status::kNew);
  EXPECT_EQ(c.Find("fan/int8/mse")->status, Status::kMissing);
  EXPECT_EQ(c.results.back().id, "fan/int8/mse");
  EXPECT_TRUE(c.HasRegression());  // a result that disappeared fails CI
}

TEST(Baseline, AnotherSuiteOrSchemaIsAnError) {
  runner::RunReport other_suite = SampleReport();
  other_suite.suite_name = "calibrators";
  try {
    Compare(SampleReport(), other_suite, AccuracyTolerance(0.5));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("calibrators"), std::string::npos) << e.what();
  }
  runner::RunReport other_schema = SampleReport();
  other_schema.schema = "harness-report/0";
  try {
    Compare(SampleReport(), other_schema, AccuracyTolerance(0.5));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("harness-report/0"), std::string::npos) << e.what();
  }
}

TEST(Baseline, ReadBaselineRejectsOtherSchemaNamingTheFile) {
  runner::RunReport old = SampleReport();
  old.schema = "harness-report/0";
  const auto path = (std::filesystem::temp_directory_path() / "harness_old_baseline.json").string();
  WriteBaseline(old, path);
  try {
    ReadBaseline(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), path);
  }
  std::filesystem::remove(path);
}

TEST(Baseline, WriteBaselineKeepsPerSampleCorrectness) {
  runner::RunReport report = SampleReport();
  report.results[1].per_sample_correct = {0, 1, 1};
  const auto path = (std::filesystem::temp_directory_path() / "harness_baseline.json").string();
  WriteBaseline(report, path);
  EXPECT_EQ(ReadBaseline(path), report);
  std::filesystem::remove(path);
}

TEST(Baseline, ChangedInputsAreListed) {
  runner::RunReport current = SampleReport();
  current.inputs[1].sha256 = std::string(64, 'd');
  current.suite_sha256 = std::string(64, 'e');
  const Comparison c = Compare(current, SampleReport(), AccuracyTolerance(0.5));
  ASSERT_EQ(c.inputs_changed.size(), 1u);
  EXPECT_EQ(c.inputs_changed[0].path, "datasets/digits/val.h5");
  EXPECT_EQ(c.inputs_changed[0].role, "validation");
  EXPECT_EQ(c.inputs_changed[0].baseline_sha256, std::string(64, 'c'));
  EXPECT_TRUE(c.suite_file_changed);
}

// Baseline latency median 250 us, p90 260 us: the bound is max(20 % = 50, 3 x 10 = 30) = 50.
TEST(Baseline, LatencyNoiseRule) {
  const auto status_for = [](double median, double p90) {
    runner::RunReport current = SampleReport();
    current.results[1].latency_us = runner::Latency{median, p90, 20};
    return *Compare(current, SampleReport(), AccuracyTolerance(0.5)).Find("digits/int8/minmax");
  };
  const ResultComparison c = status_for(299.0, 310.0);
  EXPECT_EQ(c.status, Status::kOk);  // +49 us: noise
  EXPECT_EQ(c.Delta("latency_us")->delta, 49.0);
  EXPECT_EQ(status_for(301.0, 310.0).status, Status::kRegressed);  // +51 us
  EXPECT_EQ(status_for(199.0, 200.0).status, Status::kImproved);   // -51 us

  // A noisy baseline (p90 - median = 40 us) widens the bound to 120 us.
  runner::RunReport noisy = SampleReport();
  noisy.results[1].latency_us = runner::Latency{250.0, 290.0, 20};
  runner::RunReport current = SampleReport();
  current.results[1].latency_us = runner::Latency{360.0, 400.0, 20};
  EXPECT_EQ(Compare(current, noisy, AccuracyTolerance(0.5)).Find("digits/int8/minmax")->status,
            Status::kOk);

  // Another host: reported only, never a regression.
  current.results[1].latency_us = runner::Latency{900.0, 950.0, 20};
  current.environment.host = "laptop";
  const Comparison other_host = Compare(current, SampleReport(), AccuracyTolerance(0.5));
  const ResultComparison* r = other_host.Find("digits/int8/minmax");
  EXPECT_EQ(r->status, Status::kOk);
  EXPECT_EQ(r->Delta("latency_us")->verdict, Verdict::kReportedOnly);
  EXPECT_FALSE(r->notes.empty());
}

// A model of a few microseconds: 20 % is under a microsecond, the jitter floor of 20 us rules.
TEST(Baseline, LatencyJitterFloor) {
  runner::RunReport fast = SampleReport();
  fast.results[1].latency_us = runner::Latency{3.0, 3.2, 20};
  const auto status_for = [&](double median) {
    runner::RunReport current = SampleReport();
    current.results[1].latency_us = runner::Latency{median, median, 20};
    return Compare(current, fast, AccuracyTolerance(0.5)).Find("digits/int8/minmax")->status;
  };
  EXPECT_EQ(status_for(4.0), Status::kOk);          // +1 us, +33 %: jitter
  EXPECT_EQ(status_for(22.9), Status::kOk);         // +19.9 us
  EXPECT_EQ(status_for(23.5), Status::kRegressed);  // +20.5 us
}

TEST(Baseline, RecallDropIsARegressingAlarmWhenSignificant) {
  runner::RunReport current = SampleReport();
  // Baseline 40 of 50 (0.8); now 25 of 50: P(X <= 25 | 50, 0.8) = 1.6e-5, far below 0.01 / 9
  // (nine classes of three classification results have enough support).
  current.results[1].metrics.per_class[1].recall = 0.5;
  const Comparison c = Compare(current, SampleReport(), AccuracyTolerance(0.5));
  const ResultComparison* r = c.Find("digits/int8/minmax");
  EXPECT_EQ(r->status, Status::kRegressed);
  ASSERT_EQ(r->alarms.size(), 1u);
  EXPECT_NE(r->alarms[0].find("class 1 recall 80.0 -> 50.0"), std::string::npos) << r->alarms[0];
  EXPECT_EQ(c.class_tests, 9);
}

TEST(Baseline, RecallDropWithinBinomialNoiseRaisesNothing) {
  runner::RunReport current = SampleReport();
  // 40 -> 35 of 50: ten points, beyond the 5-point tolerance, but P(X <= 35 | 50, 0.8) = 0.07.
  current.results[1].metrics.per_class[1].recall = 0.7;
  // And a class of 8 samples losing half its recall has too little support to judge.
  current.results[2].metrics.per_class[0].support = 8;
  current.results[2].metrics.per_class[0].recall = 0.45;
  const Comparison c = Compare(current, SampleReport(), AccuracyTolerance(0.5));
  EXPECT_EQ(c.Find("digits/int8/minmax")->status, Status::kOk);
  EXPECT_EQ(c.Find("digits/int8/entropy")->status, Status::kOk);
}

TEST(Baseline, CollapseIsARegressingAlarm) {
  runner::RunReport current = SampleReport();
  // 120 of 150 predictions are class 2, which is a third of the samples.
  current.results[1].metrics.confusion_matrix = {{20, 0, 30}, {0, 10, 40}, {0, 0, 50}};
  const Comparison c = Compare(current, SampleReport(), AccuracyTolerance(0.5));
  const ResultComparison* r = c.Find("digits/int8/minmax");
  EXPECT_EQ(r->status, Status::kRegressed);
  bool collapse = false;
  for (const auto& alarm : r->alarms) collapse |= alarm.find("collapse") != std::string::npos;
  EXPECT_TRUE(collapse);
  // The same collapse already in the baseline is not a new regression.
  EXPECT_EQ(Compare(current, current, AccuracyTolerance(0.5)).Find("digits/int8/minmax")->status,
            Status::kOk);
}

TEST(Baseline, LosingDeployabilityRegresses) {
  runner::RunReport current = SampleReport();
  current.results[2].deployable = {false, {"uses float32 ops"}};
  const Comparison c = Compare(current, SampleReport(), AccuracyTolerance(0.5));
  EXPECT_EQ(c.Find("digits/int8/entropy")->status, Status::kRegressed);
}

}  // namespace
}  // namespace harness::report
