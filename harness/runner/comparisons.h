#pragma once
// Paired comparisons between results of the same model on the same validation samples, so a
// report says whether one calibrator beats another or the difference is noise: McNemar's test
// on per-sample correctness (classification) and a bootstrap interval of the AUC difference
// (anomaly detection). Every result with a calibrator is compared with the same method's
// min-max result, and every quantized result with fp32.

#include <vector>

#include "harness/runner/model_context.h"
#include "harness/runner/run_result.h"

namespace harness::runner {

// Significance level of every comparison.
inline constexpr double kSignificanceLevel = 0.05;

// Adds PairedComparison entries to `results` (all of one model, in suite order).
// `scores[i]` are the per-sample anomaly scores of results[i] (empty for classification).
void AddPairedComparisons(std::vector<ResultRecord*>& results,
                          const std::vector<const std::vector<double>*>& anomaly_scores,
                          const std::vector<int32_t>& labels);

}  // namespace harness::runner
