#pragma once
// Fixed-point arithmetic shared by every integer kernel, with TFLite-Micro's exact rounding:
// a real multiplier becomes a Q31 mantissa and a power-of-two exponent once, at prepare time,
// and every requantization uses the saturating rounding doubling high multiply followed by a
// rounding right shift (double rounding, TFLite's default build).

#include <cstdint>

namespace kernels {

// A real multiplier m is represented as m = multiplier * 2^(shift - 31), multiplier in
// [2^30, 2^31) (or 0). shift > 0 means a left shift.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};

// TFLite's QuantizeMultiplier: frexp, then round the mantissa to Q31 (half away from zero,
// std::round); a mantissa that rounds up to 2^31 is halved and the exponent bumped; exponents
// below -31 flush to zero.
QuantizedMultiplier QuantizeMultiplier(double real_multiplier);

// gemmlowp's SaturatingRoundingDoublingHighMul: (a * b * 2) >> 32 rounded to nearest with ties
// toward +infinity (its nudge and truncating division amount to that); the one overflow case
// (INT32_MIN * INT32_MIN) saturates to INT32_MAX.
int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b);

// gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
int32_t RoundingDivideByPOT(int32_t x, int exponent);

// x * multiplier * 2^(shift - 31) with TFLite's double rounding (left shift first, then the
// high multiply, then the rounding right shift).
int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift);
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m) {
  return MultiplyByQuantizedMultiplier(x, m.multiplier, m.shift);
}

// The variant for a multiplier below one, given as a non-positive left shift.
int32_t MultiplyByQuantizedMultiplierSmallerThanOneExp(int32_t x, int32_t multiplier,
                                                       int left_shift);

// The 64-bit-accumulator variant used by the int16x8 kernels: the multiplier is reduced to
// Q15 and the product rounded once (TFLite's MultiplyByQuantizedMultiplier(int64_t, ...)).
int32_t MultiplyByQuantizedMultiplier(int64_t x, int32_t multiplier, int shift);

}  // namespace kernels
