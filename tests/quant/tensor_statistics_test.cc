// Statistics against exact min/max/count of the raw samples, and the determinism promise: the
// same samples, split and merged any way (including on threads), give identical statistics.
#include "harness/quant/tensor_statistics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include "tests/quant/sample_data.h"

namespace harness::quant {
namespace {

TEST(TensorStatistics, TracksExactMinMaxAndCount) {
  const std::vector<float> values = testing::GaussianSamples(10000, 5, 0.3, 2.0);
  TensorStatistics statistics;
  statistics.Add(std::span(values).first(4000));
  statistics.Add(std::span(values).subspan(4000));
  EXPECT_EQ(statistics.count(), values.size());
  EXPECT_EQ(statistics.min(), *std::min_element(values.begin(), values.end()));
  EXPECT_EQ(statistics.max(), *std::max_element(values.begin(), values.end()));
  EXPECT_EQ(statistics.max_magnitude(),
            std::max(std::fabs(statistics.min()), std::fabs(statistics.max())));
  EXPECT_EQ(statistics.histogram().total_count(), values.size());
}

TEST(TensorStatistics, EmptyUntilTheFirstValue) {
  TensorStatistics statistics;
  EXPECT_TRUE(statistics.empty());
  statistics.Add(std::vector<float>{});
  EXPECT_TRUE(statistics.empty());
  statistics.Add(std::vector<float>{-2.5f});
  EXPECT_EQ(statistics.min(), -2.5f);
  EXPECT_EQ(statistics.max(), -2.5f);
  TensorStatistics merged;
  merged.Merge(statistics);
  EXPECT_TRUE(merged == statistics);
}

TEST(TensorStatistics, NegativeZeroDoesNotDependOnArrivalOrder) {
  TensorStatistics first;
  first.Add(std::vector<float>{-0.0f, 0.0f});
  TensorStatistics second;
  second.Add(std::vector<float>{0.0f, -0.0f});
  EXPECT_TRUE(first == second);
  EXPECT_FALSE(std::signbit(first.min()));
}

// Per-sample statistics collected on four threads, each taking an interleaved share, merged
// per thread, then across threads in two different orders: all equal to a serial pass.
TEST(TensorStatistics, ParallelCollectionIsBitIdenticalToSerial) {
  constexpr size_t kSamples = 64;
  constexpr size_t kSampleSize = 3000;
  std::vector<std::vector<float>> samples;
  for (size_t i = 0; i < kSamples; ++i) {
    samples.push_back(testing::LaplacianSamples(kSampleSize, 100 + i, 0.1 * (1.0 + i % 7)));
    for (float& v : samples.back()) v = std::max(v, 0.0f);  // ReLU: many exact zeros
  }
  TensorStatistics serial;
  for (const auto& sample : samples) serial.Add(sample);

  constexpr size_t kThreads = 4;
  std::vector<TensorStatistics> per_thread(kThreads);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = kSamples - 1 - t; i < kSamples; i -= kThreads) {  // backwards, interleaved
        TensorStatistics one;
        one.Add(samples[i]);
        per_thread[t].Merge(one);
        if (i < kThreads) break;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  TensorStatistics forward;
  for (const auto& part : per_thread) forward.Merge(part);
  TensorStatistics backward;
  for (size_t t = kThreads; t-- > 0;) backward.Merge(per_thread[t]);
  EXPECT_EQ(forward.count(), serial.count());
  EXPECT_TRUE(forward == serial);
  EXPECT_TRUE(backward == serial);
}

}  // namespace
}  // namespace harness::quant
