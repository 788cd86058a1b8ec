#include "harness/eval/metrics/confusion_matrix.h"

#include <string>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

double Ratio(int64_t numerator, int64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace

ConfusionMatrix::ConfusionMatrix(int num_classes) : num_classes_(num_classes) {
  if (num_classes <= 0) throw Error("confusion matrix", "the number of classes must be positive");
  const auto n = static_cast<size_t>(num_classes);
  counts_.assign(n * n, 0);
}

ConfusionMatrix ConfusionMatrix::FromPredictions(std::span<const int32_t> labels,
                                                 std::span<const int32_t> predictions,
                                                 int num_classes) {
  if (labels.size() != predictions.size()) {
    throw Error("confusion matrix", std::to_string(labels.size()) + " labels for " +
                                        std::to_string(predictions.size()) + " predictions");
  }
  ConfusionMatrix matrix(num_classes);
  for (size_t i = 0; i < labels.size(); ++i) matrix.Add(labels[i], predictions[i]);
  return matrix;
}

void ConfusionMatrix::Add(int32_t true_class, int32_t predicted_class) {
  for (int32_t c : {true_class, predicted_class}) {
    if (c < 0 || c >= num_classes_) {
      throw Error("confusion matrix", "class " + std::to_string(c) + " is outside [0, " +
                                          std::to_string(num_classes_) + ")");
    }
  }
  ++counts_[static_cast<size_t>(true_class) * static_cast<size_t>(num_classes_) +
            static_cast<size_t>(predicted_class)];
  ++total_;
}

int64_t ConfusionMatrix::TrueCount(int true_class) const {
  int64_t sum = 0;
  for (int p = 0; p < num_classes_; ++p) sum += count(true_class, p);
  return sum;
}

int64_t ConfusionMatrix::PredictedCount(int predicted_class) const {
  int64_t sum = 0;
  for (int t = 0; t < num_classes_; ++t) sum += count(t, predicted_class);
  return sum;
}

std::vector<ClassScores> PerClassScores(const ConfusionMatrix& matrix) {
  std::vector<ClassScores> scores(static_cast<size_t>(matrix.num_classes()));
  for (int c = 0; c < matrix.num_classes(); ++c) {
    const int64_t tp = matrix.count(c, c);
    const int64_t actual = matrix.TrueCount(c);
    const int64_t predicted = matrix.PredictedCount(c);
    ClassScores& s = scores[static_cast<size_t>(c)];
    s.precision = Ratio(tp, predicted);
    s.recall = Ratio(tp, actual);
    // 2tp / (2tp + fp + fn) equals the harmonic mean of precision and recall and stays exact.
    s.f1 = Ratio(2 * tp, actual + predicted);
    s.support = actual;
  }
  return scores;
}

double MacroF1(const ConfusionMatrix& matrix) {
  if (matrix.total() == 0) throw Error("macro F1", "the confusion matrix is empty");
  const std::vector<ClassScores> scores = PerClassScores(matrix);
  double sum = 0.0;
  int present = 0;
  for (int c = 0; c < matrix.num_classes(); ++c) {
    if (matrix.TrueCount(c) == 0 && matrix.PredictedCount(c) == 0) continue;
    sum += scores[static_cast<size_t>(c)].f1;
    ++present;
  }
  return sum / present;
}

}  // namespace harness::eval
