#pragma once
// Per-channel output multipliers and shifts from real scales, as a kernel's Prepare computes
// them, for tests that state a case by its scales.
#include <cstdint>
#include <vector>

#include "kernels/fixed_point.h"

namespace kernels::testing {

struct Requant {
  std::vector<int32_t> multipliers;
  std::vector<int32_t> shifts;
};

inline Requant FromScales(const std::vector<double>& scales) {
  Requant r;
  for (double s : scales) {
    const QuantizedMultiplier m = QuantizeMultiplier(s);
    r.multipliers.push_back(m.multiplier);
    r.shifts.push_back(m.shift);
  }
  return r;
}

}  // namespace kernels::testing
