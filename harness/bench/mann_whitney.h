#pragma once
// The two-sided Mann-Whitney U test (Wilcoxon rank-sum test): do two samples of benchmark
// repetition times come from the same distribution? Rank-based, so one outlier repetition (a
// context switch, a cold cache) moves the result far less than it moves a mean or a t-test.
// Google Benchmark's tools/compare.py runs the same test (scipy.stats.mannwhitneyu).
//
// Which distribution gives the p-value:
// - exact: when no value occurs in both samples or twice in one (no ties) and both samples
//   hold at most kMaxExactSize values, the exact null distribution of U, counted by the
//   classic recursion over the last-ranked value. Benchmark times are doubles, so ties are rare
//   and small nightly samples (9 to 30 repetitions) get an exact p.
// - normal: otherwise, the normal approximation with the tie correction of the variance and a
//   continuity correction of 0.5, as scipy's "asymptotic" method.

#include <cstddef>
#include <span>

namespace harness::bench {

inline constexpr size_t kMaxExactSize = 40;

enum class PValueMethod { kExact, kNormal };

struct MannWhitneyResult {
  // U of the first sample: pairs (x, y) with x > y, plus half the pairs with x == y.
  double u = 0.0;
  double p_value = 1.0;  // two-sided, in [0, 1]
  PValueMethod method = PValueMethod::kExact;
};

// Both samples must be non-empty (harness::Error otherwise) and finite.
MannWhitneyResult MannWhitneyU(std::span<const double> x, std::span<const double> y);

}  // namespace harness::bench
