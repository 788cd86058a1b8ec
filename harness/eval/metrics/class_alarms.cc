#include "harness/eval/metrics/class_alarms.h"

#include <cstdio>
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

std::optional<Collapse> CollapseAlarm(const ConfusionMatrix& matrix) {
  const auto collapse = CollapseCheck(matrix, kCollapseShare);
  if (!collapse || collapse->predicted_share < kCollapseRatio * collapse->true_share) {
    return std::nullopt;
  }
  return collapse;
}

std::string DescribeCollapse(const Collapse& collapse) {
  char text[160];
  std::snprintf(text, sizeof text,
                "collapse: %.1f %% of predictions are class %d, which is %.1f %% of the samples",
                100.0 * collapse.predicted_share, collapse.predicted_class,
                100.0 * collapse.true_share);
  return text;
}

}  // namespace harness::eval
