#pragma once
// An independent, deliberately plain version of TFLite's requantization for kernel tests:
// exact 128-bit products and explicit rounding rules instead of gemmlowp's nudges and masks.

#include <cstdint>
#include <limits>

namespace kernels::testing {

__extension__ using Int128 = __int128;

// floor(n / d) for d > 0.
inline Int128 FloorDiv(Int128 n, Int128 d) {
  Int128 q = n / d;
  if (n % d != 0 && n < 0) q -= 1;
  return q;
}

// a * b / 2^31 rounded half up (toward +infinity), saturated: gemmlowp's
// SaturatingRoundingDoublingHighMul.
inline int32_t ExactDoublingHighMul(int32_t a, int32_t b) {
  const Int128 divisor = static_cast<Int128>(1) << 31;
  Int128 q = FloorDiv(static_cast<Int128>(a) * b + divisor / 2, divisor);
  if (q > std::numeric_limits<int32_t>::max()) q = std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(q);
}

// x / 2^e rounded half away from zero.
inline int32_t ExactDivideByPOT(int32_t x, int e) {
  if (e == 0) return x;
  const int64_t d = int64_t{1} << e;
  const int64_t magnitude = x < 0 ? -static_cast<int64_t>(x) : x;
  const int64_t q = (magnitude + d / 2) / d;
  return static_cast<int32_t>(x < 0 ? -q : q);
}

// TFLite's MultiplyByQuantizedMultiplier with double rounding.
inline int32_t ExactRequantize(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  return ExactDivideByPOT(ExactDoublingHighMul(static_cast<int32_t>(x * (int64_t{1} << left)),
                                               multiplier),
                          right);
}

}  // namespace kernels::testing
