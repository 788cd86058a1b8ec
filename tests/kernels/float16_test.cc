// Exhaustive checks of the half <-> float conversion: every one of the 65536 encodings, known
// encodings, and round-to-nearest-even at ties computed from the encoding's neighbours.
#include "kernels/float16.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace kernels {
namespace {

bool IsNaNEncoding(uint16_t h) { return (h & 0x7C00u) == 0x7C00u && (h & 0x3FFu) != 0; }

TEST(Float16, RoundTripIsIdentityForEveryNonNaN) {
  for (uint32_t bits = 0; bits <= 0xFFFFu; ++bits) {
    const auto h = static_cast<uint16_t>(bits);
    const float f = HalfToFloat(h);
    if (IsNaNEncoding(h)) {
      ASSERT_TRUE(std::isnan(f)) << bits;
      ASSERT_TRUE(IsNaNEncoding(FloatToHalf(f))) << bits;
      continue;
    }
    ASSERT_EQ(FloatToHalf(f), h) << std::hex << bits;
  }
}

TEST(Float16, ValuesMatchTheFormula) {
  // (-1)^s * 2^(e-15) * (1 + m/1024), subnormals 2^-14 * m/1024, computed in double.
  for (uint32_t bits = 0; bits < 0x7C00u; ++bits) {
    const uint32_t e = bits >> 10, m = bits & 0x3FFu;
    const double expected = e == 0 ? std::ldexp(m / 1024.0, -14)
                                   : std::ldexp(1.0 + m / 1024.0, static_cast<int>(e) - 15);
    ASSERT_EQ(static_cast<double>(HalfToFloat(static_cast<uint16_t>(bits))), expected) << bits;
    ASSERT_EQ(static_cast<double>(HalfToFloat(static_cast<uint16_t>(bits | 0x8000u))), -expected);
  }
}

TEST(Float16, KnownEncodings) {
  EXPECT_EQ(FloatToHalf(1.0f), 0x3C00);
  EXPECT_EQ(FloatToHalf(-2.0f), 0xC000);
  EXPECT_EQ(FloatToHalf(65504.0f), 0x7BFF);
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -14)), 0x0400);  // smallest normal
  EXPECT_EQ(FloatToHalf(0.0f), 0x0000);
  EXPECT_EQ(FloatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::infinity()), 0x7C00);
  EXPECT_EQ(FloatToHalf(-std::numeric_limits<float>::infinity()), 0xFC00);
  EXPECT_TRUE(IsNaNEncoding(FloatToHalf(std::numeric_limits<float>::quiet_NaN())));
  EXPECT_EQ(HalfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(HalfToFloat(0x7C00), std::numeric_limits<float>::infinity());
}

TEST(Float16, OverflowAndUnderflow) {
  EXPECT_EQ(FloatToHalf(65519.0f), 0x7BFF);  // below the 65520 midpoint
  EXPECT_EQ(FloatToHalf(65520.0f), 0x7C00);  // tie between 65504 (odd) and 65536: to infinity
  EXPECT_EQ(FloatToHalf(1e10f), 0x7C00);
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -25)), 0x0000);  // tie between 0 and 2^-24: to even 0
  EXPECT_EQ(FloatToHalf(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(FloatToHalf(1e-30f), 0x0000);
  EXPECT_EQ(FloatToHalf(-1e-30f), 0x8000);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
}

TEST(Float16, TiesRoundToEvenEverywhere) {
  // For each pair of adjacent finite positive halves, the exact midpoint (a float) rounds to
  // the even encoding, and nudging it either way picks the nearer one.
  for (uint32_t bits = 0; bits < 0x7BFFu; ++bits) {
    const auto lo = static_cast<uint16_t>(bits), hi = static_cast<uint16_t>(bits + 1);
    const float a = HalfToFloat(lo), b = HalfToFloat(hi);
    const float mid = a + (b - a) / 2;  // exact: halves have 11 significant bits
    const uint16_t even = (lo & 1u) == 0 ? lo : hi;
    ASSERT_EQ(FloatToHalf(mid), even) << bits;
    ASSERT_EQ(FloatToHalf(-mid), static_cast<uint16_t>(even | 0x8000u)) << bits;
    ASSERT_EQ(FloatToHalf(std::nextafter(mid, 0.0f)), lo) << bits;
    ASSERT_EQ(FloatToHalf(std::nextafter(mid, 1e9f)), hi) << bits;
  }
}

}  // namespace
}  // namespace kernels
