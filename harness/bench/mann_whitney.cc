#include "harness/bench/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "harness/common/error.h"

namespace harness::bench {
namespace {

struct Ranked {
  double u = 0.0;           // U of the first sample, ties counting one half
  double tie_term = 0.0;    // sum over groups of tied values of t^3 - t
};

// Midranks (a group of tied values shares the mean of the ranks it spans), then
// U1 = R1 - m (m + 1) / 2 with R1 the first sample's rank sum.
Ranked RankSamples(std::span<const double> x, std::span<const double> y) {
  const size_t total = x.size() + y.size();
  std::vector<std::pair<double, bool>> pooled;  // value, belongs to x
  pooled.reserve(total);
  for (double v : x) pooled.emplace_back(v, true);
  for (double v : y) pooled.emplace_back(v, false);
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Ranked ranked;
  double rank_sum_x = 0.0;
  for (size_t begin = 0; begin < total;) {
    size_t end = begin + 1;
    while (end < total && pooled[end].first == pooled[begin].first) ++end;
    // Ranks begin+1 .. end (1-based) share their mean.
    const double midrank = 0.5 * static_cast<double>(begin + 1 + end);
    for (size_t k = begin; k < end; ++k)
      if (pooled[k].second) rank_sum_x += midrank;
    const auto t = static_cast<double>(end - begin);
    ranked.tie_term += t * t * t - t;
    begin = end;
  }
  const auto m = static_cast<double>(x.size());
  ranked.u = rank_sum_x - m * (m + 1.0) / 2.0;
  return ranked;
}

// P(U <= u) under the null hypothesis for samples of m and n distinct values. The largest of
// the m + n values belongs to the first sample with probability m / (m + n) and then beats all
// n values of the second, so p(m, n, u) = m/(m+n) p(m-1, n, u-n) + n/(m+n) p(m, n-1, u).
// Probabilities rather than counts: C(80, 40) would overflow 64-bit integers.
double ExactCdf(size_t m, size_t n, size_t u) {
  // previous[j] = distribution of U for sizes (i - 1, j), current[j] for (i, j): each row
  // needs only the one before it.
  std::vector<std::vector<double>> previous(n + 1, std::vector<double>{1.0});
  std::vector<std::vector<double>> current(n + 1);
  for (size_t i = 1; i <= m; ++i) {
    current[0] = {1.0};
    for (size_t j = 1; j <= n; ++j) {
      std::vector<double>& dist = current[j];
      dist.assign(i * j + 1, 0.0);
      const double share_x = static_cast<double>(i) / static_cast<double>(i + j);
      const std::vector<double>& x_largest = previous[j];
      const std::vector<double>& y_largest = current[j - 1];
      for (size_t k = 0; k < x_largest.size(); ++k) dist[k + j] += share_x * x_largest[k];
      for (size_t k = 0; k < y_largest.size(); ++k) dist[k] += (1.0 - share_x) * y_largest[k];
    }
    std::swap(previous, current);
  }
  const std::vector<double>& dist = previous[n];
  const size_t last = std::min(u, dist.size() - 1);
  return std::accumulate(dist.begin(), dist.begin() + static_cast<std::ptrdiff_t>(last + 1), 0.0);
}

}  // namespace

MannWhitneyResult MannWhitneyU(std::span<const double> x, std::span<const double> y) {
  if (x.empty() || y.empty()) throw Error("Mann-Whitney U test", "a sample is empty");
  const Ranked ranked = RankSamples(x, y);
  const auto m = static_cast<double>(x.size());
  const auto n = static_cast<double>(y.size());
  MannWhitneyResult result;
  result.u = ranked.u;
  const double u_small = std::min(ranked.u, m * n - ranked.u);

  if (ranked.tie_term == 0.0 && x.size() <= kMaxExactSize && y.size() <= kMaxExactSize) {
    // The null distribution is symmetric about m n / 2, so the two tails beyond the observed
    // distance from the centre each hold P(U <= min(U1, U2)). Without ties U is an integer.
    result.method = PValueMethod::kExact;
    const auto u = static_cast<size_t>(std::lround(u_small));
    result.p_value = std::min(1.0, 2.0 * ExactCdf(x.size(), y.size(), u));
    return result;
  }

  result.method = PValueMethod::kNormal;
  const double total = m + n;
  const double variance =
      m * n / 12.0 * ((total + 1.0) - ranked.tie_term / (total * (total - 1.0)));
  if (variance <= 0.0) {  // every value equal: no evidence of any difference
    result.p_value = 1.0;
    return result;
  }
  // Continuity correction: U moves in steps of at least 1/2, the normal curve does not.
  const double z = (m * n - u_small - m * n / 2.0 - 0.5) / std::sqrt(variance);
  // Two-sided: 2 P(Z >= z) = erfc(z / sqrt(2)).
  result.p_value = std::clamp(std::erfc(z / std::sqrt(2.0)), 0.0, 1.0);
  return result;
}

}  // namespace harness::bench
