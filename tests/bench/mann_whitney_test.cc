// The Mann-Whitney U test against hand-computed values (exact distribution without ties, the
// normal approximation with tie and continuity corrections with ties) and against a brute-force
// permutation test that enumerates every split of the pooled values.
#include "harness/bench/mann_whitney.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "harness/common/error.h"

namespace harness::bench {
namespace {

TEST(MannWhitneyU, CompleteSeparationOfThreeAndThree) {
  // U = 0; one of the C(6, 3) = 20 equally likely splits is that extreme on each side.
  const std::vector<double> x = {1, 2, 3}, y = {4, 5, 6};
  const MannWhitneyResult r = MannWhitneyU(x, y);
  EXPECT_EQ(r.method, PValueMethod::kExact);
  EXPECT_DOUBLE_EQ(r.u, 0.0);
  EXPECT_NEAR(r.p_value, 2.0 / 20.0, 1e-15);
  EXPECT_DOUBLE_EQ(MannWhitneyU(y, x).u, 9.0);
}

TEST(MannWhitneyU, CompleteSeparationOfFourAndFour) {
  const std::vector<double> x = {5, 6, 7, 8}, y = {1, 2, 3, 4};
  const MannWhitneyResult r = MannWhitneyU(x, y);
  EXPECT_DOUBLE_EQ(r.u, 16.0);
  EXPECT_NEAR(r.p_value, 2.0 / 70.0, 1e-15);  // C(8, 4) = 70
}

TEST(MannWhitneyU, InterleavedSamples) {
  // x beats 2 and (2, 4): U = 3. For m = n = 3 the counts of U = 0..9 are
  // 1 1 2 3 3 3 3 2 1 1 (of 20), so P(U <= 3) = 7 / 20 and p = 0.7.
  const std::vector<double> x = {1, 3, 5}, y = {2, 4, 6};
  const MannWhitneyResult r = MannWhitneyU(x, y);
  EXPECT_DOUBLE_EQ(r.u, 3.0);
  EXPECT_NEAR(r.p_value, 0.7, 1e-15);
}

TEST(MannWhitneyU, TiesUseTheCorrectedNormalApproximation) {
  // Pooled 1 2 2 2 3 4, midranks 1 3 3 3 5 6: R_x = 7, U_x = 7 - 6 = 1, U_y = 8. Tie term
  // 3^3 - 3 = 24; variance = 9/12 (7 - 24/30) = 4.65; z = (8 - 4.5 - 0.5) / sqrt(4.65);
  // p = erfc(z / sqrt 2) = 0.16415972847851523.
  const std::vector<double> x = {1, 2, 2}, y = {2, 3, 4};
  const MannWhitneyResult r = MannWhitneyU(x, y);
  EXPECT_EQ(r.method, PValueMethod::kNormal);
  EXPECT_DOUBLE_EQ(r.u, 1.0);
  EXPECT_NEAR(r.p_value, 0.16415972847851523, 1e-12);
}

TEST(MannWhitneyU, IdenticalSamplesGiveOne) {
  const std::vector<double> x = {1.5, 2.5, 3.5, 4.5};
  EXPECT_DOUBLE_EQ(MannWhitneyU(x, x).p_value, 1.0);
  const std::vector<double> constant = {7, 7, 7};
  EXPECT_DOUBLE_EQ(MannWhitneyU(constant, constant).p_value, 1.0);
}

TEST(MannWhitneyU, EmptySampleIsAnError) {
  const std::vector<double> x = {1.0}, none;
  EXPECT_THROW(MannWhitneyU(x, none), Error);
}

// Two-sided permutation p-value: the share of all C(m + n, m) splits of the pooled values whose
// U lies at least as far from m n / 2 as the observed one.
double BruteForcePValue(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> pooled = x;
  pooled.insert(pooled.end(), y.begin(), y.end());
  const size_t total = pooled.size(), m = x.size();
  auto u_of = [&](uint32_t mask) {
    double u = 0.0;
    for (size_t i = 0; i < total; ++i) {
      if (!(mask >> i & 1u)) continue;
      for (size_t j = 0; j < total; ++j) {
        if (mask >> j & 1u) continue;
        u += pooled[i] > pooled[j] ? 1.0 : pooled[i] == pooled[j] ? 0.5 : 0.0;
      }
    }
    return u;
  };
  const double centre = static_cast<double>(m * y.size()) / 2.0;
  const double observed = std::abs(u_of((1u << m) - 1u) - centre);
  size_t extreme = 0, splits = 0;
  for (uint32_t mask = 0; mask < (1u << total); ++mask) {
    if (static_cast<size_t>(__builtin_popcount(mask)) != m) continue;
    ++splits;
    if (std::abs(u_of(mask) - centre) >= observed - 1e-9) ++extreme;
  }
  return static_cast<double>(extreme) / static_cast<double>(splits);
}

TEST(MannWhitneyU, ExactPValueEqualsPermutationEnumeration) {
  std::mt19937_64 engine(42);
  std::uniform_real_distribution<double> time(100.0, 200.0);
  for (size_t m = 1; m <= 6; ++m) {
    for (size_t n = 1; n <= 6; ++n) {
      std::vector<double> x(m), y(n);
      for (double& v : x) v = time(engine);
      for (double& v : y) v = time(engine) + 20.0;  // a shift, so some p values are small
      const MannWhitneyResult r = MannWhitneyU(x, y);
      ASSERT_EQ(r.method, PValueMethod::kExact);
      EXPECT_NEAR(r.p_value, BruteForcePValue(x, y), 1e-12) << m << " vs " << n;
    }
  }
}

TEST(MannWhitneyU, NormalApproximationIsCloseToPermutationWithTies) {
  // Ten values with ties: the corrected normal approximation within 0.03 of the permutation
  // p-value (it is an approximation, so closeness, not equality).
  const std::vector<double> x = {1, 2, 2, 3, 5}, y = {3, 4, 4, 6, 6};
  const MannWhitneyResult r = MannWhitneyU(x, y);
  ASSERT_EQ(r.method, PValueMethod::kNormal);
  EXPECT_NEAR(r.p_value, BruteForcePValue(x, y), 0.03);
}

TEST(MannWhitneyU, SymmetricInItsArguments) {
  const std::vector<double> x = {3.1, 4.7, 2.2, 9.0, 5.5}, y = {6.1, 7.3, 8.8, 1.4};
  const MannWhitneyResult a = MannWhitneyU(x, y), b = MannWhitneyU(y, x);
  EXPECT_DOUBLE_EQ(a.p_value, b.p_value);
  EXPECT_DOUBLE_EQ(a.u + b.u, 20.0);
}

TEST(MannWhitneyU, LargestExactSizeStaysAProbability) {
  // 40 against 40 fully separated: p = 2 / C(80, 40), tiny but positive.
  std::vector<double> x(kMaxExactSize), y(kMaxExactSize);
  for (size_t i = 0; i < kMaxExactSize; ++i) {
    x[i] = static_cast<double>(i);
    y[i] = static_cast<double>(i + kMaxExactSize);
  }
  const MannWhitneyResult r = MannWhitneyU(x, y);
  EXPECT_EQ(r.method, PValueMethod::kExact);
  EXPECT_GT(r.p_value, 0.0);
  EXPECT_NEAR(r.p_value / (2.0 / 1.0750720873333618e23), 1.0, 1e-9);  // 2 / C(80, 40)
}

}  // namespace
}  // namespace harness::bench
