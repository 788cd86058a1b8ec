// ROC AUC against hand cases and an O(N^2) count of every (anomalous, normal) pair.
#include "harness/eval/metrics/roc_auc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

// The definition: over all (positive, negative) pairs, 1 for a higher positive score, 1/2 for
// a tie.
double BruteForceAuc(const std::vector<float>& scores, const std::vector<int32_t>& labels) {
  double wins = 0.0;
  double pairs = 0.0;
  for (size_t p = 0; p < scores.size(); ++p) {
    if (labels[p] != 1) continue;
    for (size_t n = 0; n < scores.size(); ++n) {
      if (labels[n] != 0) continue;
      pairs += 1.0;
      if (scores[p] > scores[n]) wins += 1.0;
      if (scores[p] == scores[n]) wins += 0.5;
    }
  }
  return wins / pairs;
}

TEST(RocAuc, HandCases) {
  const std::vector<int32_t> labels = {0, 0, 1, 1};
  EXPECT_EQ(RocAuc(std::vector<float>{0.1f, 0.2f, 0.3f, 0.4f}, labels), 1.0);  // separated
  EXPECT_EQ(RocAuc(std::vector<float>{0.4f, 0.3f, 0.2f, 0.1f}, labels), 0.0);  // inverted
  EXPECT_EQ(RocAuc(std::vector<float>{0.5f, 0.5f, 0.5f, 0.5f}, labels), 0.5);  // all tied
  // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 beats 0.1 only, 0.8 beats
  // both -> 3 of 4 pairs.
  EXPECT_EQ(RocAuc(std::vector<float>{0.1f, 0.4f, 0.35f, 0.8f}, labels), 0.75);
  // One tie: positives {1, 2}, negatives {1, 0}: 1 vs 1 -> 1/2, 1 vs 0 -> 1, 2 beats both
  // -> 3.5 / 4.
  EXPECT_EQ(RocAuc(std::vector<double>{1.0, 0.0, 1.0, 2.0}, labels), 0.875);
}

TEST(RocAuc, MatchesPairCountOnRandomDataWithTies) {
  std::mt19937 engine(11);
  for (int trial = 0; trial < 20; ++trial) {
    const size_t n = 50 + engine() % 300;
    std::vector<float> scores(n);
    std::vector<int32_t> labels(n);
    for (size_t i = 0; i < n; ++i) {
      labels[i] = static_cast<int32_t>(engine() % 3 == 0);
      // Few distinct values (many ties), anomalies shifted up a bit.
      scores[i] = static_cast<float>(engine() % 8 + static_cast<unsigned>(labels[i]) * 2) * 0.5f;
    }
    labels[0] = 0;
    labels[1] = 1;
    EXPECT_NEAR(RocAuc(scores, labels), BruteForceAuc(scores, labels), 1e-12) << "trial " << trial;
  }
}

TEST(RocAuc, DoesNotDependOnSampleOrder) {
  std::mt19937 engine(3);
  std::vector<float> scores(200);
  std::vector<int32_t> labels(200);
  for (size_t i = 0; i < scores.size(); ++i) {
    scores[i] = static_cast<float>(engine() % 20);
    labels[i] = static_cast<int32_t>(i % 4 == 0);
  }
  const double auc = RocAuc(scores, labels);
  std::vector<size_t> order(scores.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), engine);
  std::vector<float> s2;
  std::vector<int32_t> l2;
  for (size_t i : order) {
    s2.push_back(scores[i]);
    l2.push_back(labels[i]);
  }
  EXPECT_EQ(RocAuc(s2, l2), auc);  // bit for bit
}

TEST(RocAuc, RejectsUndefinedCases) {
  EXPECT_THROW(RocAuc(std::vector<float>{0.1f, 0.2f}, std::vector<int32_t>{1, 1}), Error);
  EXPECT_THROW(RocAuc(std::vector<float>{0.1f, 0.2f}, std::vector<int32_t>{0, 0}), Error);
  EXPECT_THROW(RocAuc(std::vector<float>{0.1f, 0.2f}, std::vector<int32_t>{0, 2}), Error);
  EXPECT_THROW(RocAuc(std::vector<float>{0.1f}, std::vector<int32_t>{0, 1}), Error);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(RocAuc(std::vector<float>{0.1f, nan}, std::vector<int32_t>{0, 1}), Error);
}

}  // namespace
}  // namespace harness::eval
