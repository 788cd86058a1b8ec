#pragma once
// ROC AUC of an anomaly score: the probability that a random anomalous sample (label 1) scores
// higher than a random normal one (label 0), ties counting one half. That is the Mann-Whitney U
// statistic divided by (positives * negatives), which equals the trapezoidal area under the ROC
// curve with tied scores joined by a diagonal (scikit-learn's roc_auc_score).

#include <cstdint>
#include <span>

#include "harness/eval/metrics/bootstrap.h"

namespace harness::eval {

// O(N log N): one sort, then a walk over groups of equal score. Pairs are counted in int64 (as
// twice U, so the ties' halves stay integers) and divided once, so the result does not depend on
// the order of the input. Error when the sizes differ, a label is not 0 or 1, a score is NaN,
// or one of the two classes is absent (the AUC is then undefined).
double RocAuc(std::span<const float> scores, std::span<const int32_t> labels);
double RocAuc(std::span<const double> scores, std::span<const int32_t> labels);

// The AUC of the samples one bootstrap resample draws (with repeats), for BootstrapDifference(s):
// NaN when the resample lacks one of the two classes, where the AUC is undefined (the bootstrap
// skips such resamples). `scores` and `labels` must outlive the returned metric.
IndexMetric ResampledRocAuc(std::span<const double> scores, std::span<const int32_t> labels);

}  // namespace harness::eval
