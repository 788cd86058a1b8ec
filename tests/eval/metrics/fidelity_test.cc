// Top-1 agreement and SQNR against closed forms.
#include "harness/eval/metrics/fidelity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

TEST(Top1Agreement, ComparesArgmaxesNotLabels) {
  // Argmaxes A: 0, 1, 2, 0 (the last by the tie rule). B: 0, 2, 2, 1.
  const std::vector<float> a = {3, 1, 0, 0, 5, 1, 0, 0, 9, 2, 2, 1};
  const std::vector<float> b = {3, 2, 1, 0, 1, 5, 1, 2, 9, 0, 3, 1};
  EXPECT_DOUBLE_EQ(Top1Agreement(a, b, 3), 0.5);
  EXPECT_DOUBLE_EQ(Top1Agreement(a, a, 3), 1.0);
  EXPECT_THROW(Top1Agreement(a, std::vector<float>{1, 2, 3}, 3), Error);
  EXPECT_THROW(Top1Agreement(std::vector<float>{}, std::vector<float>{}, 3), Error);
}

TEST(SqnrDb, MatchesClosedForms) {
  const std::vector<float> reference = {1, 2, 3, 4};  // power 30
  // Noise 0.5^2 + 0.5^2 = 0.5 -> 10 log10(60).
  EXPECT_DOUBLE_EQ(SqnrDb(reference, std::vector<float>{1.5f, 1.5f, 3, 4}),
                   10.0 * std::log10(60.0));
  // x = 1.5 ref: noise = 0.25 * 30 -> ratio 4, 20 log10(2) = 6.0206 dB.
  EXPECT_DOUBLE_EQ(SqnrDb(reference, std::vector<float>{1.5f, 3, 4.5f, 6}), 20.0 * std::log10(2.0));
  // A sign flip is noise of twice the signal: 10 log10(1/4).
  EXPECT_DOUBLE_EQ(SqnrDb(reference, std::vector<float>{-1, -2, -3, -4}), -20.0 * std::log10(2.0));
}

TEST(SqnrDb, IdenticalIsInfinite) {
  const std::vector<float> x = {0.25f, -7, 3};
  EXPECT_EQ(SqnrDb(x, x), std::numeric_limits<double>::infinity());
  const std::vector<float> zeros = {0, 0, 0};
  EXPECT_EQ(SqnrDb(zeros, zeros), std::numeric_limits<double>::infinity());
  EXPECT_EQ(SqnrDb(zeros, x), -std::numeric_limits<double>::infinity());
}

TEST(SqnrDb, RejectsMismatchedOrEmptyInput) {
  EXPECT_THROW(SqnrDb(std::vector<float>{1, 2}, std::vector<float>{1}), Error);
  EXPECT_THROW(SqnrDb(std::vector<float>{}, std::vector<float>{}), Error);
}

}  // namespace
}  // namespace harness::eval
