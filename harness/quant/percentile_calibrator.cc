// Quantiles read off the histogram: walk the masses in increasing order of value and
// interpolate linearly inside the bin where the cumulative count reaches the target rank.
#include <algorithm>
#include <cmath>
#include <string>

#include "harness/common/error.h"
#include "harness/quant/calibrator_support.h"
#include "harness/quant/calibrators.h"

namespace harness::quant {
namespace {

// The value below which a fraction `q` of the masses lie; `masses` in increasing order of value,
// each spread uniformly over its [lo, hi] (a point mass when lo == hi).
double Quantile(const std::vector<BinMass>& masses, uint64_t total, double q) {
  // A target rank within 1e-6 of an integer is that integer: 99.9 % of 200000 values is rank
  // 199800 exactly, although 0.999 is not a double and the product may land just above it.
  double target = q * static_cast<double>(total);
  if (std::fabs(target - std::round(target)) < 1e-6) target = std::round(target);
  double cumulative = 0.0;
  for (const BinMass& mass : masses) {
    const auto count = static_cast<double>(mass.count);
    if (cumulative + count >= target) {
      const double fraction = std::clamp((target - cumulative) / count, 0.0, 1.0);
      return mass.lo + fraction * (mass.hi - mass.lo);
    }
    cumulative += count;
  }
  return masses.empty() ? 0.0 : masses.back().hi;
}

// Bins in increasing order with the exact zeros as a point mass at 0 in their place.
std::vector<BinMass> SignedMasses(const TensorStatistics& statistics) {
  std::vector<BinMass> bins = NonzeroBinsInOrder(statistics);
  const auto first_positive =
      std::find_if(bins.begin(), bins.end(), [](const BinMass& bin) { return bin.lo >= 0.0; });
  const uint64_t zeros = statistics.histogram().zero_count();
  if (zeros > 0) bins.insert(first_positive, BinMass{0.0, 0.0, zeros});
  return bins;
}

// |x| masses: zeros at 0, then bin p of both sides over [p*w, (p+1)*w] clipped to max|x|.
std::vector<BinMass> MagnitudeMasses(const TensorStatistics& statistics) {
  const Histogram& histogram = statistics.histogram();
  const double width = histogram.bin_width();
  const double max_magnitude = statistics.max_magnitude();
  std::vector<BinMass> masses;
  if (histogram.zero_count() > 0) masses.push_back({0.0, 0.0, histogram.zero_count()});
  const auto positive = histogram.positive_bins();
  const auto negative = histogram.negative_bins();
  for (size_t p = 0; p < positive.size(); ++p) {
    const uint64_t count = positive[p] + negative[p];
    if (count == 0) continue;
    masses.push_back({static_cast<double>(p) * width,
                      std::min(static_cast<double>(p + 1) * width, max_magnitude), count});
  }
  return masses;
}

}  // namespace

CalibrationRange CalibratePercentile(const TensorStatistics& statistics, double percentile,
                                     bool symmetric) {
  RequireValues(statistics, "percentile");
  if (!(percentile > 0.0 && percentile <= 100.0)) {
    throw Error("percentile calibrator",
                "percentile must be in (0, 100], got " + std::to_string(percentile));
  }
  const double kept = percentile / 100.0;
  const uint64_t total = statistics.count();
  if (symmetric) {
    return RangeFromThreshold(statistics, Quantile(MagnitudeMasses(statistics), total, kept));
  }
  const std::vector<BinMass> masses = SignedMasses(statistics);
  const bool has_negative = statistics.min() < 0.0f;
  const bool has_positive = statistics.max() > 0.0f;
  double lo = 0.0;
  double hi = 0.0;
  if (has_negative && has_positive) {
    lo = std::min(0.0, Quantile(masses, total, (1.0 - kept) / 2.0));
    hi = std::max(0.0, Quantile(masses, total, 1.0 - (1.0 - kept) / 2.0));
  } else if (has_positive) {
    hi = Quantile(masses, total, kept);
  } else if (has_negative) {
    lo = Quantile(masses, total, 1.0 - kept);
  }
  return {std::max(static_cast<float>(lo), std::min(statistics.min(), 0.0f)),
          std::min(static_cast<float>(hi), std::max(statistics.max(), 0.0f))};
}

}  // namespace harness::quant
