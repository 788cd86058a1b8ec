#include "harness/runtime/memory_planner.h"

#include <algorithm>
#include <numeric>

namespace harness::runtime {
namespace {

size_t AlignUp(size_t value, size_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

bool LifetimesOverlap(const Lifetime& a, const Lifetime& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

}  // namespace

MemoryPlan PlanMemory(const std::vector<Lifetime>& lifetimes, size_t alignment) {
  MemoryPlan plan;
  plan.offsets.assign(lifetimes.size(), 0);
  std::vector<size_t> order(lifetimes.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Largest first; ties by first use then index, so the plan never depends on sort stability.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (lifetimes[a].bytes != lifetimes[b].bytes) return lifetimes[a].bytes > lifetimes[b].bytes;
    if (lifetimes[a].first_step != lifetimes[b].first_step)
      return lifetimes[a].first_step < lifetimes[b].first_step;
    return a < b;
  });

  struct Placed {
    size_t offset, end;
    size_t index;
  };
  std::vector<Placed> placed;  // kept sorted by offset
  for (size_t index : order) {
    const Lifetime& current = lifetimes[index];
    size_t candidate = 0;
    for (const Placed& p : placed) {
      if (!LifetimesOverlap(current, lifetimes[p.index])) continue;
      if (candidate + current.bytes <= p.offset) break;  // fits in the gap before p
      candidate = std::max(candidate, AlignUp(p.end, alignment));
    }
    plan.offsets[index] = candidate;
    plan.total_bytes = std::max(plan.total_bytes, candidate + current.bytes);
    const Placed entry{candidate, candidate + current.bytes, index};
    placed.insert(std::upper_bound(placed.begin(), placed.end(), entry,
                                   [](const Placed& a, const Placed& b) { return a.offset < b.offset; }),
                  entry);
  }
  plan.total_bytes = AlignUp(plan.total_bytes, alignment);
  return plan;
}

}  // namespace harness::runtime
