#pragma once
// Paired bootstrap confidence interval for the difference of a metric between two results on
// the same samples (accuracy, AUC, mAP alike): resample sample indices with replacement, compute
// metric_a - metric_b on each resample, and take percentiles of those differences. Resampling
// the same indices for A and B keeps the pairing, which is what makes the interval narrow when
// A and B agree on most samples.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <vector>

namespace harness::eval {

// A metric evaluated on a multiset of sample indices (each in [0, sample_count), repeats
// allowed). Return NaN when the metric is undefined on a resample (an AUC whose resample drew
// no anomaly); such resamples are skipped and counted.
using IndexMetric = std::function<double(std::span<const size_t> indices)>;

struct BootstrapOptions {
  size_t resamples = 1000;
  double confidence = 0.95;  // percentile interval [(1-c)/2, (1+c)/2]: 2.5 % and 97.5 %
  uint64_t seed = 0;         // seeds std::mt19937_64, whose output the standard fixes
};

struct ConfidenceInterval {
  double low = 0.0;
  double high = 0.0;
  size_t resamples_used = 0;  // resamples whose metric was defined for both A and B
};

// A uniform index in [0, bound), bound > 0, from a 64-bit engine by modulo with rejection:
// draws below 2^64 mod bound are rejected so every residue has the same number of preimages.
// std::uniform_int_distribution is not used because its algorithm differs between standard
// libraries, and the intervals must be identical on every platform.
uint64_t UniformIndex(std::mt19937_64& engine, uint64_t bound);

// metric_a(indices) - metric_b(indices) on each of `resamples` resamples of sample_count
// indices, in draw order, leaving out the resamples where it is undefined (NaN). The draws are
// those BootstrapDifference makes for the same seed. Error when sample_count or resamples is 0
// or every resample was undefined.
std::vector<double> BootstrapDifferences(size_t sample_count, const IndexMetric& metric_a,
                                         const IndexMetric& metric_b, size_t resamples,
                                         uint64_t seed);

// The percentile interval of metric_a(indices) - metric_b(indices) over options.resamples
// resamples of sample_count indices. Percentiles interpolate linearly between order
// statistics (numpy's default): the q-quantile of m sorted values is at position q * (m - 1).
// Deterministic for a given seed: resamples are drawn and evaluated in order on this thread.
// Error when sample_count or resamples is 0, confidence is outside (0, 1), or every resample
// was undefined.
ConfidenceInterval BootstrapDifference(size_t sample_count, const IndexMetric& metric_a,
                                       const IndexMetric& metric_b,
                                       const BootstrapOptions& options = {});

}  // namespace harness::eval
