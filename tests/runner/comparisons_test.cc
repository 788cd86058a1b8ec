// Paired mAP comparisons of detection results: the resampled mAP equals MeanAveragePrecision
// (through ScoreDetections) on the materialised resample, identical results differ by exactly 0,
// a result better on every image is significant, and the intervals are reproducible.
#include "harness/runner/comparisons.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "harness/runner/detection_bootstrap.h"

namespace harness::runner {
namespace {

using Detections = std::vector<std::vector<eval::DecodedDetection>>;

// Random images of 0..3 truth boxes of 3 classes, with detections near them (some far off,
// some of the wrong class), scores from a coarse grid so equal scores across images occur.
struct RandomSet {
  Detections detections;
  std::vector<eval::DetectionTruth> truth;
};

RandomSet MakeRandomSet(size_t images, uint64_t seed) {
  std::mt19937_64 engine(seed);
  auto uniform = [&](double low, double high) {
    return low + (high - low) * static_cast<double>(engine() >> 11) * 0x1.0p-53;
  };
  RandomSet set;
  set.detections.resize(images);
  for (size_t i = 0; i < images; ++i) {
    const int boxes = static_cast<int>(engine() % 4);
    for (int k = 0; k < boxes; ++k) {
      const auto x = static_cast<float>(uniform(0, 40)), y = static_cast<float>(uniform(0, 40));
      const auto w = static_cast<float>(uniform(4, 12)), h = static_cast<float>(uniform(4, 12));
      const auto class_id = static_cast<int32_t>(engine() % 3);
      set.truth.push_back({x, y, x + w, y + h, class_id, static_cast<int32_t>(i)});
      const int guesses = static_cast<int>(engine() % 3);
      for (int g = 0; g < guesses; ++g) {
        const auto dx = static_cast<float>(uniform(-3, 3)), dy = static_cast<float>(uniform(-3, 3));
        const int32_t guess_class = engine() % 5 == 0 ? (class_id + 1) % 3 : class_id;
        const auto score = static_cast<float>(static_cast<int>(uniform(1, 10)) / 10.0);
        set.detections[i].push_back({x + dx, y + dy, x + w + dx, y + h + dy, guess_class, score});
      }
    }
    if (engine() % 3 == 0) {
      set.detections[i].push_back({50, 50, 60, 60, static_cast<int32_t>(engine() % 4), 0.5f});
    }
  }
  return set;
}

TEST(ResampledMap, EqualsMeanAveragePrecisionOnTheMaterialisedResample) {
  const RandomSet set = MakeRandomSet(40, 7);
  const ResampledMap resampled(set.detections, set.truth);
  std::mt19937_64 engine(3);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<size_t> images(40);
    for (size_t& i : images) i = trial == 0 ? static_cast<size_t>(&i - images.data()) : engine() % 40;
    Detections drawn;
    std::vector<eval::DetectionTruth> drawn_truth;
    for (size_t position = 0; position < images.size(); ++position) {
      drawn.push_back(set.detections[images[position]]);
      for (eval::DetectionTruth t : set.truth) {
        if (static_cast<size_t>(t.sample) != images[position]) continue;
        t.sample = static_cast<int32_t>(position);
        drawn_truth.push_back(t);
      }
    }
    const MapPair fast = resampled.Evaluate(images);
    if (drawn_truth.empty()) {
      EXPECT_TRUE(std::isnan(fast.map));
      continue;
    }
    const eval::DetectionScores reference = eval::ScoreDetections(drawn, drawn_truth);
    EXPECT_EQ(fast.map, reference.map) << "trial " << trial;
    EXPECT_EQ(fast.map50, reference.map50) << "trial " << trial;
  }
}

TEST(ResampledMap, TruthBeyondTheImagesIsLeftOut) {
  Detections one = {{{0, 0, 10, 10, 0, 0.9f}}};
  const std::vector<eval::DetectionTruth> truth = {{0, 0, 10, 10, 0, 0}, {0, 0, 10, 10, 1, 1}};
  const std::vector<size_t> all = {0};
  EXPECT_EQ(ResampledMap(one, truth).Evaluate(all).map, 1.0);
}

TEST(BootstrapMap, IdenticalResultsDifferByExactlyZero) {
  const RandomSet set = MakeRandomSet(30, 11);
  const auto comparisons = BootstrapMap("d/fp32", set.detections, set.detections, set.truth);
  ASSERT_EQ(comparisons.size(), 2u);
  EXPECT_EQ(comparisons[0].metric, "map");
  EXPECT_EQ(comparisons[1].metric, "map50");
  for (const PairedComparison& c : comparisons) {
    EXPECT_EQ(c.test, "bootstrap");
    EXPECT_EQ(c.other_id, "d/fp32");
    EXPECT_EQ(c.difference, 0.0);
    EXPECT_EQ(c.ci_low, 0.0);
    EXPECT_EQ(c.ci_high, 0.0);
    EXPECT_FALSE(c.significant);
  }
}

TEST(BootstrapMap, BetterOnEveryImageIsSignificant) {
  // Every image has one box; A finds it exactly, B reports a box of the right class elsewhere.
  Detections a(25), b(25);
  std::vector<eval::DetectionTruth> truth;
  for (int32_t i = 0; i < 25; ++i) {
    const auto x = static_cast<float>(i);
    truth.push_back({x, 0, x + 10, 10, i % 2, i});
    a[static_cast<size_t>(i)].push_back({x, 0, x + 10, 10, i % 2, 0.8f});
    b[static_cast<size_t>(i)].push_back({x + 30, 20, x + 40, 30, i % 2, 0.8f});
  }
  const auto comparisons = BootstrapMap("d/fp32", a, b, truth);
  for (const PairedComparison& c : comparisons) {
    // mAP 1 against 0 on every resample.
    EXPECT_EQ(c.difference, 1.0) << c.metric;
    EXPECT_EQ(c.ci_low, 1.0) << c.metric;
    EXPECT_EQ(c.ci_high, 1.0) << c.metric;
    EXPECT_TRUE(c.significant) << c.metric;
  }
  // And the other way round, significant below zero.
  for (const PairedComparison& c : BootstrapMap("d/x", b, a, truth)) {
    EXPECT_EQ(c.ci_high, -1.0);
    EXPECT_TRUE(c.significant);
  }
}

TEST(BootstrapMap, TheSameSeedGivesTheSameInterval) {
  const RandomSet a = MakeRandomSet(30, 21);
  RandomSet b = a;
  // B loses its best detection in every third image: a real but noisy difference.
  for (size_t i = 0; i < b.detections.size(); i += 3)
    if (!b.detections[i].empty()) b.detections[i].erase(b.detections[i].begin());
  const auto first = BootstrapMap("x", a.detections, b.detections, a.truth);
  const auto second = BootstrapMap("x", a.detections, b.detections, a.truth);
  EXPECT_EQ(first, second);
  // Not a degenerate interval: the resamples differ.
  EXPECT_LT(*first[0].ci_low, *first[0].ci_high);
  EXPECT_LE(*first[0].ci_low, first[0].difference);
  EXPECT_GE(*first[0].ci_high, first[0].difference);
}

TEST(AddPairedComparisons, DetectionResultsGetMapComparisonsWithFp32) {
  const RandomSet set = MakeRandomSet(20, 5);
  ResultRecord fp32, dynamic;
  fp32.id = "d/fp32";
  fp32.method = "fp32";
  fp32.calibrator = "none";
  dynamic.id = "d/dynamic";
  dynamic.method = "dynamic";
  dynamic.calibrator = "none";
  std::vector<ResultRecord*> records = {&fp32, &dynamic};
  const std::vector<double> no_scores;
  const std::vector<ResultSamples> samples = {{&no_scores, &set.detections},
                                              {&no_scores, &set.detections}};
  AddPairedComparisons(records, samples, {{}, set.truth});
  EXPECT_TRUE(fp32.comparisons.empty());
  ASSERT_EQ(dynamic.comparisons.size(), 2u);
  EXPECT_EQ(dynamic.comparisons[0].other_id, "d/fp32");
  EXPECT_EQ(dynamic.comparisons[1].metric, "map50");
}

// Accuracy comparisons carry a paired bootstrap interval beside McNemar's p-value: 100 of 1000
// samples lost and none gained is a difference of -0.1 whose standard error is
// sqrt(0.1 * 0.9 / 1000) = 0.0095, so the 95 % interval lies within about +-0.019 of it.
TEST(AccuracyComparison, CarriesAPairedBootstrapIntervalAroundTheDifference) {
  const auto record = [](const char* method, const char* calibrator, size_t wrong) {
    ResultRecord r;
    r.model = "m";
    r.method = method;
    r.calibrator = calibrator;
    r.id = std::string("m/") + method + (std::string(calibrator) == "none" ? "" : "/minmax");
    r.task = "classification";
    r.per_sample_correct.assign(1000, 1);
    for (size_t i = 0; i < wrong; ++i) r.per_sample_correct[i] = 0;
    r.metrics.accuracy = 1.0 - static_cast<double>(wrong) / 1000.0;
    return r;
  };
  ResultRecord fp32 = record("fp32", "none", 0);
  ResultRecord int8 = record("int8", "minmax", 100);
  std::vector<ResultRecord*> results{&fp32, &int8};
  AddPairedComparisons(results, std::vector<ResultSamples>(2), SharedTruth{});
  ASSERT_EQ(int8.comparisons.size(), 1u);
  const PairedComparison& c = int8.comparisons[0];
  EXPECT_EQ(c.other_id, "m/fp32");
  EXPECT_DOUBLE_EQ(c.difference, -0.1);
  ASSERT_TRUE(c.ci_low && c.ci_high);
  EXPECT_LT(*c.ci_low, -0.1);
  EXPECT_GT(*c.ci_high, -0.1);
  EXPECT_NEAR(*c.ci_low, -0.1 - 1.96 * 0.0095, 0.005);
  EXPECT_NEAR(*c.ci_high, -0.1 + 1.96 * 0.0095, 0.005);
  EXPECT_TRUE(c.significant);

  // Identical per-sample results: the interval is exactly zero.
  ResultRecord same = record("int8", "minmax", 0);
  std::vector<ResultRecord*> equal{&fp32, &same};
  AddPairedComparisons(equal, std::vector<ResultSamples>(2), SharedTruth{});
  ASSERT_EQ(same.comparisons.size(), 1u);
  EXPECT_EQ(same.comparisons[0].ci_low, 0.0);
  EXPECT_EQ(same.comparisons[0].ci_high, 0.0);
}

}  // namespace
}  // namespace harness::runner
