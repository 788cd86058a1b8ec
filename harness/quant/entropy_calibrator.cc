// TensorRT's entropy calibrator: the clipping threshold whose quantized distribution loses the
// least information (KL divergence) about the clipped one. The algorithm (from NVIDIA's
// "8-bit Inference with TensorRT") is described in calibrators.h.
//
// Speed without changing the answer. Evaluating KL(P||Q) directly costs one log per kept bin
// per candidate, O(bins^2) logs per tensor. Instead every candidate is first scored with an
// algebraically equal form that needs one log per group (levels << bins), from prefix sums
// computed once; that score differs from the direct evaluation by rounding only. Only the
// candidates whose score is within a rounding margin of the least are then evaluated with the
// direct expression, in the original order, so the chosen threshold is the one the direct
// evaluation of every candidate would choose, bit for bit.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "harness/quant/calibrator_support.h"
#include "harness/quant/calibrators.h"

namespace harness::quant {
namespace {

// Mass given to Q's empty bins so that KL(P||Q) stays finite where P > 0.
constexpr double kEmptyBinMass = 1e-4;

// Both the grouped score and the direct evaluation are within about 1e-10 of the exact KL
// divergence: every term is a count-weighted log bounded by ~100 in magnitude (counts < 2^53,
// Q's smallest mass 1e-4), summed over at most a few thousand bins with relative error 2^-53
// each. A candidate whose score exceeds the least score by more than twice this margin cannot
// have the least direct divergence; the margin is 100 times the bound, and a wider margin only
// costs more direct evaluations.
constexpr double kScoreMargin = 1e-8;

// KL(P||Q) for the candidate that keeps the first `kept` magnitude bins, with Q quantized to
// `levels` groups. `bins` holds every nonempty magnitude bin; `tail` is the count beyond `kept`.
// This is the definition of the result: its expression and summation order decide ties.
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

// Prefix sums over the magnitude bins, shared by every candidate's grouped score.
struct BinPrefixes {
  std::vector<uint64_t> count;            // count[k]: sum of bins[0, k)
  std::vector<uint64_t> nonzero;          // nonzero[k]: nonempty bins among bins[0, k)
  std::vector<double> count_log_count;    // sum of c log c over bins[0, k), empty bins 0
};

BinPrefixes PrefixesOf(const std::vector<uint64_t>& bins) {
  BinPrefixes prefixes;
  prefixes.count.assign(bins.size() + 1, 0);
  prefixes.nonzero.assign(bins.size() + 1, 0);
  prefixes.count_log_count.assign(bins.size() + 1, 0.0);
  for (size_t j = 0; j < bins.size(); ++j) {
    const auto c = static_cast<double>(bins[j]);
    prefixes.count[j + 1] = prefixes.count[j] + bins[j];
    prefixes.nonzero[j + 1] = prefixes.nonzero[j] + (bins[j] != 0 ? 1 : 0);
    prefixes.count_log_count[j + 1] =
        prefixes.count_log_count[j] + (bins[j] != 0 ? c * std::log(c) : 0.0);
  }
  return prefixes;
}

// ClippingDivergence up to rounding, in O(levels): with T the total count (P's mass, tail
// included), Q_total Q's mass and c_j, q_j the unnormalized bins,
//   KL = sum_j (c_j / T) log((c_j / T) / (q_j / Q_total))
//      = (1/T) sum_j c_j (log c_j - log q_j) + log Q_total - log T,
// where q_j is its group's share for every nonempty bin but the last, which also holds the
// tail. Q_total = (T - tail) + (empty kept bins) * kEmptyBinMass, since each group's shares add
// up to its mass.
double GroupedScore(const std::vector<uint64_t>& bins, const BinPrefixes& prefixes, size_t kept,
                    size_t levels) {
  const uint64_t total = prefixes.count.back();
  const uint64_t tail = total - prefixes.count[kept];
  const size_t group_size = kept / levels;
  double sum = prefixes.count_log_count[kept - 1];  // every kept bin but the last
  double last_log_share = 0.0;
  for (size_t group = 0; group < levels; ++group) {
    const size_t begin = group * group_size;
    const size_t end = group + 1 == levels ? kept : begin + group_size;
    const uint64_t nonzero = prefixes.nonzero[end] - prefixes.nonzero[begin];
    if (nonzero == 0) continue;
    const auto mass = static_cast<double>(prefixes.count[end] - prefixes.count[begin]);
    last_log_share = std::log(mass / static_cast<double>(nonzero));
    sum -= mass * last_log_share;
  }
  // The last bin: its own count was charged to the last group above; it holds the tail too.
  const uint64_t last = bins[kept - 1];
  const double last_log_q = last != 0 ? last_log_share : std::log(kEmptyBinMass);
  if (last != 0) sum += static_cast<double>(last) * last_log_share;
  if (last + tail != 0) {
    const auto c = static_cast<double>(last + tail);
    sum += c * (std::log(c) - last_log_q);
  }
  const auto empty = static_cast<double>(kept - prefixes.nonzero[kept]);
  const double q_total = static_cast<double>(total - tail) + empty * kEmptyBinMass;
  const auto t = static_cast<double>(total);
  return sum / t + std::log(q_total) - std::log(t);
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

  const BinPrefixes prefixes = PrefixesOf(bins);
  std::vector<double> scores(bins.size() + 1, std::numeric_limits<double>::infinity());
  double least_score = std::numeric_limits<double>::infinity();
  for (size_t kept = levels; kept <= bins.size(); ++kept) {
    scores[kept] = GroupedScore(bins, prefixes, kept, levels);
    least_score = std::min(least_score, scores[kept]);
  }

  size_t best_kept = bins.size();
  double best_divergence = std::numeric_limits<double>::infinity();
  std::vector<double> p;
  std::vector<double> q;
  // From the widest candidate down; ties go to the smallest threshold, as an argmin over
  // increasing thresholds would. Skipped candidates have a larger direct divergence than the
  // least (see kScoreMargin), so skipping them changes neither the least nor its tie-break.
  for (size_t kept = bins.size(); kept >= levels; --kept) {
    if (!(scores[kept] <= least_score + 2.0 * kScoreMargin)) continue;
    const uint64_t tail = prefixes.count.back() - prefixes.count[kept];
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
