// Top-1 / top-k against hand-made rows and against a brute-force second implementation that
// sorts every row fully.
#include "harness/eval/metrics/classification.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(Top1Predictions, TiesGoToTheLowestIndexAndNaNRanksLast) {
  const std::vector<float> scores = {
      1.0f,  3.0f,  3.0f,   // tie between 1 and 2 -> 1
      kNaN,  0.5f,  -1.0f,  // NaN never wins -> 1
      kNaN,  kNaN,  kNaN,   // all NaN -> 0
      -5.0f, -4.0f, -6.0f,
  };
  EXPECT_EQ(Top1Predictions(scores, 3), (std::vector<int32_t>{1, 1, 0, 1}));
}

TEST(TopKCorrect, TieAtTheFifthPlaceGoesToTheLowerIndex) {
  // Ranking: class 1 (0.9), then the 0.5 block by index: 2, 3, 4, 5 | 6, then class 0 (0.1).
  const std::vector<float> row = {0.1f, 0.9f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
  const auto in_top5 = [&](int32_t label) {
    const std::vector<int32_t> labels = {label};
    return TopKCorrect(row, 7, labels, 5)[0];
  };
  EXPECT_EQ(in_top5(1), 1);
  EXPECT_EQ(in_top5(5), 1);
  EXPECT_EQ(in_top5(6), 0);
  EXPECT_EQ(in_top5(0), 0);
}

TEST(TopKCorrect, KAtLeastTheClassCountAcceptsEverything) {
  const std::vector<float> scores = {0.0f, 1.0f, 2.0f, 2.0f, 1.0f, 0.0f};
  const std::vector<int32_t> labels = {0, 2};
  EXPECT_EQ(TopKCorrect(scores, 3, labels, 3), (std::vector<uint8_t>{1, 1}));
  EXPECT_EQ(TopKCorrect(scores, 3, labels, 5), (std::vector<uint8_t>{1, 1}));
  EXPECT_EQ(TopKCorrect(scores, 3, labels, 1), (std::vector<uint8_t>{0, 0}));
}

// Second implementation: sort the class indices of each row by (score desc, index asc) and
// look up the label's position.
std::vector<uint8_t> TopKBySorting(const std::vector<float>& scores, int classes,
                                   const std::vector<int32_t>& labels, int k) {
  std::vector<uint8_t> correct;
  for (size_t i = 0; i < labels.size(); ++i) {
    std::vector<int> order(static_cast<size_t>(classes));
    std::iota(order.begin(), order.end(), 0);
    const float* row = scores.data() + i * static_cast<size_t>(classes);
    std::sort(order.begin(), order.end(),
              [&](int a, int b) { return row[a] != row[b] ? row[a] > row[b] : a < b; });
    const auto position = std::find(order.begin(), order.end(), labels[i]) - order.begin();
    correct.push_back(position < k ? 1 : 0);
  }
  return correct;
}

TEST(TopKCorrect, MatchesFullSortOnRandomRowsWithTies) {
  std::mt19937 engine(7);
  const int classes = 10;
  const size_t rows = 500;
  std::vector<float> scores(rows * classes);
  std::vector<int32_t> labels(rows);
  // Scores from 4 values only, so most rows have ties at every rank.
  for (float& s : scores) s = static_cast<float>(engine() % 4) * 0.25f;
  for (int32_t& l : labels) l = static_cast<int32_t>(engine() % classes);
  for (int k = 1; k <= classes; ++k) {
    EXPECT_EQ(TopKCorrect(scores, classes, labels, k), TopKBySorting(scores, classes, labels, k))
        << "k=" << k;
  }
  // Top-1 correctness is the argmax equal to the label.
  const std::vector<int32_t> predicted = Top1Predictions(scores, classes);
  const std::vector<uint8_t> top1 = Top1Correct(scores, classes, labels);
  for (size_t i = 0; i < rows; ++i) EXPECT_EQ(top1[i], predicted[i] == labels[i] ? 1 : 0);
}

TEST(Accuracy, CountsHits) {
  // Rows: argmax 0, 1, 1, 0 against labels 0, 1, 0, 0 -> 3 of 4.
  const std::vector<float> scores = {0.9f, 0.1f, 0.2f, 0.8f, 0.3f, 0.7f, 0.6f, 0.4f};
  const std::vector<int32_t> labels = {0, 1, 0, 0};
  EXPECT_DOUBLE_EQ(Top1Accuracy(scores, 2, labels), 0.75);
  EXPECT_DOUBLE_EQ(Top5Accuracy(scores, 2, labels), 1.0);
}

TEST(Classification, RejectsBadInput) {
  const std::vector<float> scores = {0.1f, 0.2f, 0.3f, 0.4f};
  EXPECT_THROW(TopKCorrect(scores, 3, std::vector<int32_t>{0}, 1), Error);     // ragged rows
  EXPECT_THROW(TopKCorrect(scores, 2, std::vector<int32_t>{0}, 1), Error);     // label count
  EXPECT_THROW(TopKCorrect(scores, 2, std::vector<int32_t>{0, 2}, 1), Error);  // label range
  EXPECT_THROW(TopKCorrect(scores, 2, std::vector<int32_t>{0, 1}, 0), Error);  // k
  EXPECT_THROW(Accuracy(std::vector<uint8_t>{}), Error);
}

}  // namespace
}  // namespace harness::eval
