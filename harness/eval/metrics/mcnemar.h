#pragma once
// McNemar's test: do two models, run on the same samples, differ in accuracy? Only the
// discordant samples carry information: b = A right and B wrong, c = A wrong and B right.
// Under the null hypothesis each discordant sample is a fair coin, b ~ Binomial(b + c, 1/2).

#include <cstdint>
#include <span>

namespace harness::eval {

struct McNemarResult {
  int64_t b = 0;  // A right, B wrong
  int64_t c = 0;  // A wrong, B right
  double p_value = 1.0;
  bool exact = true;  // true: exact binomial; false: chi-square with continuity correction
};

// Up to this many discordant samples the exact binomial test is used: its sum has at most 13
// terms, each C(n, i) / 2^n exactly representable in double. Beyond it the chi-square
// approximation is good (every expected count is above 12.5).
inline constexpr int64_t kMcNemarExactLimit = 25;

// Two-sided p-value. Exact (b + c <= kMcNemarExactLimit):
//   p = min(1, 2 * sum_{i=0}^{min(b,c)} C(b+c, i) / 2^(b+c)),  p = 1 when b + c = 0.
// Otherwise the chi-square statistic with Edwards' continuity correction,
//   x = max(|b - c| - 1, 0)^2 / (b + c),  p = P(chi2_1 > x) = erfc(sqrt(x / 2));
// the max() keeps b = c at p = 1 instead of the small statistic 1 / (b + c).
// Symmetric: swapping A and B gives the same p-value.
McNemarResult McNemarTest(int64_t b, int64_t c);

// Counts b and c from per-sample correctness (nonzero = right), e.g. TopKCorrect's output.
McNemarResult McNemarTest(std::span<const uint8_t> correct_a, std::span<const uint8_t> correct_b);

}  // namespace harness::eval
