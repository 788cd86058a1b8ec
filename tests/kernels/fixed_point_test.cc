// Checks the fixed-point primitives against exact wide-integer arithmetic (__int128) and
// long double, over edge cases and a deterministic pseudo-random sweep.
#include "kernels/fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace kernels {
namespace {

__extension__ using Int128 = __int128;  // exact products of two int32 values

// a * b * 2 / 2^32 rounded to nearest with ties toward +infinity (what gemmlowp's nudge and
// truncating division amount to), computed exactly.
int32_t ExactDoublingHighMul(int32_t a, int32_t b) {
  const Int128 product = static_cast<Int128>(a) * b;  // the doubling and the >> 32 cancel to >> 31
  const Int128 divisor = static_cast<Int128>(1) << 31;
  const Int128 half = divisor / 2;
  // floor((p + half) / divisor), then saturate.
  const Int128 shifted = product + half;
  Int128 q = shifted / divisor;
  if (shifted % divisor != 0 && shifted < 0) q -= 1;
  if (q > std::numeric_limits<int32_t>::max()) q = std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(q);
}

// x / 2^e rounded half away from zero, exactly.
int32_t ExactRoundingDivide(int32_t x, int e) {
  const int64_t d = int64_t{1} << e;
  const int64_t half = d / 2;
  const int64_t v = x;
  if (e == 0) return x;
  return static_cast<int32_t>(v >= 0 ? (v + half) / d : -((-v + half) / d));
}

TEST(FixedPoint, DoublingHighMulMatchesWideArithmetic) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int32_t> any(std::numeric_limits<int32_t>::min(),
                                             std::numeric_limits<int32_t>::max());
  const int32_t edges[] = {0, 1, -1, 2, -2, 1 << 30, -(1 << 30), std::numeric_limits<int32_t>::max(),
                           std::numeric_limits<int32_t>::min(), 12345, -12345};
  for (int32_t a : edges)
    for (int32_t b : edges) EXPECT_EQ(SaturatingRoundingDoublingHighMul(a, b), ExactDoublingHighMul(a, b)) << a << " " << b;
  for (int i = 0; i < 200000; ++i) {
    const int32_t a = any(rng), b = any(rng);
    ASSERT_EQ(SaturatingRoundingDoublingHighMul(a, b), ExactDoublingHighMul(a, b)) << a << " " << b;
  }
}

TEST(FixedPoint, RoundingDivideByPOTRoundsTiesAwayFromZero) {
  EXPECT_EQ(RoundingDivideByPOT(5, 1), 3);    // 2.5 -> 3
  EXPECT_EQ(RoundingDivideByPOT(-5, 1), -3);  // -2.5 -> -3
  EXPECT_EQ(RoundingDivideByPOT(7, 2), 2);    // 1.75 -> 2
  EXPECT_EQ(RoundingDivideByPOT(-6, 2), -2);  // -1.5 -> -2
  EXPECT_EQ(RoundingDivideByPOT(-5, 2), -1);  // -1.25 -> -1
  std::mt19937 rng(11);
  std::uniform_int_distribution<int32_t> any(std::numeric_limits<int32_t>::min() / 2,
                                             std::numeric_limits<int32_t>::max() / 2);
  for (int i = 0; i < 200000; ++i) {
    const int32_t x = any(rng);
    const int e = i % 31;
    ASSERT_EQ(RoundingDivideByPOT(x, e), ExactRoundingDivide(x, e)) << x << " " << e;
  }
}

TEST(FixedPoint, QuantizeMultiplierRepresentsTheRealValue) {
  for (double m : {1.0, 0.5, 0.25, 0.0009765625, 0.7071067811865476, 3.3, 1e-9, 123.456}) {
    const QuantizedMultiplier q = QuantizeMultiplier(m);
    EXPECT_GE(q.multiplier, 1 << 30);
    const double back = q.multiplier * std::ldexp(1.0, q.shift - 31);
    EXPECT_NEAR(back, m, m * 1e-9) << m;
  }
  EXPECT_EQ(QuantizeMultiplier(0.0).multiplier, 0);
  // A mantissa that rounds up to 2^31 is halved and the exponent bumped.
  const QuantizedMultiplier q = QuantizeMultiplier(std::nextafter(1.0, 0.0));
  EXPECT_EQ(q.multiplier, 1 << 30);
  EXPECT_EQ(q.shift, 1);
  // Tiny multipliers flush to zero.
  EXPECT_EQ(QuantizeMultiplier(1e-12).multiplier, 0);
}

TEST(FixedPoint, MultiplyByQuantizedMultiplierIsCloseToRealProduct) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> scale(1e-4, 4.0);
  std::uniform_int_distribution<int32_t> acc(-(1 << 20), 1 << 20);
  for (int i = 0; i < 100000; ++i) {
    const double m = scale(rng);
    const int32_t x = acc(rng);
    const int32_t got = MultiplyByQuantizedMultiplier(x, QuantizeMultiplier(m));
    // Two roundings of at most half a unit each, plus the mantissa's relative error.
    EXPECT_LE(std::fabs(got - x * m), 1.0 + std::fabs(x * m) * 1e-8) << x << " " << m;
  }
}

TEST(FixedPoint, Int64VariantRoundsOnceWithReducedMultiplier) {
  // Closed form: multiplier 2^30 (0.5) at shift 0 is 2^14 in Q15; x * 0.5 rounded half up.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int64_t{5}, 1 << 30, 0), 3);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int64_t{-5}, 1 << 30, 0), -2);  // -2.5 rounds up
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int64_t{1000000}, 1 << 30, 2), 2000000);
}

}  // namespace
}  // namespace kernels
