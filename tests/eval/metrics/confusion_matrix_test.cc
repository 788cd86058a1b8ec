// Confusion matrix, per-class scores and the alarm checks against values computed by hand.
#include "harness/eval/metrics/confusion_matrix.h"

#include <gtest/gtest.h>

#include <vector>

#include "harness/common/error.h"
#include "harness/eval/metrics/class_alarms.h"

namespace harness::eval {
namespace {

// labels      0 0 1 1 2 2 2
// predictions 0 1 1 1 2 0 1
// Matrix (rows true, cols predicted), with a fourth class that never occurs:
//   t0: 1 1 0 0 | t1: 0 2 0 0 | t2: 1 1 1 0 | t3: 0 0 0 0
// class 0: tp 1, predicted 2, actual 2 -> P 1/2, R 1/2, F1 2/4 = 1/2
// class 1: tp 2, predicted 4, actual 2 -> P 1/2, R 1,   F1 4/6 = 2/3
// class 2: tp 1, predicted 1, actual 3 -> P 1,   R 1/3, F1 2/4 = 1/2
// class 3: nothing -> all 0 (undefined), left out of the macro mean
// macro F1 = (1/2 + 2/3 + 1/2) / 3 = 5/9
ConfusionMatrix HandMatrix() {
  const std::vector<int32_t> labels = {0, 0, 1, 1, 2, 2, 2};
  const std::vector<int32_t> predictions = {0, 1, 1, 1, 2, 0, 1};
  return ConfusionMatrix::FromPredictions(labels, predictions, 4);
}

TEST(ConfusionMatrix, CountsRowsAsTruthAndColumnsAsPrediction) {
  const ConfusionMatrix m = HandMatrix();
  EXPECT_EQ(m.counts(), (std::vector<int64_t>{1, 1, 0, 0, 0, 2, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(m.total(), 7);
  EXPECT_EQ(m.TrueCount(2), 3);
  EXPECT_EQ(m.PredictedCount(1), 4);
}

TEST(PerClassScores, MatchHandValues) {
  const std::vector<ClassScores> s = PerClassScores(HandMatrix());
  ASSERT_EQ(s.size(), 4u);
  EXPECT_DOUBLE_EQ(s[0].precision, 0.5);
  EXPECT_DOUBLE_EQ(s[0].recall, 0.5);
  EXPECT_DOUBLE_EQ(s[0].f1, 0.5);
  EXPECT_DOUBLE_EQ(s[1].precision, 0.5);
  EXPECT_DOUBLE_EQ(s[1].recall, 1.0);
  EXPECT_DOUBLE_EQ(s[1].f1, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s[2].precision, 1.0);
  EXPECT_DOUBLE_EQ(s[2].recall, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s[2].f1, 0.5);
  EXPECT_EQ(s[2].support, 3);
  EXPECT_EQ(s[3].precision, 0.0);
  EXPECT_EQ(s[3].recall, 0.0);
  EXPECT_EQ(s[3].f1, 0.0);
  EXPECT_DOUBLE_EQ(MacroF1(HandMatrix()), 5.0 / 9.0);
}

TEST(PerClassScores, F1IsTheHarmonicMeanWhenDefined) {
  const std::vector<ClassScores> s = PerClassScores(HandMatrix());
  for (int c = 0; c < 3; ++c) {
    const ClassScores& x = s[static_cast<size_t>(c)];
    EXPECT_DOUBLE_EQ(x.f1, 2 * x.precision * x.recall / (x.precision + x.recall));
  }
}

TEST(MacroF1, CountsAClassThatIsOnlyPredicted) {
  // Class 1 is predicted once but never true: F1 0, and it does count (a false alarm class).
  // class 0: tp 1, predicted 1, actual 2 -> F1 2/3; mean (2/3 + 0) / 2 = 1/3.
  const ConfusionMatrix m =
      ConfusionMatrix::FromPredictions(std::vector<int32_t>{0, 0}, std::vector<int32_t>{0, 1}, 3);
  EXPECT_DOUBLE_EQ(MacroF1(m), 1.0 / 3.0);
  EXPECT_THROW(MacroF1(ConfusionMatrix(2)), Error);
}

TEST(ConfusionMatrix, RejectsBadInput) {
  EXPECT_THROW(ConfusionMatrix(0), Error);
  ConfusionMatrix m(2);
  EXPECT_THROW(m.Add(2, 0), Error);
  EXPECT_THROW(m.Add(0, -1), Error);
  EXPECT_THROW(
      ConfusionMatrix::FromPredictions(std::vector<int32_t>{0}, std::vector<int32_t>{0, 1}, 2),
      Error);
}

TEST(RecallDrops, ReportsOnlyDropsBeyondTolerance) {
  const std::vector<double> baseline = {0.75, 0.5, 1.0, 0.25};
  const std::vector<double> current = {0.75, 0.25, 0.5, 0.5};
  // Drops: 0, 0.25 (exactly the tolerance: not more), 0.5, -0.25 (an improvement).
  EXPECT_EQ(RecallDrops(baseline, current, 0.25), (std::vector<int>{2}));
  EXPECT_EQ(RecallDrops(baseline, current, 0.125), (std::vector<int>{1, 2}));
  EXPECT_THROW(RecallDrops(baseline, std::vector<double>{0.5}, 0.1), Error);
}

TEST(CollapseCheck, FindsTheClassThatTakesMostPredictions) {
  // 10 samples, 2 of class 2, all but two predicted as class 2.
  const std::vector<int32_t> labels = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2};
  const std::vector<int32_t> collapsed = {0, 2, 2, 2, 1, 2, 2, 2, 2, 2};
  const std::optional<Collapse> c =
      CollapseCheck(ConfusionMatrix::FromPredictions(labels, collapsed, 3));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->predicted_class, 2);
  EXPECT_DOUBLE_EQ(c->predicted_share, 0.8);
  EXPECT_DOUBLE_EQ(c->true_share, 0.2);

  EXPECT_FALSE(CollapseCheck(ConfusionMatrix::FromPredictions(labels, labels, 3)).has_value());
  // Exactly half is not "more than half".
  const std::vector<int32_t> half = {1, 1, 1, 1, 1, 0, 0, 0, 2, 2};
  EXPECT_FALSE(CollapseCheck(ConfusionMatrix::FromPredictions(labels, half, 3)).has_value());
  // With a lower threshold several classes qualify: the largest share (class 1, 0.5) wins.
  const std::optional<Collapse> low =
      CollapseCheck(ConfusionMatrix::FromPredictions(labels, half, 3), 0.25);
  ASSERT_TRUE(low.has_value());
  EXPECT_EQ(low->predicted_class, 1);
  EXPECT_THROW(CollapseCheck(ConfusionMatrix(3)), Error);
}

}  // namespace
}  // namespace harness::eval
