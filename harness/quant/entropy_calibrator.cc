// TensorRT's entropy calibrator: the clipping threshold whose quantized distribution loses the
// least information (KL divergence) about the clipped one. The algorithm (from NVIDIA's
// "8-bit Inference with TensorRT") is described in calibrators.h.
#include <cmath>
#include <limits>
#include <vector>

#include "harness/quant/calibrator_support.h"
#include "harness/quant/calibrators.h"

namespace harness::quant {
namespace {

// Mass given to Q's empty bins so that KL(P||Q) stays finite where P > 0.
constexpr double kEmptyBinMass = 1e-4;

// KL(P||Q) for the candidate that keeps the first `kept` magnitude bins, with Q quantized to
// `levels` groups. `bins` holds every nonempty magnitude bin; `tail` is the count beyond `kept`.
double ClippingDivergence(const std::vector<uint64_t>& bins, size_t kept, uint64_t tail,
                          size_t levels, std::vector<double>& p, std::vector<double>& q) {
  p.assign(bins.begin(), bins.begin() + static_cast<std::ptrdiff_t>(kept));
  p[kept - 1] += static_cast<double>(tail);

  // Q: merge kept bins into `levels` groups of kept / levels bins, the last taking the
  // remainder, and spread each group's mass evenly over the group's nonzero bins.
  q.assign(kept, 0.0);
  const size_t group_size = kept / levels;
  for (size_t group = 0; group < levels; ++group) {
    const size_t begin = group * group_size;
    const size_t end = group + 1 == levels ? kept : begin + group_size;
    double mass = 0.0;
    size_t nonzero = 0;
    for (size_t j = begin; j < end; ++j) {
      mass += static_cast<double>(bins[j]);
      nonzero += bins[j] != 0 ? 1 : 0;
    }
    if (nonzero == 0) continue;
    const double share = mass / static_cast<double>(nonzero);
    for (size_t j = begin; j < end; ++j) q[j] = bins[j] != 0 ? share : 0.0;
  }
  double p_total = 0.0;
  double q_total = 0.0;
  for (size_t j = 0; j < kept; ++j) {
    if (q[j] == 0.0) q[j] = kEmptyBinMass;
    p_total += p[j];
    q_total += q[j];
  }
  double divergence = 0.0;
  for (size_t j = 0; j < kept; ++j) {
    if (p[j] == 0.0) continue;
    const double p_j = p[j] / p_total;
    divergence += p_j * std::log(p_j / (q[j] / q_total));
  }
  return divergence;
}

}  // namespace

CalibrationRange CalibrateEntropy(const TensorStatistics& statistics, int num_levels,
                                  bool symmetric) {
  RequireValues(statistics, "entropy");
  const double max_magnitude = statistics.max_magnitude();
  const std::vector<uint64_t> bins = MagnitudeBins(statistics);
  const bool two_sided = statistics.min() < 0.0f && statistics.max() > 0.0f;
  const auto levels = static_cast<size_t>(symmetric || two_sided ? num_levels / 2 : num_levels);
  if (bins.size() <= levels) return RangeFromThreshold(statistics, max_magnitude);

  uint64_t tail = 0;  // count in bins [kept, bins.size())
  size_t best_kept = bins.size();
  double best_divergence = std::numeric_limits<double>::infinity();
  std::vector<double> p;
  std::vector<double> q;
  // From the widest candidate down, so the tail count is a running sum; ties go to the
  // smallest threshold, as an argmin over increasing thresholds would.
  for (size_t kept = bins.size(); kept >= levels; --kept) {
    if (kept < bins.size()) tail += bins[kept];
    const double divergence = ClippingDivergence(bins, kept, tail, levels, p, q);
    if (divergence <= best_divergence) {
      best_divergence = divergence;
      best_kept = kept;
    }
  }
  const double threshold =
      std::min(static_cast<double>(best_kept) * statistics.histogram().bin_width(), max_magnitude);
  return RangeFromThreshold(statistics, threshold);
}

}  // namespace harness::quant
