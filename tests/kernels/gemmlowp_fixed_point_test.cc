// Checks gemmlowp's fixed-point transcendentals against the C++ library in double precision
// over dense sweeps, their exact values at 0, and the helpers (saturating shifts, reciprocal,
// input radius) against hand-computed values.
#include "kernels/gemmlowp_fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace kernels::gemmlowp {
namespace {

constexpr double kQ31 = 2147483648.0;  // 2^31

template <int B>
double ToDouble(FixedPoint<B> x) {
  return std::ldexp(static_cast<double>(x.raw()), -FixedPoint<B>::kFractionalBits);
}

// gemmlowp's exp is a 4th-order Taylor polynomial around -1/8 on quarter intervals: its
// truncation error is bounded by (1/8)^5 / 120 ~ 2.5e-7 (reached at the interval ends, where
// it measures ~1.1e-7). 3e-7 is that bound plus rounding: far tighter than any algorithmic
// slip would give, and far below an int16 output step (1.5e-5).
constexpr double kTolerance = 3e-7;

TEST(GemmlowpFixedPoint, ExactValuesAtZero) {
  EXPECT_EQ(ExpOnNegativeValues(FixedPoint<5>::Zero()).raw(), kRawMax);
  EXPECT_EQ(ExpOnNegativeValues(FixedPoint<0>::Zero()).raw(), kRawMax);
  EXPECT_EQ(Logistic(FixedPoint<4>::Zero()).raw(), 1 << 30);
  EXPECT_EQ(Tanh(FixedPoint<4>::Zero()).raw(), 0);
}

TEST(GemmlowpFixedPoint, ExpOnNegativeValuesMatchesStdExp) {
  // F5 as the softmax uses it: a = -32 .. 0 in steps of 2^-12 (plus odd offsets).
  for (int64_t raw = -(int64_t{32} << 26); raw <= 0; raw += (int64_t{1} << 14) + 7) {
    const auto a = FixedPoint<5>::FromRaw(static_cast<int32_t>(raw));
    const double expected = std::exp(ToDouble(a));
    ASSERT_NEAR(ToDouble(ExpOnNegativeValues(a)), expected, kTolerance) << ToDouble(a);
  }
  // F0: a in [-1, 0).
  for (int64_t raw = -(int64_t{1} << 31); raw < 0; raw += (int64_t{1} << 18) + 3) {
    const auto a = FixedPoint<0>::FromRaw(static_cast<int32_t>(raw));
    ASSERT_NEAR(ToDouble(ExpOnNegativeValues(a)), std::exp(ToDouble(a)), kTolerance);
  }
}

TEST(GemmlowpFixedPoint, ExpOnNegativeValuesBelowMinus32IsZero) {
  // F6 can hold -64; gemmlowp's clamp returns exactly 0 below -32.
  EXPECT_EQ(ExpOnNegativeValues(FixedPoint<6>::FromRaw(-(33 << 25))).raw(), 0);
}

TEST(GemmlowpFixedPoint, LogisticMatchesClosedForm) {
  for (int64_t raw = -(int64_t{1} << 31); raw < (int64_t{1} << 31); raw += (int64_t{1} << 16) + 5) {
    const auto a = FixedPoint<4>::FromRaw(static_cast<int32_t>(raw));
    const double x = ToDouble(a);
    ASSERT_NEAR(ToDouble(Logistic(a)), 1.0 / (1.0 + std::exp(-x)), kTolerance) << x;
  }
}

TEST(GemmlowpFixedPoint, TanhMatchesStdTanh) {
  for (int64_t raw = -(int64_t{1} << 31); raw < (int64_t{1} << 31); raw += (int64_t{1} << 16) + 5) {
    const auto a = FixedPoint<4>::FromRaw(static_cast<int32_t>(raw));
    const double x = ToDouble(a);
    ASSERT_NEAR(ToDouble(Tanh(a)), std::tanh(x), kTolerance) << x;
  }
}

TEST(GemmlowpFixedPoint, OneOverOnePlusXMatchesDivision) {
  for (int64_t raw = 0; raw < (int64_t{1} << 31); raw += (int64_t{1} << 15) + 1) {
    const auto a = FixedPoint<0>::FromRaw(static_cast<int32_t>(raw));
    const double x = ToDouble(a);
    ASSERT_NEAR(ToDouble(OneOverOnePlusXForXIn01(a)), 1.0 / (1.0 + x), kTolerance) << x;
    ASSERT_NEAR(ToDouble(OneMinusXOverOnePlusXForXIn01(a)), (1.0 - x) / (1.0 + x), kTolerance);
  }
}

TEST(GemmlowpFixedPoint, SaturatingRoundingMultiplyByPOT) {
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<2>(1000), 4000);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<2>(-1000), -4000);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<2>(1 << 29), kRawMax);  // 2^31 saturates
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<2>((1 << 29) - 1), ((1 << 29) - 1) * 4);  // fits
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<2>(-(1 << 29)), kRawMin);
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<-2>(6), 2);    // 1.5 -> 2
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<-2>(-6), -2);  // -1.5 -> -2 (away from zero)
  EXPECT_EQ(SaturatingRoundingMultiplyByPOT<0>(-7), -7);
}

TEST(GemmlowpFixedPoint, RoundingHalfSumRoundsAwayFromZero) {
  EXPECT_EQ(RoundingHalfSum(1, 2), 2);
  EXPECT_EQ(RoundingHalfSum(-1, -2), -2);
  EXPECT_EQ(RoundingHalfSum(kRawMax, kRawMax), kRawMax);
  EXPECT_EQ(RoundingHalfSum(kRawMin, kRawMin), kRawMin);
}

TEST(GemmlowpFixedPoint, CountLeadingZeros) {
  EXPECT_EQ(CountLeadingZeros(0u), 32);
  EXPECT_EQ(CountLeadingZeros(1u), 31);
  EXPECT_EQ(CountLeadingZeros(0x80000000u), 0);
  EXPECT_EQ(CountLeadingZeros(0x00200000u), 10);
}

TEST(GemmlowpFixedPoint, GetReciprocalOfF12Sums) {
  // x in F12 (raw / 2^19); 1/x = mantissa / 2^31 / 2^num_bits_over_unit.
  for (int32_t raw = 1 << 19; raw < (1 << 30); raw += 9973 * 37) {
    int num_bits_over_unit = 0;
    const int32_t mantissa = GetReciprocal(raw, 12, &num_bits_over_unit);
    const double x = std::ldexp(static_cast<double>(raw), -19);
    const double reciprocal = mantissa / kQ31 / std::ldexp(1.0, num_bits_over_unit);
    ASSERT_NEAR(reciprocal * x, 1.0, 1e-8) << raw;
  }
  int bits = 0;
  GetReciprocal(1 << 21, 12, &bits);  // 4.0 -> 1/4 = ~1.0 / 2^2
  EXPECT_EQ(bits, 2);
}

TEST(GemmlowpFixedPoint, CalculateInputRadius) {
  // (2^5 - 1) * 2^26 / 2^20 = 31 * 64.
  EXPECT_EQ(CalculateInputRadius(5, 20), 1984);
  // (2^4 - 1) * 2^27 / 2^22 = 15 * 32.
  EXPECT_EQ(CalculateInputRadius(4, 22, 31), 480);
  // floor: 15 * 2^27 / 2^30 = 1.875.
  EXPECT_EQ(CalculateInputRadius(4, 30, 31), 1);
}

}  // namespace
}  // namespace kernels::gemmlowp
