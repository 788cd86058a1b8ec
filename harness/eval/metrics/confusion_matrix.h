#pragma once
// The confusion matrix (rows = true class, columns = predicted class) and the per-class scores
// derived from it. Counts are integers, so every derived ratio is one exact division.

#include <cstdint>
#include <span>
#include <vector>

namespace harness::eval {

class ConfusionMatrix {
 public:
  explicit ConfusionMatrix(int num_classes);

  // Counts (labels[i], predictions[i]) pairs; both must be in [0, num_classes).
  static ConfusionMatrix FromPredictions(std::span<const int32_t> labels,
                                         std::span<const int32_t> predictions, int num_classes);

  void Add(int32_t true_class, int32_t predicted_class);

  int num_classes() const { return num_classes_; }
  int64_t count(int true_class, int predicted_class) const {
    return counts_[static_cast<size_t>(true_class) * static_cast<size_t>(num_classes_) +
                   static_cast<size_t>(predicted_class)];
  }
  int64_t total() const { return total_; }
  int64_t TrueCount(int true_class) const;            // row sum: samples of that class
  int64_t PredictedCount(int predicted_class) const;  // column sum: predictions of that class
  const std::vector<int64_t>& counts() const { return counts_; }  // row-major [C][C]

 private:
  int num_classes_;
  int64_t total_ = 0;
  std::vector<int64_t> counts_;
};

struct ClassScores {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
  int64_t support = 0;  // samples whose true class this is
};

// Precision tp/(tp+fp), recall tp/(tp+fn), F1 2tp/(2tp+fp+fn), per class. A ratio whose
// denominator is zero (a class never predicted, never present, or neither) is 0, as
// scikit-learn's zero_division=0: the report then shows a class that was never predicted as a
// precision of 0 instead of a NaN that JSON cannot hold.
std::vector<ClassScores> PerClassScores(const ConfusionMatrix& matrix);

// Mean F1 over the classes that occur as a true or a predicted class (scikit-learn's default
// label set when no label list is given): a class absent from both has no F1 at all, and
// counting it as 0 would punish a validation set for not covering every class. Error when the
// matrix is empty.
double MacroF1(const ConfusionMatrix& matrix);

}  // namespace harness::eval
