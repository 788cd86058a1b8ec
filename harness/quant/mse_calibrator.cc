// The clipping range that minimises the expected squared quantization error, computed from the
// histogram in closed form (model and search described in calibrators.h).
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "harness/common/error.h"
#include "harness/quant/calibrator_support.h"
#include "harness/quant/calibrators.h"

namespace harness::quant {
namespace {

// The quantizer's grid: the multiples k * step for -negative_levels <= k <= positive_levels.
struct Grid {
  double step = 0.0;
  double negative_levels = 0.0;
  double positive_levels = 0.0;
};

Grid GridFor(double lo, double hi, int num_levels, bool symmetric) {
  if (symmetric) {
    const double half = num_levels / 2 - 1;  // 127 for int8, 32767 for int16
    const double step = std::max(-lo, hi) / half;
    return {step, half, half};
  }
  const double top = num_levels - 1;
  const double step = (hi - lo) / top;
  if (step == 0.0) return {};
  // The zero point, rounded half away from zero as TFLite's ChooseQuantizationParams, clamped
  // to the integer range: 0 lands exactly on the grid, which shifts both ends by < step / 2.
  const double zero_point = std::clamp(std::round(-lo / step), 0.0, top);
  return {step, zero_point, top - zero_point};
}

// Integral over [0, x] (x >= 0) of the squared error on one side of a grid with `levels` steps
// on that side. Inside the grid the error t - round(t) (in steps) is a sawtooth, and
// integral_0^u (v - round(v))^2 dv = n / 12 + (u - n)^3 / 3 with n = round(u); beyond the last
// level k the error is t - k * step.
double SideIntegral(double x, double step, double levels) {
  if (step == 0.0) return x * x * x / 3.0;
  const double u = x / step;
  if (u <= levels) {
    const double n = std::floor(u + 0.5);
    const double r = u - n;
    return step * step * step * (n / 12.0 + r * r * r / 3.0);
  }
  const double clipped = x - levels * step;
  return step * step * step * levels / 12.0 + clipped * clipped * clipped / 3.0;
}

// Integral over [0, x] of the squared error, negative when x < 0.
double ErrorIntegral(double x, const Grid& grid) {
  return x >= 0.0 ? SideIntegral(x, grid.step, grid.positive_levels)
                  : -SideIntegral(-x, grid.step, grid.negative_levels);
}

double PointError(double x, const Grid& grid) {
  if (grid.step == 0.0) return x * x;
  const double level =
      std::clamp(std::round(x / grid.step), -grid.negative_levels, grid.positive_levels);
  const double error = x - level * grid.step;
  return error * error;
}

// Total squared error of the bins' mass, each count spread uniformly over its interval.
double TotalSquaredError(const std::vector<BinMass>& bins, const Grid& grid) {
  double total = 0.0;
  for (const BinMass& bin : bins) {
    const double width = bin.hi - bin.lo;
    const double mean_error =
        width > 0.0 ? (ErrorIntegral(bin.hi, grid) - ErrorIntegral(bin.lo, grid)) / width
                    : PointError(bin.lo, grid);
    total += static_cast<double>(bin.count) * mean_error;
  }
  return total;
}

// argmin over j in [1, last] of cost(j): a coarse pass over about 128 evenly spaced candidates
// plus `start`, then every candidate within one coarse stride of the best. Ties go to the
// smaller j. The result never costs more than `start`.
size_t CoarseToFineArgmin(size_t last, size_t start, const std::function<double(size_t)>& cost) {
  const size_t stride = std::max<size_t>(1, last / 128);
  size_t best = start;
  double best_cost = cost(start);
  for (size_t j = stride; j <= last; j += stride) {
    const double c = cost(j);
    if (c < best_cost || (c == best_cost && j < best)) {
      best_cost = c;
      best = j;
    }
  }
  if (last % stride != 0 && last != start) {
    const double c = cost(last);
    if (c < best_cost) {
      best_cost = c;
      best = last;
    }
  }
  const size_t begin = best > stride ? best - stride + 1 : 1;
  const size_t end = std::min(last, best + stride - 1);
  const size_t coarse_best = best;
  for (size_t j = begin; j <= end; ++j) {
    if (j == coarse_best) continue;  // already evaluated
    const double c = cost(j);
    if (c < best_cost || (c == best_cost && j < best)) {
      best_cost = c;
      best = j;
    }
  }
  return best;
}

// Number of bins up to the last nonempty one on a side.
size_t UsedBins(std::span<const uint64_t> side) {
  size_t used = side.size();
  while (used > 0 && side[used - 1] == 0) --used;
  return used;
}

}  // namespace

double ExpectedSquaredError(const TensorStatistics& statistics, double lo, double hi,
                            int num_levels, bool symmetric) {
  RequireValues(statistics, "mse");
  if (!(lo <= 0.0 && 0.0 <= hi)) {
    throw Error("mse calibrator", "range [" + std::to_string(lo) + ", " + std::to_string(hi) +
                                      "] does not contain 0");
  }
  const Grid grid = GridFor(lo, hi, num_levels, symmetric);
  return TotalSquaredError(NonzeroBinsInOrder(statistics), grid) /
         static_cast<double>(statistics.count());
}

CalibrationRange CalibrateMse(const TensorStatistics& statistics, int num_levels, bool symmetric) {
  RequireValues(statistics, "mse");
  const Histogram& histogram = statistics.histogram();
  if (!histogram.has_range()) return {0.0f, 0.0f};  // all zeros
  const std::vector<BinMass> bins = NonzeroBinsInOrder(statistics);
  const double width = histogram.bin_width();
  const double min = statistics.min();
  const double max = statistics.max();
  const size_t positive_used = UsedBins(histogram.positive_bins());
  const size_t negative_used = UsedBins(histogram.negative_bins());
  // Candidate j on a side: j bins from zero, the outermost one ending at the observed extreme.
  const auto hi_at = [&](size_t j) { return std::min(static_cast<double>(j) * width, max); };
  const auto lo_at = [&](size_t j) { return std::max(-static_cast<double>(j) * width, min); };
  const auto cost = [&](double lo, double hi) {
    return TotalSquaredError(bins, GridFor(lo, hi, num_levels, symmetric));
  };

  if (symmetric) {
    const double max_magnitude = statistics.max_magnitude();
    const size_t used = std::max(positive_used, negative_used);
    const auto threshold_at = [&](size_t j) {
      return std::min(static_cast<double>(j) * width, max_magnitude);
    };
    const size_t best = CoarseToFineArgmin(
        used, used, [&](size_t j) { return cost(-threshold_at(j), threshold_at(j)); });
    return RangeFromThreshold(statistics, threshold_at(best));
  }
  if (negative_used == 0) {
    const size_t best = CoarseToFineArgmin(positive_used, positive_used,
                                           [&](size_t j) { return cost(0, hi_at(j)); });
    return {0.0f, static_cast<float>(hi_at(best))};
  }
  if (positive_used == 0) {
    const size_t best = CoarseToFineArgmin(negative_used, negative_used,
                                           [&](size_t j) { return cost(lo_at(j), 0); });
    return {static_cast<float>(lo_at(best)), 0.0f};
  }
  // Two-sided, affine: coordinate descent from the observed range. No step increases the cost
  // (each search includes the current end); the bound on rounds only guards the loop.
  size_t lo_bins = negative_used;
  size_t hi_bins = positive_used;
  for (int round = 0; round < 32; ++round) {
    const size_t new_hi = CoarseToFineArgmin(
        positive_used, hi_bins, [&](size_t j) { return cost(lo_at(lo_bins), hi_at(j)); });
    const size_t new_lo = CoarseToFineArgmin(
        negative_used, lo_bins, [&](size_t j) { return cost(lo_at(j), hi_at(new_hi)); });
    const bool moved = new_hi != hi_bins || new_lo != lo_bins;
    hi_bins = new_hi;
    lo_bins = new_lo;
    if (!moved) break;
  }
  return {static_cast<float>(lo_at(lo_bins)), static_cast<float>(hi_at(hi_bins))};
}

}  // namespace harness::quant
