#include "harness/eval/metrics/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "harness/common/error.h"
#include "harness/common/interrupt.h"

namespace harness::eval {
namespace {

// Linear interpolation between order statistics of sorted values, q in [0, 1].
double Percentile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

}  // namespace

uint64_t UniformIndex(std::mt19937_64& engine, uint64_t bound) {
  static_assert(std::mt19937_64::min() == 0 &&
                std::mt19937_64::max() == std::numeric_limits<uint64_t>::max());
  const uint64_t rejected_below = (0 - bound) % bound;  // 2^64 mod bound, in unsigned arithmetic
  uint64_t draw = engine();
  while (draw < rejected_below) draw = engine();
  return draw % bound;
}

std::vector<double> BootstrapDifferences(size_t sample_count, const IndexMetric& metric_a,
                                         const IndexMetric& metric_b, size_t resamples,
                                         uint64_t seed) {
  const char* place = "bootstrap";
  if (sample_count == 0) throw Error(place, "no samples");
  if (resamples == 0) throw Error(place, "no resamples requested");
  std::mt19937_64 engine(seed);
  std::vector<size_t> indices(sample_count);
  std::vector<double> differences;
  differences.reserve(resamples);
  for (size_t r = 0; r < resamples; ++r) {
    ThrowIfInterrupted();  // a detection bootstrap takes seconds; Ctrl-C must not wait for it
    for (size_t& index : indices) index = static_cast<size_t>(UniformIndex(engine, sample_count));
    const double difference = metric_a(indices) - metric_b(indices);
    if (!std::isnan(difference)) differences.push_back(difference);
  }
  if (differences.empty()) throw Error(place, "the metric was undefined on every resample");
  return differences;
}

ConfidenceInterval BootstrapDifference(size_t sample_count, const IndexMetric& metric_a,
                                       const IndexMetric& metric_b,
                                       const BootstrapOptions& options) {
  if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
    throw Error("bootstrap", "confidence must be in (0, 1)");
  }
  std::vector<double> differences =
      BootstrapDifferences(sample_count, metric_a, metric_b, options.resamples, options.seed);
  std::sort(differences.begin(), differences.end());
  const double tail = (1.0 - options.confidence) / 2.0;
  return {Percentile(differences, tail), Percentile(differences, 1.0 - tail), differences.size()};
}

}  // namespace harness::eval
