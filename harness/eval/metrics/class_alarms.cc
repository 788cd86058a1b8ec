#include "harness/eval/metrics/class_alarms.h"

#include <string>

#include "harness/common/error.h"

namespace harness::eval {

std::vector<int> RecallDrops(std::span<const double> baseline_recall,
                             std::span<const double> current_recall, double tolerance) {
  if (baseline_recall.size() != current_recall.size()) {
    throw Error("recall drops", "baseline has " + std::to_string(baseline_recall.size()) +
                                    " classes, current has " +
                                    std::to_string(current_recall.size()));
  }
  std::vector<int> dropped;
  for (size_t c = 0; c < baseline_recall.size(); ++c) {
    if (baseline_recall[c] - current_recall[c] > tolerance) dropped.push_back(static_cast<int>(c));
  }
  return dropped;
}

std::optional<Collapse> CollapseCheck(const ConfusionMatrix& matrix, double threshold) {
  if (matrix.total() == 0) throw Error("collapse check", "the confusion matrix is empty");
  const auto total = static_cast<double>(matrix.total());
  std::optional<Collapse> worst;
  for (int c = 0; c < matrix.num_classes(); ++c) {
    const double share = static_cast<double>(matrix.PredictedCount(c)) / total;
    if (share <= threshold) continue;
    if (worst && share <= worst->predicted_share) continue;
    worst = Collapse{c, share, static_cast<double>(matrix.TrueCount(c)) / total};
  }
  return worst;
}

}  // namespace harness::eval
