// Paired bootstrap: coverage and width on a synthetic case with a known difference,
// determinism, the degenerate identical case, and the index draw.
#include "harness/eval/metrics/bootstrap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "harness/common/error.h"
#include "harness/eval/metrics/roc_auc.h"

namespace harness::eval {
namespace {

// Accuracy of a correctness vector over a resample.
IndexMetric AccuracyOf(const std::vector<uint8_t>& correct) {
  return [&correct](std::span<const size_t> indices) {
    size_t hits = 0;
    for (size_t i : indices) hits += correct[i];
    return static_cast<double>(hits) / static_cast<double>(indices.size());
  };
}

// Independent Bernoulli outcomes with success probability p, from a fixed engine.
std::vector<uint8_t> Bernoulli(std::mt19937_64& engine, size_t n, double p) {
  std::vector<uint8_t> out(n);
  for (uint8_t& x : out) x = static_cast<double>(engine() >> 11) * 0x1.0p-53 < p ? 1 : 0;
  return out;
}

TEST(BootstrapDifference, CoversTheTrueDifferenceWithTheExpectedWidth) {
  // A right with probability 0.8, B with 0.7, independently, on 1000 samples: the true
  // difference is 0.1 and the standard error of the observed difference is
  // sqrt((0.8 * 0.2 + 0.7 * 0.3) / 1000) = 0.01924, so a 95 % interval is about
  // 2 * 1.96 * 0.01924 = 0.0754 wide.
  std::mt19937_64 engine(2024);
  const std::vector<uint8_t> a = Bernoulli(engine, 1000, 0.8);
  const std::vector<uint8_t> b = Bernoulli(engine, 1000, 0.7);
  const ConfidenceInterval ci =
      BootstrapDifference(1000, AccuracyOf(a), AccuracyOf(b), {.resamples = 2000, .seed = 1});
  EXPECT_LT(ci.low, 0.1);
  EXPECT_GT(ci.high, 0.1);
  EXPECT_NEAR(ci.high - ci.low, 0.0754, 0.0754 * 0.15);
  EXPECT_EQ(ci.resamples_used, 2000u);
  // The observed difference lies inside too.
  std::vector<size_t> all(1000);
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const double observed = AccuracyOf(a)(all) - AccuracyOf(b)(all);
  EXPECT_LT(ci.low, observed);
  EXPECT_GT(ci.high, observed);
}

TEST(BootstrapDifference, SameSeedSameInterval) {
  std::mt19937_64 engine(7);
  const std::vector<uint8_t> a = Bernoulli(engine, 300, 0.6);
  const std::vector<uint8_t> b = Bernoulli(engine, 300, 0.5);
  const ConfidenceInterval first =
      BootstrapDifference(300, AccuracyOf(a), AccuracyOf(b), {.seed = 42});
  const ConfidenceInterval again =
      BootstrapDifference(300, AccuracyOf(a), AccuracyOf(b), {.seed = 42});
  EXPECT_EQ(first.low, again.low);
  EXPECT_EQ(first.high, again.high);
  const ConfidenceInterval other =
      BootstrapDifference(300, AccuracyOf(a), AccuracyOf(b), {.seed = 43});
  EXPECT_TRUE(other.low != first.low || other.high != first.high);
}

TEST(BootstrapDifference, IdenticalResultsGiveZeroInterval) {
  // AUC of the same scores for A and B: every resample's difference is exactly 0. A resample
  // without one of the two classes has no AUC and is skipped (NaN).
  std::vector<float> scores(40);
  std::vector<int32_t> labels(40);
  for (size_t i = 0; i < scores.size(); ++i) {
    scores[i] = static_cast<float>((i * 7) % 13);
    labels[i] = static_cast<int32_t>(i % 5 == 0);
  }
  const IndexMetric auc = [&](std::span<const size_t> indices) {
    std::vector<float> s;
    std::vector<int32_t> l;
    for (size_t i : indices) s.push_back(scores[i]), l.push_back(labels[i]);
    try {
      return RocAuc(s, l);
    } catch (const Error&) {
      return std::numeric_limits<double>::quiet_NaN();
    }
  };
  const ConfidenceInterval ci = BootstrapDifference(40, auc, auc, {.resamples = 200, .seed = 3});
  EXPECT_EQ(ci.low, 0.0);
  EXPECT_EQ(ci.high, 0.0);
  EXPECT_GT(ci.resamples_used, 0u);
}

TEST(BootstrapDifference, PercentilesInterpolateBetweenOrderStatistics) {
  // A metric that ignores the resample and returns 0, 1, 2, ... in call order: the 5 sorted
  // differences are 0..4, so the 2.5 % point is at 0.025 * 4 = 0.1 and the 97.5 % at 3.9.
  int calls = 0;
  const IndexMetric counter = [&](std::span<const size_t>) { return static_cast<double>(calls++); };
  const IndexMetric zero = [](std::span<const size_t>) { return 0.0; };
  const ConfidenceInterval ci = BootstrapDifference(10, counter, zero, {.resamples = 5});
  // (1 - 0.95) / 2 is 0.025 plus 2e-17 in double, hence NEAR.
  EXPECT_NEAR(ci.low, 0.1, 1e-12);
  EXPECT_NEAR(ci.high, 3.9, 1e-12);
}

TEST(BootstrapDifference, RejectsBadInput) {
  const IndexMetric zero = [](std::span<const size_t>) { return 0.0; };
  const IndexMetric undefined = [](std::span<const size_t>) {
    return std::numeric_limits<double>::quiet_NaN();
  };
  EXPECT_THROW(BootstrapDifference(0, zero, zero), Error);
  EXPECT_THROW(BootstrapDifference(5, zero, zero, {.resamples = 0}), Error);
  EXPECT_THROW(BootstrapDifference(5, zero, zero, {.confidence = 1.0}), Error);
  EXPECT_THROW(BootstrapDifference(5, undefined, zero), Error);
}

TEST(UniformIndex, StaysInRangeAndIsUniform) {
  std::mt19937_64 engine(99);
  std::vector<int> counts(7, 0);
  const int draws = 70000;
  for (int i = 0; i < draws; ++i) ++counts[UniformIndex(engine, 7)];
  // Each count is Binomial(70000, 1/7): mean 10000, sd 92.6; 6 sd is far outside chance.
  for (int c : counts) EXPECT_NEAR(c, 10000, 556);
  EXPECT_EQ(UniformIndex(engine, 1), 0u);
}

TEST(UniformIndex, IsTheEngineOutputModuloTheBoundForSmallBounds) {
  // For bound 1000 only draws below 2^64 mod 1000 = 616 are rejected (probability ~3e-17), so
  // the index is the engine's next output modulo 1000: fixed by the standard on every platform.
  std::mt19937_64 engine(5);
  std::mt19937_64 copy(5);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(UniformIndex(engine, 1000), copy() % 1000);
}

}  // namespace
}  // namespace harness::eval
