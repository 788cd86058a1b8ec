#pragma once
// An independent statement of TFLite's 64-bit requantization (MultiplyByQuantizedMultiplier
// for an int64 accumulator, used by the 16x8 kernels), in 128-bit integers: the Q31 multiplier
// is first rounded to Q15 (half up, and capped at 0x7FFF when that rounding would reach 2^15),
// then acc * q15 * 2^(shift - 15) is rounded once to nearest with ties toward +infinity.

#include <algorithm>
#include <cstdint>

#include "tests/kernels/exact_requantize.h"

namespace kernels::testing {

inline int32_t ExactRequantizeInt64(int64_t acc, int32_t multiplier, int shift) {
  const Int128 q15 =
      multiplier >= 0x7FFF0000 ? 0x7FFF : FloorDiv(Int128{multiplier} + (1 << 15), 1 << 16);
  const Int128 divisor = static_cast<Int128>(1) << (15 - shift);
  return static_cast<int32_t>(FloorDiv(2 * Int128{acc} * q15 + divisor, 2 * divisor));
}

inline int16_t ClampToInt16Range(int32_t value, int32_t lo, int32_t hi) {
  return static_cast<int16_t>(std::clamp(value, lo, hi));
}

}  // namespace kernels::testing
