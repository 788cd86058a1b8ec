#include "harness/eval/metrics/classification.h"

#include <cstddef>
#include <string>

#include "harness/common/error.h"
#include "harness/eval/metrics/ranking.h"

namespace harness::eval {
namespace {

// Number of rows, after checking that the scores hold whole rows.
size_t CountRows(std::span<const float> scores, int num_classes, const char* place) {
  if (num_classes <= 0) throw Error(place, "the number of classes must be positive");
  const auto width = static_cast<size_t>(num_classes);
  if (scores.size() % width != 0) {
    throw Error(place, std::to_string(scores.size()) + " scores do not form rows of " +
                           std::to_string(num_classes) + " classes");
  }
  return scores.size() / width;
}

}  // namespace

std::vector<int32_t> Top1Predictions(std::span<const float> scores, int num_classes) {
  const size_t rows = CountRows(scores, num_classes, "top-1");
  const auto width = static_cast<size_t>(num_classes);
  std::vector<int32_t> predictions(rows);
  for (size_t i = 0; i < rows; ++i) {
    const float* row = scores.data() + i * width;
    int best = 0;
    for (int c = 1; c < num_classes; ++c) {
      if (RanksBefore(row[c], c, row[best], best)) best = c;
    }
    predictions[i] = best;
  }
  return predictions;
}

std::vector<uint8_t> TopKCorrect(std::span<const float> scores, int num_classes,
                                 std::span<const int32_t> labels, int k) {
  const char* place = "top-k";
  const size_t rows = CountRows(scores, num_classes, place);
  if (k <= 0) throw Error(place, "k must be positive");
  if (labels.size() != rows) {
    throw Error(place, std::to_string(labels.size()) + " labels for " + std::to_string(rows) +
                           " score rows");
  }
  const auto width = static_cast<size_t>(num_classes);
  std::vector<uint8_t> correct(rows);
  for (size_t i = 0; i < rows; ++i) {
    const int32_t label = labels[i];
    if (label < 0 || label >= num_classes) {
      throw Error(place, "label " + std::to_string(label) + " of sample " + std::to_string(i) +
                             " is outside [0, " + std::to_string(num_classes) + ")");
    }
    // The label is in the top k exactly when fewer than k classes rank before it: O(C) per
    // row, no sort, and the same tie rule as the argmax.
    const float* row = scores.data() + i * width;
    int ahead = 0;
    for (int c = 0; c < num_classes && ahead < k; ++c) {
      if (RanksBefore(row[c], c, row[label], label)) ++ahead;
    }
    correct[i] = ahead < k ? 1 : 0;
  }
  return correct;
}

double Accuracy(std::span<const uint8_t> correct) {
  if (correct.empty()) throw Error("accuracy", "no samples");
  size_t hits = 0;
  for (uint8_t c : correct) hits += c != 0 ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(correct.size());
}

}  // namespace harness::eval
