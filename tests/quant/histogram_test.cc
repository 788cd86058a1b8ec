// The histogram's layout against hand-computed bins, its growth against bins computed directly
// on the final range, and its merge against order and tree shape (bit-identical results).
#include "harness/quant/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "harness/common/error.h"
#include "tests/quant/sample_data.h"

namespace harness::quant {
namespace {

std::vector<uint64_t> Bins(std::span<const uint64_t> bins) { return {bins.begin(), bins.end()}; }

TEST(Histogram, LaysOutBinsByMagnitudeWithZerosApart) {
  Histogram histogram(8);  // 4 bins per side
  const std::vector<float> values = {0.5f, -0.5f, 0.0f, -0.0f, 1.0f, 1.5f, -1.99f};
  histogram.Add(values);
  // max|x| = 1.99 < 2 = R, w = 0.5.
  EXPECT_EQ(histogram.range(), 2.0);
  EXPECT_EQ(histogram.bin_width(), 0.5);
  EXPECT_EQ(histogram.zero_count(), 2u);
  EXPECT_EQ(Bins(histogram.positive_bins()), (std::vector<uint64_t>{0, 1, 1, 1}));
  EXPECT_EQ(Bins(histogram.negative_bins()), (std::vector<uint64_t>{0, 1, 0, 1}));
  EXPECT_EQ(histogram.total_count(), values.size());

  // 2.0 needs R = 4 (R is strictly above max|x|): w = 1, pairs of bins merge.
  histogram.Add(std::vector<float>{2.0f});
  EXPECT_EQ(histogram.range(), 4.0);
  EXPECT_EQ(Bins(histogram.positive_bins()), (std::vector<uint64_t>{1, 2, 1, 0}));
  EXPECT_EQ(Bins(histogram.negative_bins()), (std::vector<uint64_t>{1, 1, 0, 0}));
}

TEST(Histogram, OnlyZerosHaveNoRange) {
  Histogram histogram(16);
  histogram.Add(std::vector<float>{0.0f, -0.0f, 0.0f});
  EXPECT_FALSE(histogram.has_range());
  EXPECT_EQ(histogram.bin_width(), 0.0);
  EXPECT_EQ(histogram.zero_count(), 3u);
  EXPECT_EQ(histogram.total_count(), 3u);
}

TEST(Histogram, RejectsNonFiniteValuesAndBadBinCounts) {
  Histogram histogram(16);
  EXPECT_THROW(histogram.Add(std::vector<float>{1.0f, std::numeric_limits<float>::quiet_NaN()}),
               Error);
  EXPECT_THROW(histogram.Add(std::vector<float>{std::numeric_limits<float>::infinity()}), Error);
  EXPECT_EQ(histogram.total_count(), 0u);  // a rejected batch leaves no trace
  EXPECT_THROW(Histogram(12), Error);
  EXPECT_THROW(Histogram(1), Error);
  EXPECT_THROW(Histogram(16).Merge(Histogram(32)), Error);
}

// One batch the way calibration sees it (ReLU zeros of both signs, negatives, denormals, the
// largest magnitude anywhere in the span) against a value-by-value count on the same range.
TEST(Histogram, CountsEveryValueOfABatchIntoItsBin) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-3.0f, 3.0f);
  std::vector<float> values(10007);
  for (float& v : values) {
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    v = kind < 4 ? 0.0f : kind == 4 ? -0.0f : kind == 5 ? 1e-40f : uniform(rng);
  }
  values[5003] = -3.5f;  // R = 4
  Histogram histogram(64);
  histogram.Add(values);
  ASSERT_EQ(histogram.range(), 4.0);
  std::vector<uint64_t> positive(32, 0), negative(32, 0);
  uint64_t zeros = 0;
  for (const float v : values) {
    if (v == 0.0f) {
      ++zeros;
      continue;
    }
    const auto bin =
        static_cast<size_t>(std::floor(std::fabs(static_cast<long double>(v)) / 0.125L));
    (v > 0.0f ? positive : negative)[bin] += 1;
  }
  EXPECT_EQ(histogram.zero_count(), zeros);
  EXPECT_EQ(Bins(histogram.positive_bins()), positive);
  EXPECT_EQ(Bins(histogram.negative_bins()), negative);
  // A non-finite value anywhere in a batch rejects the whole batch.
  values[9000] = -std::numeric_limits<float>::infinity();
  const Histogram before = histogram;
  EXPECT_THROW(histogram.Add(values), Error);
  EXPECT_EQ(histogram, before);
}

// Grown step by step from tiny values to large ones, the histogram holds exactly the counts of
// floor(|x| / w) on the final range, computed here in long double from the definition.
TEST(Histogram, GrowingGivesTheCountsOfTheFinalRange) {
  std::vector<float> values = testing::LaplacianSamples(20000, 7, 1e-3);
  // Batches of increasing magnitude force many doublings, including large jumps.
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] *= static_cast<float>(std::pow(10.0, static_cast<double>(i / 4000)));
  }
  Histogram grown(1024);
  for (size_t begin = 0; begin < values.size(); begin += 500) {
    grown.Add(std::span(values).subspan(begin, 500));
  }
  long double max_magnitude = 0;
  for (const float v : values) max_magnitude = std::max(max_magnitude, std::fabs((long double)v));
  int exponent = 0;
  while (std::ldexp(1.0L, exponent) <= max_magnitude) ++exponent;
  while (std::ldexp(1.0L, exponent - 1) > max_magnitude) --exponent;
  ASSERT_EQ(grown.range_exponent(), exponent);
  const long double width = std::ldexp(1.0L, exponent) / 512;
  std::vector<uint64_t> positive(512, 0);
  std::vector<uint64_t> negative(512, 0);
  for (const float v : values) {
    const auto bin = static_cast<size_t>(std::floor(std::fabs((long double)v) / width));
    (v > 0 ? positive : negative).at(bin) += 1;
  }
  EXPECT_EQ(Bins(grown.positive_bins()), positive);
  EXPECT_EQ(Bins(grown.negative_bins()), negative);
}

TEST(Histogram, MergeIsIndependentOfOrderAndTreeShape) {
  std::vector<float> values = testing::LaplacianSamples(60000, 11);
  for (size_t i = 0; i < values.size(); i += 997) values[i] *= 1000.0f;  // rare outliers
  for (size_t i = 0; i < values.size(); i += 3) values[i] = 0.0f;
  Histogram serial;
  serial.Add(values);

  // Chunks of random sizes, each its own histogram.
  std::mt19937_64 engine(3);
  std::vector<Histogram> chunks;
  for (size_t begin = 0; begin < values.size();) {
    const size_t size = std::min<size_t>(1 + engine() % 3000, values.size() - begin);
    chunks.emplace_back().Add(std::span(values).subspan(begin, size));
    begin += size;
  }
  // Left fold in shuffled order.
  std::vector<size_t> order(chunks.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), engine);
  Histogram folded;
  for (const size_t i : order) folded.Merge(chunks[i]);
  // Pairwise tree in reverse order.
  std::vector<Histogram> level(chunks.rbegin(), chunks.rend());
  while (level.size() > 1) {
    std::vector<Histogram> next;
    for (size_t i = 0; i + 1 < level.size(); i += 2) {
      next.push_back(level[i + 1]);
      next.back().Merge(level[i]);
    }
    if (level.size() % 2 == 1) next.push_back(level.back());
    level = std::move(next);
  }
  EXPECT_TRUE(folded == serial);
  EXPECT_TRUE(level.front() == serial);
  EXPECT_EQ(serial.total_count(), values.size());
}

}  // namespace
}  // namespace harness::quant
