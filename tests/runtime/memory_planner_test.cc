// The greedy planner against properties (no live overlap, alignment), closed forms (a chain
// needs the two largest neighbours), and a brute-force lower bound (peak live bytes).
#include "harness/runtime/memory_planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace harness::runtime {
namespace {

void ExpectNoLiveOverlap(const std::vector<Lifetime>& lifetimes, const MemoryPlan& plan,
                         size_t alignment) {
  ASSERT_EQ(plan.offsets.size(), lifetimes.size());
  for (size_t i = 0; i < lifetimes.size(); ++i) {
    EXPECT_EQ(plan.offsets[i] % alignment, 0u);
    EXPECT_LE(plan.offsets[i] + lifetimes[i].bytes, plan.total_bytes);
    for (size_t j = i + 1; j < lifetimes.size(); ++j) {
      const bool live_together = lifetimes[i].first_step <= lifetimes[j].last_step &&
                                 lifetimes[j].first_step <= lifetimes[i].last_step;
      const bool memory_overlaps = plan.offsets[i] < plan.offsets[j] + lifetimes[j].bytes &&
                                   plan.offsets[j] < plan.offsets[i] + lifetimes[i].bytes;
      EXPECT_FALSE(live_together && memory_overlaps && lifetimes[i].bytes && lifetimes[j].bytes)
          << "tensors " << i << " and " << j;
    }
  }
}

TEST(MemoryPlanner, ChainReusesMemory) {
  // t0 -> op0 -> t1 -> op1 -> t2 -> op2 -> t3: only neighbours are live together.
  const std::vector<Lifetime> chain = {{100, 0, 0}, {300, 0, 1}, {200, 1, 2}, {50, 2, 3}};
  const MemoryPlan plan = PlanMemory(chain, 1);
  ExpectNoLiveOverlap(chain, plan, 1);
  EXPECT_EQ(plan.total_bytes, 500u);  // t1 and t2 together are the peak
}

TEST(MemoryPlanner, DisjointLifetimesShareOffsetZero) {
  const std::vector<Lifetime> separate = {{64, 0, 0}, {64, 1, 1}, {64, 2, 2}};
  const MemoryPlan plan = PlanMemory(separate, 16);
  EXPECT_EQ(plan.total_bytes, 64u);
  for (size_t offset : plan.offsets) EXPECT_EQ(offset, 0u);
}

TEST(MemoryPlanner, RandomPlansAreValidAndAtLeastPeakLive) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 300; ++trial) {
    const int steps = 1 + static_cast<int>(rng() % 12);
    std::vector<Lifetime> lifetimes(1 + rng() % 20);
    for (auto& l : lifetimes) {
      l.bytes = 1 + rng() % 1000;
      l.first_step = static_cast<int>(rng() % static_cast<unsigned>(steps));
      l.last_step = l.first_step + static_cast<int>(rng() % static_cast<unsigned>(steps - l.first_step + 1));
    }
    const MemoryPlan plan = PlanMemory(lifetimes, 16);
    ExpectNoLiveOverlap(lifetimes, plan, 16);
    size_t peak = 0;
    for (int s = 0; s <= steps; ++s) {
      size_t live = 0;
      for (const auto& l : lifetimes)
        if (l.first_step <= s && s <= l.last_step) live += l.bytes;
      peak = std::max(peak, live);
    }
    EXPECT_GE(plan.total_bytes, peak);
    // Deterministic: the same input gives the same plan.
    EXPECT_EQ(PlanMemory(lifetimes, 16).offsets, plan.offsets);
  }
}

}  // namespace
}  // namespace harness::runtime
