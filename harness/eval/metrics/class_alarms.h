#pragma once
// Regressions that a single top-1 threshold misses: one class losing its recall while the
// others hold the average, and a quantized model that answers one class for almost everything
// (a collapsed output, typical of a badly calibrated softmax input).

#include <optional>
#include <span>
#include <vector>

#include "harness/eval/metrics/confusion_matrix.h"

namespace harness::eval {

// Classes whose recall fell by more than `tolerance` (baseline - current > tolerance), in
// increasing class order. Both spans hold one recall per class (PerClassScores' recall).
std::vector<int> RecallDrops(std::span<const double> baseline_recall,
                             std::span<const double> current_recall, double tolerance);

struct Collapse {
  int predicted_class = 0;
  double predicted_share = 0.0;  // fraction of all predictions that are this class
  double true_share = 0.0;       // fraction of all samples that truly are this class
};

// The class receiving more than `threshold` of all predictions, if any (the one with the
// largest share, the lower index on a tie, when a threshold below 0.5 lets several qualify).
// A collapse is only alarming when true_share is much smaller than predicted_share: a set
// that is 90 % one class is expected to be predicted 90 % that class, so the caller compares
// the two shares. Error when the matrix is empty.
std::optional<Collapse> CollapseCheck(const ConfusionMatrix& matrix, double threshold = 0.5);

}  // namespace harness::eval
