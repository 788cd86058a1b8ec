// McNemar's test against binomial sums and chi-square tails derived by hand.
#include "harness/eval/metrics/mcnemar.h"

#include <gtest/gtest.h>

#include <vector>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

TEST(McNemarTest, ExactBinomialHandValues) {
  // b = 10, c = 2, n = 12: P(X <= 2) for X ~ Bin(12, 1/2) is (C(12,0) + C(12,1) + C(12,2)) /
  // 2^12 = (1 + 12 + 66) / 4096 = 79/4096; two-sided p = 158/4096 = 0.03857421875 (~0.0386).
  const McNemarResult r = McNemarTest(10, 2);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.p_value, 158.0 / 4096.0);
  // b = 0, c = 6: 2 * 1/64.
  EXPECT_EQ(McNemarTest(0, 6).p_value, 2.0 / 64.0);
  // b = 0, c = 1: 2 * 1/2 = 1.
  EXPECT_EQ(McNemarTest(0, 1).p_value, 1.0);
  // b = c = 5: 2 * 638/1024 > 1, clamped to 1.
  EXPECT_EQ(McNemarTest(5, 5).p_value, 1.0);
  // No discordant pairs: no evidence at all.
  EXPECT_EQ(McNemarTest(0, 0).p_value, 1.0);
  // n = 25, the last exact case: b = 5, c = 20. C(25, i) for i = 0..5:
  // 1 + 25 + 300 + 2300 + 12650 + 53130 = 68406; p = 2 * 68406 / 2^25.
  const McNemarResult last = McNemarTest(5, 20);
  EXPECT_TRUE(last.exact);
  EXPECT_EQ(last.p_value, 2.0 * 68406.0 / 33554432.0);
}

TEST(McNemarTest, ChiSquareWithContinuityCorrectionBeyondTheExactLimit) {
  // b = 30, c = 10: x = (20 - 1)^2 / 40 = 9.025. P(chi2_1 > 9.025) = 2 (1 - Phi(sqrt(9.025))),
  // with Phi integrated numerically (Simpson, 200000 intervals): 0.00266311925914.
  const McNemarResult r = McNemarTest(30, 10);
  EXPECT_FALSE(r.exact);
  EXPECT_NEAR(r.p_value, 0.00266311925914, 1e-12);
  // b = c beyond the limit: the corrected statistic is clamped to 0 -> p = 1.
  EXPECT_EQ(McNemarTest(20, 20).p_value, 1.0);
  EXPECT_FALSE(McNemarTest(13, 13).exact);  // n = 26
}

TEST(McNemarTest, IsSymmetric) {
  for (int64_t b = 0; b < 40; ++b) {
    for (int64_t c = 0; c < 40; ++c) {
      EXPECT_EQ(McNemarTest(b, c).p_value, McNemarTest(c, b).p_value) << b << " " << c;
    }
  }
}

TEST(McNemarTest, CountsDiscordantSamples) {
  // 10 samples A right B wrong, 2 the other way, 5 both right, 3 both wrong.
  std::vector<uint8_t> a;
  std::vector<uint8_t> b;
  for (int i = 0; i < 10; ++i) a.push_back(1), b.push_back(0);
  for (int i = 0; i < 2; ++i) a.push_back(0), b.push_back(1);
  for (int i = 0; i < 5; ++i) a.push_back(1), b.push_back(1);
  for (int i = 0; i < 3; ++i) a.push_back(0), b.push_back(0);
  const McNemarResult r = McNemarTest(a, b);
  EXPECT_EQ(r.b, 10);
  EXPECT_EQ(r.c, 2);
  EXPECT_EQ(r.p_value, 158.0 / 4096.0);
  EXPECT_THROW(McNemarTest(a, std::vector<uint8_t>{1}), Error);
  EXPECT_THROW(McNemarTest(-1, 2), Error);
}

}  // namespace
}  // namespace harness::eval
