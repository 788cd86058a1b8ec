#pragma once
// An independent statement of TFLite's requantization for the kernel tests: the exact product
// acc * multiplier * 2^(shift - 31) rounded the way MultiplyByQuantizedMultiplier rounds it,
// computed with 128-bit integers instead of the fixed-point primitives.

#include <algorithm>
#include <cstdint>

namespace kernels::testing {

__extension__ using Int128 = __int128;

inline Int128 FloorDiv(Int128 a, Int128 b) {
  Int128 q = a / b;
  if (a % b != 0 && (a < 0) != (b < 0)) q -= 1;
  return q;
}

// TFLite rounds twice: the high multiply rounds acc * 2^left * multiplier / 2^31 to nearest
// with ties toward +infinity (and saturates), then the right shift rounds to nearest with ties
// away from zero. `acc << left` must fit in int32 (the tests keep it so).
inline int32_t ExactRequantize(int64_t acc, int32_t multiplier, int shift) {
  const int left = std::max(shift, 0);
  const int right = std::max(-shift, 0);
  const Int128 shifted = static_cast<Int128>(acc) * (static_cast<Int128>(1) << left);
  Int128 high =
      FloorDiv(shifted * multiplier + (static_cast<Int128>(1) << 30), static_cast<Int128>(1) << 31);
  high = std::min<Int128>(high, INT32_MAX);
  if (right == 0) return static_cast<int32_t>(high);
  const Int128 divisor = static_cast<Int128>(1) << right;
  const Int128 half = divisor / 2;
  const Int128 rounded = high >= 0 ? (high + half) / divisor : -((-high + half) / divisor);
  return static_cast<int32_t>(rounded);
}

// The requantized accumulator plus the output zero point, clamped to [lo, hi].
inline int8_t ExactOutput(int64_t acc, int32_t multiplier, int shift, int32_t output_zero_point,
                          int32_t lo, int32_t hi) {
  const int32_t value = ExactRequantize(acc, multiplier, shift) + output_zero_point;
  return static_cast<int8_t>(std::clamp(value, lo, hi));
}

}  // namespace kernels::testing
