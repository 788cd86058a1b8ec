// MUL against hand-computed cases (TFLite's tie rule, zero points, saturation, broadcasting)
// and an exhaustive int8 sweep against an independent exact requantization.
#include "kernels/reference/mul.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "tests/kernels/exact_fixed_point.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

TEST(MulFloat, BroadcastsAndClampsToRelu6) {
  const std::vector<float> a = {1, 2, 3, 4};  // [2, 2]
  const std::vector<float> b = {2.5f, -1};    // [2]
  std::vector<float> out(4);
  Mul(MulFloatParams{0.0f, 6.0f}, Shape{2, 2}, a.data(), Shape{2}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(2.5f, 0, 6, 0));
}

TEST(MulQuantizedParams, MultiplierOfOne) {
  const MulQuantizedParams p = MakeMulQuantizedParams(0.5f, 1, 0.5f, 0, 0.25f, 2, -128, 127);
  EXPECT_EQ(p.output_multiplier.multiplier, 1 << 30);  // 1.0 = 0.5 * 2^1
  EXPECT_EQ(p.output_multiplier.shift, 1);
  EXPECT_EQ(p.input1_offset, -1);
  EXPECT_EQ(p.output_offset, 2);
}

TEST(MulInt8, OffsetsAndExactMultiplier) {
  const MulQuantizedParams p = MakeMulQuantizedParams(0.5f, 1, 0.5f, 0, 0.25f, 2, -128, 127);
  const std::vector<int8_t> a = {3, 1, 127};
  const std::vector<int8_t> b = {-4, 100, 127};
  std::vector<int8_t> out(3);
  Mul(p, Shape{3}, a.data(), Shape{3}, b.data(), out.data());
  // (3 - 1) * -4 + 2 = -6; (1 - 1) * 100 + 2 = 2; 126 * 127 saturates.
  EXPECT_THAT(out, ElementsAre(-6, 2, 127));
}

TEST(MulInt8, HalfwayProductsRoundTowardPlusInfinity) {
  // Multiplier 0.5: the products 3 and -3 are 1.5 and -1.5 output steps. The high multiply
  // rounds ties toward +infinity and the shift is 0, so TFLite gives 2 and -1.
  const MulQuantizedParams p = MakeMulQuantizedParams(0.5f, 0, 0.5f, 0, 0.5f, 0, -128, 127);
  const std::vector<int8_t> a = {3, -3};
  const std::vector<int8_t> b = {1, 1};
  std::vector<int8_t> out(2);
  Mul(p, Shape{2}, a.data(), Shape{2}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(2, -1));
}

TEST(MulInt8, BroadcastsScalar) {
  const MulQuantizedParams p = MakeMulQuantizedParams(1, 0, 1, 0, 1, 0, -128, 127);
  const std::vector<int8_t> a = {1, -2, 3, 100};
  const std::vector<int8_t> scalar = {-2};
  std::vector<int8_t> out(4);
  Mul(p, Shape{2, 2}, a.data(), Shape{}, scalar.data(), out.data());
  EXPECT_THAT(out, ElementsAre(-2, 4, -6, -128));
}

TEST(MulInt16, SymmetricProduct) {
  const MulQuantizedParams p =
      MakeMulQuantizedParams(1.0f / 128, 0, 1.0f / 128, 0, 1.0f / 128, 0, -32768, 32767);
  const std::vector<int16_t> a = {256, -32768, 1000};
  const std::vector<int16_t> b = {384, -32768, -64};
  std::vector<int16_t> out(3);
  Mul(p, Shape{3}, a.data(), Shape{3}, b.data(), out.data());
  // 2 * 3 = 6 -> 768; saturated; 7.8125 * -0.5 = -3.90625 -> -500.
  EXPECT_THAT(out, ElementsAre(768, 32767, -500));
}

TEST(MulInt8, ExhaustiveSweepMatchesExactRequantization) {
  const float s1 = 0.0173f, s2 = 0.041f, so = 0.0625f;
  const int32_t z1 = -5, z2 = 17, zo = -20;
  const MulQuantizedParams p = MakeMulQuantizedParams(s1, z1, s2, z2, so, zo, -128, 127);
  std::vector<int8_t> a, b;
  for (int x = -128; x <= 127; ++x) {
    for (int y = -128; y <= 127; ++y) {
      a.push_back(static_cast<int8_t>(x));
      b.push_back(static_cast<int8_t>(y));
    }
  }
  std::vector<int8_t> out(a.size());
  const Shape shape{static_cast<int32_t>(a.size())};
  Mul(p, shape, a.data(), shape, b.data(), out.data());
  for (size_t i = 0; i < a.size(); ++i) {
    const int32_t product = (a[i] - z1) * (b[i] - z2);
    const int32_t expected = std::clamp(
        testing::ExactRequantize(product, p.output_multiplier.multiplier,
                                 p.output_multiplier.shift) + zo, -128, 127);
    ASSERT_EQ(out[i], expected) << "x=" << int{a[i]} << " y=" << int{b[i]};
    const double real = static_cast<double>(s1) * static_cast<double>(s2) * product /
                        static_cast<double>(so);
    ASSERT_LE(std::abs(out[i] - std::clamp(std::round(real) + zo, -128.0, 127.0)), 1.0);
  }
}

}  // namespace
}  // namespace kernels::reference
