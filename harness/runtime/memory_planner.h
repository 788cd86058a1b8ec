#pragma once
// Places activation tensors in one arena, as TFLite-Micro's greedy planner does: tensors are
// taken largest first and each goes to the lowest offset that does not overlap a placed tensor
// whose lifetime overlaps its own. The plan is made once per model.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace harness::runtime {

struct Lifetime {
  size_t bytes = 0;
  int first_step = 0;  // the op that writes it (0 for a graph input)
  int last_step = 0;   // the last op that reads it (the op count for a graph output)
};

struct MemoryPlan {
  std::vector<size_t> offsets;  // one per lifetime, in input order
  size_t total_bytes = 0;
};

// Offsets are multiples of `alignment` (a power of two).
MemoryPlan PlanMemory(const std::vector<Lifetime>& lifetimes, size_t alignment = 16);

}  // namespace harness::runtime
