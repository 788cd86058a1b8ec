#pragma once
// Regressions that a single top-1 threshold misses: one class losing its recall while the
// others hold the average, and a quantized model that answers one class for almost everything
// (a collapsed output, typical of a badly calibrated softmax input).

#include <optional>
#include <span>
#include <string>
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

// The collapse alarm, the one rule the runner and the baseline comparison share: a class
// receives more than kCollapseShare of all predictions and at least kCollapseRatio times its
// share of the true labels. A class that is 58 % of the samples and 58 % of the predictions is
// no collapse; one that is 10 % of the samples and 60 % of the predictions is.
inline constexpr double kCollapseShare = 0.5;
inline constexpr double kCollapseRatio = 2.0;
std::optional<Collapse> CollapseAlarm(const ConfusionMatrix& matrix);

// "collapse: 61.0 % of predictions are class 2, which is 10.0 % of the samples".
std::string DescribeCollapse(const Collapse& collapse);

}  // namespace harness::eval
