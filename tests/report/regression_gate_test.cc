// The regression gate on synthetic runs whose per-sample outcomes are known: benign reruns
// (noise flipping a few samples either way) flag nothing, real regressions are caught and named
// first. The end-to-end counterpart, on real models, is tests/cli/gate_reruns_test.cc.

#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "harness/report/baseline.h"
#include "harness/runner/detection_bootstrap.h"

namespace harness::report {
namespace {

using runner::ResultRecord;
using runner::RunReport;

constexpr int kClasses = 10;
constexpr size_t kSamples = 1000;
constexpr size_t kImages = 300;

// A classification result whose metrics are computed from its per-sample correctness; sample i
// is of class i % kClasses.
ResultRecord Classified(const std::string& id, const std::vector<uint8_t>& correct) {
  ResultRecord r;
  r.id = id;
  r.model = id.substr(0, id.find('/'));
  r.method = "int8";
  r.calibrator = "minmax";
  r.task = "classification";
  r.per_sample_correct = correct;
  r.metrics.accuracy = static_cast<double>(std::accumulate(correct.begin(), correct.end(), 0)) /
                       static_cast<double>(correct.size());
  for (int c = 0; c < kClasses; ++c) {
    int64_t support = 0, right = 0;
    for (size_t i = static_cast<size_t>(c); i < correct.size(); i += kClasses) {
      ++support;
      right += correct[i];
    }
    r.metrics.per_class.push_back(
        {c, 0.0, static_cast<double>(right) / static_cast<double>(support), 0.0, support});
  }
  return r;
}

// Detection: one ground-truth box of class 0 per image and one detection, a true positive at
// every IoU threshold or at none; scores fall with the image index.
ResultRecord Detected(const std::string& id, const std::vector<uint8_t>& hit) {
  ResultRecord r;
  r.id = id;
  r.model = id.substr(0, id.find('/'));
  r.method = "int8";
  r.calibrator = "minmax";
  r.task = "detection";
  for (size_t i = 0; i < hit.size(); ++i) {
    runner::ImageOutcome image;
    image.truth = {{0, 1}};
    const float score = 1.0f - static_cast<float>(i) / static_cast<float>(hit.size() + 1);
    image.detections.push_back({0, score, static_cast<uint16_t>(hit[i] ? 0x3FF : 0)});
    r.per_image.push_back(image);
  }
  std::vector<size_t> all(hit.size());
  std::iota(all.begin(), all.end(), size_t{0});
  const runner::MapPair map = runner::ResampledMap(r.per_image).Evaluate(all);
  r.metrics.map = map.map;
  r.metrics.map50 = map.map50;
  return r;
}

RunReport Run(std::vector<ResultRecord> results) {
  RunReport report;
  report.suite_name = "gate";
  report.results = std::move(results);
  return report;
}

// Per-sample correctness at `accuracy`, the wrong samples spread by a fixed generator.
std::vector<uint8_t> Outcomes(double accuracy, uint64_t seed, size_t count = kSamples) {
  std::mt19937_64 engine(seed);
  std::bernoulli_distribution right(accuracy);
  std::vector<uint8_t> v(count);
  for (auto& x : v) x = right(engine) ? 1 : 0;
  return v;
}

// Flips `to_wrong` right samples to wrong and `to_right` wrong ones to right, chosen at random
// among those whose index is accepted by `where`.
std::vector<uint8_t> Flip(
    std::vector<uint8_t> v, int to_wrong, int to_right, std::mt19937_64& engine,
    bool (*where)(size_t) = [](size_t) { return true; }) {
  std::vector<size_t> right, wrong;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!where(i)) continue;
    (v[i] ? right : wrong).push_back(i);
  }
  std::shuffle(right.begin(), right.end(), engine);
  std::shuffle(wrong.begin(), wrong.end(), engine);
  for (int k = 0; k < to_wrong; ++k) v[right.at(static_cast<size_t>(k))] = 0;
  for (int k = 0; k < to_right; ++k) v[wrong.at(static_cast<size_t>(k))] = 1;
  return v;
}

// A suite of eight classification results and two detection results.
struct Suite {
  std::vector<std::vector<uint8_t>> classified;
  std::vector<std::vector<uint8_t>> detected;
};

Suite BaselineSuite() {
  Suite s;
  for (uint64_t k = 0; k < 8; ++k)
    s.classified.push_back(Outcomes(0.90 - 0.01 * static_cast<double>(k), k));
  for (uint64_t k = 0; k < 2; ++k) s.detected.push_back(Outcomes(0.6, 100 + k, kImages));
  return s;
}

RunReport ToRun(const Suite& s) {
  std::vector<ResultRecord> results;
  for (size_t k = 0; k < s.classified.size(); ++k)
    results.push_back(Classified("kws/int8/m" + std::to_string(k), s.classified[k]));
  for (size_t k = 0; k < s.detected.size(); ++k)
    results.push_back(Detected("ssd/int8/m" + std::to_string(k), s.detected[k]));
  return Run(std::move(results));
}

suite::Tolerances Defaults() { return {}; }

// Benign reruns, as another calibration seed or sample count gives: each result's outcome
// changes on up to 30 samples, each change as likely a loss as a gain, so the net often moves
// more than the 0.5-point tolerance. Over 20 reruns of ten results nothing may be flagged.
TEST(RegressionGate, BenignRerunsFlagNothing) {
  const Suite base = BaselineSuite();
  const RunReport baseline = ToRun(base);
  std::mt19937_64 engine(2024);
  std::uniform_int_distribution<int> changed(0, 30);
  std::bernoulli_distribution loss(0.5);
  const auto benign = [&](const std::vector<uint8_t>& v) {
    int to_wrong = 0, to_right = 0;
    for (int k = changed(engine); k > 0; --k) (loss(engine) ? to_wrong : to_right) += 1;
    return Flip(v, to_wrong, to_right, engine);
  };
  int flagged = 0, beyond_tolerance = 0;
  for (int rerun = 0; rerun < 20; ++rerun) {
    Suite s = base;
    for (auto& v : s.classified) v = benign(v);
    for (auto& v : s.detected) v = benign(v);
    const Comparison c = Compare(ToRun(s), baseline, Defaults());
    flagged += c.Count(Status::kRegressed);
    for (const auto& r : c.results)
      for (const auto& d : r.deltas) beyond_tolerance += d.verdict == Verdict::kNotSignificant;
  }
  EXPECT_EQ(flagged, 0);
  // The tolerance alone would have flagged these: the test, not the tolerance, kept them quiet.
  EXPECT_GT(beyond_tolerance, 10);
}

TEST(RegressionGate, TwoPointAccuracyDropIsCaughtAndNamedFirst) {
  const Suite base = BaselineSuite();
  Suite s = base;
  std::mt19937_64 engine(5);
  s.classified[0] = Flip(s.classified[0], 4, 3, engine);   // noise: -0.1 points
  s.classified[3] = Flip(s.classified[3], 25, 5, engine);  // the real drop: -2 points
  s.classified[5] = Flip(s.classified[5], 10, 2, engine);  // -0.8 points, p = 0.02: noise here
  const Comparison c = Compare(ToRun(s), ToRun(base), Defaults());
  const auto regressions = c.Regressions();
  ASSERT_EQ(regressions.size(), 1u);
  EXPECT_EQ(regressions[0]->id, "kws/int8/m3");
  const MetricDelta* d = regressions[0]->Delta("accuracy");
  EXPECT_NEAR(d->delta, -2.0, 1e-9);
  EXPECT_EQ(d->verdict, Verdict::kRegressed);
  EXPECT_EQ(d->test, "mcnemar");
  EXPECT_LT(*d->p_adjusted, 0.01);
  EXPECT_TRUE(c.HasRegression());
  EXPECT_EQ(c.Find("kws/int8/m5")->Delta("accuracy")->verdict, Verdict::kNotSignificant);
}

TEST(RegressionGate, ClassRecallDownTwentyPointsIsCaught) {
  const Suite base = BaselineSuite();
  Suite s = base;
  std::mt19937_64 engine(9);
  // Class 4 (100 samples, recall about 90 %) loses 20 of them: -20 points of recall, -2 of
  // accuracy; the accuracy alone already regresses, the alarm names the class.
  s.classified[1] =
      Flip(s.classified[1], 20, 0, engine, [](size_t i) { return i % kClasses == 4; });
  // One sample of class 7 moving is no alarm.
  s.classified[2] = Flip(s.classified[2], 1, 0, engine, [](size_t i) { return i % kClasses == 7; });
  const Comparison c = Compare(ToRun(s), ToRun(base), Defaults());
  const auto regressions = c.Regressions();
  ASSERT_EQ(regressions.size(), 1u);
  EXPECT_EQ(regressions[0]->id, "kws/int8/m1");
  ASSERT_EQ(regressions[0]->alarms.size(), 1u);
  EXPECT_NE(regressions[0]->alarms[0].find("class 4 recall"), std::string::npos)
      << regressions[0]->alarms[0];
  EXPECT_EQ(c.Find("kws/int8/m2")->status, Status::kOk);
}

TEST(RegressionGate, MapDownThreePointsIsCaughtByTheBootstrap) {
  const Suite base = BaselineSuite();
  Suite s = base;
  std::mt19937_64 engine(11);
  s.detected[1] = Flip(s.detected[1], 15, 0, engine);  // 15 of ~180 hits lost
  const Comparison c = Compare(ToRun(s), ToRun(base), Defaults());
  const auto regressions = c.Regressions();
  ASSERT_EQ(regressions.size(), 1u);
  EXPECT_EQ(regressions[0]->id, "ssd/int8/m1");
  const MetricDelta* d = regressions[0]->Delta("map");
  ASSERT_NE(d, nullptr);
  EXPECT_LT(d->delta, -3.0);
  EXPECT_EQ(d->verdict, Verdict::kRegressed);
  EXPECT_EQ(d->test, "bootstrap");
}

TEST(RegressionGate, FidelityInformsUnlessTheSuiteListsIt) {
  RunReport baseline = ToRun(BaselineSuite());
  RunReport current = baseline;
  // Accuracy rose while agreement with fp32 fell 5 points and SQNR by -0.0 dB.
  std::vector<uint8_t> agrees(kSamples, 1);
  baseline.results[0].per_sample_agrees = agrees;
  baseline.results[0].fidelity.top1_agreement = 1.0;
  baseline.results[0].fidelity.sqnr_db = 20.0;
  for (size_t i = 0; i < 50; ++i) agrees[i] = 0;
  current.results[0].per_sample_agrees = agrees;
  current.results[0].fidelity.top1_agreement = 0.95;
  current.results[0].fidelity.sqnr_db = 20.0 - 1e-12;
  const Comparison quiet = Compare(current, baseline, Defaults());
  EXPECT_EQ(quiet.Find("kws/int8/m0")->status, Status::kOk);
  EXPECT_EQ(quiet.Find("kws/int8/m0")->Delta("top1_agreement")->verdict, Verdict::kReportedOnly);
  EXPECT_EQ(quiet.Find("kws/int8/m0")->Delta("sqnr_db")->verdict, Verdict::kReportedOnly);

  suite::Tolerances gated;
  gated.per_metric["top1_agreement"] = 1.0;
  const Comparison loud = Compare(current, baseline, gated);
  const MetricDelta* d = loud.Find("kws/int8/m0")->Delta("top1_agreement");
  EXPECT_EQ(d->verdict, Verdict::kRegressed);
  EXPECT_EQ(d->test, "mcnemar");
}

TEST(RegressionGate, BaselineWithoutPerSampleOutcomesFallsBackToTheToleranceWithANote) {
  const Suite base = BaselineSuite();
  Suite s = base;
  std::mt19937_64 engine(3);
  s.classified[0] = Flip(s.classified[0], 8, 0, engine);  // -0.8 points
  RunReport baseline = ToRun(base);
  baseline.results[0].per_sample_correct.clear();
  const Comparison c = Compare(ToRun(s), baseline, Defaults());
  const ResultComparison* r = c.Find("kws/int8/m0");
  EXPECT_EQ(r->status, Status::kRegressed);
  ASSERT_FALSE(r->notes.empty());
  EXPECT_NE(r->notes[0].find("tolerance alone"), std::string::npos) << r->notes[0];
}

TEST(RegressionGate, SignificanceLevelIsTheSuites) {
  const Suite base = BaselineSuite();
  Suite s = base;
  std::mt19937_64 engine(5);
  s.classified[5] = Flip(s.classified[5], 10, 2, engine);  // one-sided p about 0.02
  suite::Tolerances loose;
  loose.significance = 0.5;
  EXPECT_EQ(Compare(ToRun(s), ToRun(base), Defaults()).Find("kws/int8/m5")->status, Status::kOk);
  EXPECT_EQ(Compare(ToRun(s), ToRun(base), loose).Find("kws/int8/m5")->status, Status::kRegressed);
}

}  // namespace
}  // namespace harness::report
