#include "harness/eval/metrics/significance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "harness/eval/metrics/mcnemar.h"

namespace harness::eval {
namespace {

// A second implementation: the binomial pmf by the ratio recurrence in long double, summed
// directly (no logarithms), for moderate n.
long double DirectLowerTail(int64_t k, int64_t n, long double p) {
  long double term = std::pow(1.0L - p, static_cast<long double>(n));  // P(X = 0)
  long double sum = 0.0L;
  for (int64_t i = 0; i <= k && i <= n; ++i) {
    sum += term;
    term =
        term * static_cast<long double>(n - i) / static_cast<long double>(i + 1) * p / (1.0L - p);
  }
  return sum;
}

TEST(Significance, BinomialTailsClosedForm) {
  EXPECT_NEAR(BinomialLowerTail(0, 20, 0.3), std::pow(0.7, 20), 1e-15);
  EXPECT_NEAR(BinomialLowerTail(2, 10, 0.5), 56.0 / 1024.0, 1e-15);  // (1 + 10 + 45) / 2^10
  EXPECT_NEAR(BinomialUpperTail(8, 10, 0.5), 56.0 / 1024.0, 1e-15);
  EXPECT_NEAR(BinomialUpperTail(20, 20, 0.9), std::pow(0.9, 20), 1e-15);
  EXPECT_EQ(BinomialLowerTail(10, 10, 0.2), 1.0);
  EXPECT_EQ(BinomialLowerTail(-1, 10, 0.2), 0.0);
  EXPECT_EQ(BinomialUpperTail(0, 10, 0.2), 1.0);
  EXPECT_EQ(BinomialUpperTail(11, 10, 0.2), 0.0);
  EXPECT_EQ(BinomialLowerTail(3, 10, 0.0), 1.0);
  EXPECT_EQ(BinomialLowerTail(3, 10, 1.0), 0.0);
}

TEST(Significance, BinomialTailsMatchADirectSum) {
  for (int64_t n : {1, 7, 50, 200}) {
    for (double p : {0.05, 0.5, 0.8, 0.97}) {
      for (int64_t k = 0; k <= n; k += std::max<int64_t>(1, n / 13)) {
        const long double expected = DirectLowerTail(k, n, p);
        EXPECT_NEAR(BinomialLowerTail(k, n, p), static_cast<double>(expected),
                    1e-12 * static_cast<double>(expected) + 1e-300)
            << "k " << k << " n " << n << " p " << p;
      }
    }
  }
}

TEST(Significance, LargeSampleTailsStayFiniteAndSmall) {
  // 10000 samples: P(X <= 4800 | 10000, 0.5) is about 3.2e-5 (normal approximation, z = -4).
  const double p = BinomialLowerTail(4800, 10000, 0.5);
  EXPECT_GT(p, 2e-5);
  EXPECT_LT(p, 4e-5);
  // Ten standard deviations out, about 1e-23: summed in log space, not underflowed to 0.
  EXPECT_GT(BinomialLowerTail(4500, 10000, 0.5), 1e-25);
  EXPECT_LT(BinomialLowerTail(4500, 10000, 0.5), 1e-21);
}

TEST(Significance, ExactMcNemarSmallTables) {
  EXPECT_DOUBLE_EQ(McNemarDropPValue(5, 0), 1.0 / 32.0);
  EXPECT_DOUBLE_EQ(McNemarDropPValue(4, 1), 6.0 / 32.0);
  EXPECT_DOUBLE_EQ(McNemarDropPValue(3, 2), 16.0 / 32.0);
  EXPECT_DOUBLE_EQ(McNemarDropPValue(0, 5), 1.0);
  EXPECT_DOUBLE_EQ(McNemarDropPValue(0, 0), 1.0);
  EXPECT_NEAR(McNemarDropPValue(10, 0), 1.0 / 1024.0, 1e-18);
}

// The one-sided p-values agree with the two-sided exact test of mcnemar.h, another
// implementation: two-sided = min(1, 2 x the smaller one-sided tail).
TEST(Significance, OneSidedMcNemarMatchesTheTwoSidedExactTest) {
  for (int64_t b = 0; b <= kMcNemarExactLimit; ++b) {
    for (int64_t c = 0; b + c <= kMcNemarExactLimit; ++c) {
      const double two_sided = McNemarTest(b, c).p_value;
      const double one_sided = std::min(McNemarDropPValue(b, c), McNemarDropPValue(c, b));
      EXPECT_NEAR(std::min(1.0, 2.0 * one_sided), two_sided, 1e-14) << b << " " << c;
    }
  }
}

TEST(Significance, McNemarFromPerSampleCorrectness) {
  const std::vector<uint8_t> before = {1, 1, 1, 1, 0, 0, 1};
  const std::vector<uint8_t> now = {0, 0, 1, 1, 1, 0, 0};  // b = 3, c = 1
  EXPECT_DOUBLE_EQ(McNemarDropPValue(before, now), McNemarDropPValue(3, 1));
  EXPECT_DOUBLE_EQ(McNemarDropPValue(3, 1), 5.0 / 16.0);
}

// Under "no change" (each discordant sample a fair coin) the exact test rejects at most alpha
// of the time: a property, checked by simulation.
TEST(Significance, McNemarFalseAlarmRateIsAtMostAlpha) {
  std::mt19937_64 engine(7);
  std::bernoulli_distribution coin(0.5);
  std::binomial_distribution<int64_t> discordant(1000, 0.03);
  int rejections = 0;
  constexpr int kTrials = 4000;
  for (int t = 0; t < kTrials; ++t) {
    const int64_t n = discordant(engine);
    int64_t b = 0;
    for (int64_t i = 0; i < n; ++i) b += coin(engine) ? 1 : 0;
    if (McNemarDropPValue(b, n - b) < 0.01) ++rejections;
  }
  EXPECT_LE(rejections, kTrials / 100);
}

TEST(Significance, HolmStepDown) {
  // Sorted: 0.005 x 4 = 0.02, 0.01 x 3 = 0.03, 0.03 x 2 = 0.06, 0.04 x 1 = 0.04 -> 0.06.
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const std::vector<double> adjusted = HolmAdjust(p);
  ASSERT_EQ(adjusted.size(), 4u);
  EXPECT_NEAR(adjusted[0], 0.03, 1e-15);
  EXPECT_NEAR(adjusted[1], 0.06, 1e-15);
  EXPECT_NEAR(adjusted[2], 0.06, 1e-15);
  EXPECT_NEAR(adjusted[3], 0.02, 1e-15);
  EXPECT_EQ(HolmAdjust(std::vector<double>{0.6, 0.7}), (std::vector<double>{1.0, 1.0}));
  EXPECT_TRUE(HolmAdjust(std::vector<double>{}).empty());
}

TEST(Significance, BootstrapDropPValueFromTheStandardError) {
  // 500 resamples each of -1 and +1: standard deviation sqrt(1000 / 999).
  std::vector<double> differences;
  for (int i = 0; i < 500; ++i) {
    differences.push_back(-1.0);
    differences.push_back(1.0);
  }
  const double se = std::sqrt(1000.0 / 999.0);
  EXPECT_NEAR(BootstrapDropPValue(-2.0, differences), NormalLowerTail(-2.0 / se), 1e-15);
  EXPECT_NEAR(NormalLowerTail(-2.3263478740408408), 0.01, 1e-12);
  EXPECT_NEAR(NormalLowerTail(0.0), 0.5, 1e-16);
  // Every resample agrees: certain for a drop, nothing for no change.
  const std::vector<double> constant(10, -0.03);
  EXPECT_EQ(BootstrapDropPValue(-0.03, constant), 0.0);
  EXPECT_EQ(BootstrapDropPValue(0.0, std::vector<double>(10, 0.0)), 1.0);
}

}  // namespace
}  // namespace harness::eval
