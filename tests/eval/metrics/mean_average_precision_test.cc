// COCO-style mAP on hand-built cases whose answers are derived in the comments, and the
// 101-point AP against a second formulation (max precision over ranks reaching each recall).
#include "harness/eval/metrics/mean_average_precision.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

using Images = std::vector<std::vector<Detection>>;

const Box kSquare{0, 0, 10, 10};
const Box kFarAway{50, 50, 60, 60};

// Sums of 101 precision values round at each step, so hand fractions hold to ~1e-15.
constexpr double kSumTolerance = 1e-12;

void ExpectAllThresholds(const MapResult& r, double ap) {
  for (double v : r.map_at_threshold) EXPECT_NEAR(v, ap, kSumTolerance);
  EXPECT_NEAR(r.map, ap, kSumTolerance);
  EXPECT_NEAR(r.map50, ap, kSumTolerance);
}

TEST(CocoIoUThresholds, AreTheTenCocoValues) {
  const auto t = CocoIoUThresholds();
  for (size_t i = 0; i < t.size(); ++i)
    EXPECT_NEAR(t[i], 0.5 + 0.05 * static_cast<double>(i), 1e-15);
  // The values hand-made boxes hit exactly (IoU 60/100, 75/100) are the same doubles.
  EXPECT_EQ(t[2], 0.6);
  EXPECT_EQ(t[5], 0.75);
}

TEST(MeanAveragePrecision, PerfectDetectionIsOne) {
  const Images detections = {{{kSquare, 0, 0.9f}}};
  const std::vector<TruthBox> truth = {{kSquare, 0, 0}};
  const MapResult r = MeanAveragePrecision(detections, truth);
  ExpectAllThresholds(r, 1.0);
  EXPECT_EQ(r.classes, (std::vector<int32_t>{0}));
}

TEST(MeanAveragePrecision, FalsePositiveRankedAboveTruePositive) {
  // Ranked: FP, TP. Precision 0, 1/2 -> monotone 1/2, 1/2; recall 0, 1. Every recall point
  // (including r = 0, first reached at rank 0) reads 1/2: AP = 1/2 at every threshold.
  const Images detections = {{{kFarAway, 0, 0.9f}, {kSquare, 0, 0.8f}}};
  const std::vector<TruthBox> truth = {{kSquare, 0, 0}};
  ExpectAllThresholds(MeanAveragePrecision(detections, truth), 0.5);
}

TEST(MeanAveragePrecision, NoDetectionsIsZero) {
  const Images detections = {{}, {}};
  const std::vector<TruthBox> truth = {{kSquare, 0, 0}, {kSquare, 3, 1}};
  const MapResult r = MeanAveragePrecision(detections, truth);
  ExpectAllThresholds(r, 0.0);
  EXPECT_EQ(r.classes, (std::vector<int32_t>{0, 3}));
}

TEST(MeanAveragePrecision, DuplicateDetectionIsAFalsePositive) {
  // Two objects; the first is detected twice. Ranked: TP, FP (duplicate), TP.
  // Precision 1, 1/2, 2/3 -> monotone 1, 2/3, 2/3; recall 1/2, 1/2, 1.
  // Recall points 0.00..0.50 (51 of them) reach rank 0 -> 1; 0.51..1.00 (50) reach rank 2
  // -> 2/3. AP = (51 + 50 * 2/3) / 101 = (153 + 100) / 303 = 253/303.
  const Box second{20, 0, 30, 10};
  const Images detections = {{{kSquare, 0, 0.9f}, {kSquare, 0, 0.8f}, {second, 0, 0.7f}}};
  const std::vector<TruthBox> truth = {{kSquare, 0, 0}, {second, 0, 0}};
  ExpectAllThresholds(MeanAveragePrecision(detections, truth), 253.0 / 303.0);
}

TEST(MeanAveragePrecision, AveragesOverClassesWithGroundTruthOnly) {
  // Class 0 perfect (AP 1), class 1 FP above TP (AP 1/2), class 2 has detections but no
  // ground truth: ignored as in COCO. mAP = (1 + 1/2) / 2 = 3/4.
  const Images detections = {
      {{kSquare, 0, 0.9f}, {kFarAway, 1, 0.8f}, {kFarAway, 2, 0.95f}},
      {{kSquare, 1, 0.7f}, {kSquare, 2, 0.6f}},
  };
  const std::vector<TruthBox> truth = {{kSquare, 0, 0}, {kSquare, 1, 1}};
  const MapResult r = MeanAveragePrecision(detections, truth);
  ExpectAllThresholds(r, 0.75);
  EXPECT_EQ(r.classes, (std::vector<int32_t>{0, 1}));
  ASSERT_EQ(r.ap.size(), 2u);
  EXPECT_NEAR(r.ap[0][0], 1.0, kSumTolerance);
  EXPECT_NEAR(r.ap[1][9], 0.5, kSumTolerance);
}

TEST(MeanAveragePrecision, DetectionMatchesOnlyInItsOwnImage) {
  // The box is right but in image 1, the object in image 0: a FP and a missed object.
  const Images detections = {{}, {{kSquare, 0, 0.9f}}};
  const std::vector<TruthBox> truth = {{kSquare, 0, 0}};
  ExpectAllThresholds(MeanAveragePrecision(detections, truth), 0.0);
}

TEST(MeanAveragePrecision, BoxAtIoU06MatchesUpTo06Only) {
  // IoU 60/100 = 0.6: a match at thresholds 0.50, 0.55, 0.60 (>=), not at 0.65..0.95.
  // AP per threshold: 1, 1, 1, then 0 x 7. mAP = 3/10, mAP@0.5 = 1.
  const Images detections = {{{Box{0, 0, 10, 6}, 0, 0.9f}}};
  const std::vector<TruthBox> truth = {{kSquare, 0, 0}};
  const MapResult r = MeanAveragePrecision(detections, truth);
  for (size_t t = 0; t < 10; ++t) EXPECT_EQ(r.map_at_threshold[t], t < 3 ? 1.0 : 0.0) << t;
  EXPECT_NEAR(r.map, 0.3, kSumTolerance);
  EXPECT_EQ(r.map50, 1.0);
}

TEST(MeanAveragePrecision, LooseBoxInASecondImageMakesMapDifferFromMap50) {
  // Image 0: exact box (score 0.9). Image 1: box at IoU 0.6 (score 0.8). Two objects.
  // t <= 0.6: both TP -> AP 1. t >= 0.65: ranked TP, FP; precision 1, 1/2 -> monotone 1, 1/2;
  // recall 1/2, 1/2: points 0..0.50 (51) read 1, the rest never reached -> AP = 51/101.
  // mAP = (3 * 1 + 7 * 51/101) / 10 = (303 + 357) / 1010 = 66/101; mAP@0.5 = 1.
  const Images detections = {{{kSquare, 0, 0.9f}}, {{Box{0, 0, 10, 6}, 0, 0.8f}}};
  const std::vector<TruthBox> truth = {{kSquare, 0, 0}, {kSquare, 0, 1}};
  const MapResult r = MeanAveragePrecision(detections, truth);
  EXPECT_NEAR(r.map_at_threshold[2], 1.0, kSumTolerance);
  EXPECT_NEAR(r.map_at_threshold[5], 51.0 / 101.0, kSumTolerance);
  EXPECT_NEAR(r.map, 66.0 / 101.0, kSumTolerance);
  EXPECT_EQ(r.map50, 1.0);
}

TEST(MeanAveragePrecision, MatchesTheUnmatchedBoxOfHighestIoU) {
  // Objects A [0,10] and B [2,12] (IoU 80/120 = 2/3). The best detection is exactly B (IoU 2/3
  // with A); the next, C [-2,8], has IoU 2/3 with A and 60/140 = 3/7 with B.
  // Highest-IoU matching: B -> B, then C -> A while 2/3 >= t. So t = 0.50..0.65: two TP, AP 1;
  // t = 0.70..0.95: TP, FP with recall 1/2 -> AP 51/101 (as in the loose-box case).
  // mAP = (4 + 6 * 51/101) / 10 = (404 + 306) / 1010 = 71/101, mAP@0.5 = 1.
  // (Taking the first box above the threshold would give B to A and leave C a FP even at 0.5.)
  const Box a{0, 0, 10, 10};
  const Box b{2, 0, 12, 10};
  const Images detections = {{{b, 0, 0.9f}, {Box{-2, 0, 8, 10}, 0, 0.8f}}};
  const std::vector<TruthBox> truth = {{a, 0, 0}, {b, 0, 0}};
  const MapResult r = MeanAveragePrecision(detections, truth);
  EXPECT_EQ(r.map50, 1.0);
  EXPECT_NEAR(r.map_at_threshold[3], 1.0, kSumTolerance);
  EXPECT_NEAR(r.map_at_threshold[4], 51.0 / 101.0, kSumTolerance);
  EXPECT_NEAR(r.map, 71.0 / 101.0, kSumTolerance);
}

TEST(MeanAveragePrecision, RejectsBadInput) {
  const Images detections = {{{kSquare, 0, 0.9f}}};
  EXPECT_THROW(MeanAveragePrecision(detections, std::vector<TruthBox>{}), Error);
  EXPECT_THROW(MeanAveragePrecision(detections, std::vector<TruthBox>{{kSquare, 0, 1}}),
               Error);
  EXPECT_THROW(AveragePrecision101(std::vector<uint8_t>{1}, 0), Error);
}

// Second formulation of the interpolated AP: at each recall point, the best precision at any
// rank whose recall reaches it (the running maximum from the right, read at the first such
// rank, is exactly this).
double ApByMaxOverRanks(const std::vector<uint8_t>& tp, int64_t num_gt) {
  double sum = 0.0;
  for (int i = 0; i <= 100; ++i) {
    const double r = i == 100 ? 1.0 : i * 0.01;
    double best = 0.0;
    int64_t hits = 0;
    for (size_t k = 0; k < tp.size(); ++k) {
      hits += tp[k];
      const double recall = static_cast<double>(hits) / static_cast<double>(num_gt);
      const double precision = static_cast<double>(hits) / static_cast<double>(k + 1);
      if (recall >= r) best = std::max(best, precision);
    }
    sum += best;
  }
  return sum / 101.0;
}

TEST(AveragePrecision101, MatchesMaxOverRanksOnRandomLists) {
  std::mt19937 engine(9);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<uint8_t> tp(1 + engine() % 40);
    int64_t hits = 0;
    for (uint8_t& x : tp) hits += (x = static_cast<uint8_t>(engine() % 2));
    const int64_t num_gt = hits + static_cast<int64_t>(engine() % 5) + (hits == 0 ? 1 : 0);
    EXPECT_DOUBLE_EQ(AveragePrecision101(tp, num_gt), ApByMaxOverRanks(tp, num_gt)) << trial;
  }
}

}  // namespace
}  // namespace harness::eval
