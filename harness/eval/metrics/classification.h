#pragma once
// Classification metrics from per-sample score rows: top-1 and top-k correctness and accuracy.
// Scores are N rows of num_classes values, row-major ([N][C] flattened); labels are N class
// indices in [0, C). Ties follow ranking.h: the lower class index wins (so the argmax of a row
// with two equal maxima is the first of them, and a label tied with the 5th best score is in
// the top 5 only if its index is the lower one). The confusion matrix, per-class F1 and the
// alarm checks live in confusion_matrix.h and class_alarms.h, included here for convenience.

#include <cstdint>
#include <span>
#include <vector>

#include "harness/eval/metrics/class_alarms.h"
#include "harness/eval/metrics/confusion_matrix.h"

namespace harness::eval {

// The best-ranked class of each row.
std::vector<int32_t> Top1Predictions(std::span<const float> scores, int num_classes);

// Per sample, 1 when its label is among the k best-ranked classes of its row, else 0 (a byte
// per sample so paired tests can take it as a span). k >= num_classes makes every sample 1.
std::vector<uint8_t> TopKCorrect(std::span<const float> scores, int num_classes,
                                 std::span<const int32_t> labels, int k);

inline std::vector<uint8_t> Top1Correct(std::span<const float> scores, int num_classes,
                                        std::span<const int32_t> labels) {
  return TopKCorrect(scores, num_classes, labels, 1);
}

// Fraction of ones in a correctness vector, counted exactly (integers) then divided once.
double Accuracy(std::span<const uint8_t> correct);

inline double Top1Accuracy(std::span<const float> scores, int num_classes,
                           std::span<const int32_t> labels) {
  return Accuracy(TopKCorrect(scores, num_classes, labels, 1));
}

inline double Top5Accuracy(std::span<const float> scores, int num_classes,
                           std::span<const int32_t> labels) {
  return Accuracy(TopKCorrect(scores, num_classes, labels, 5));
}

}  // namespace harness::eval
