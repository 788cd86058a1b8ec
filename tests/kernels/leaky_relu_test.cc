// LEAKY_RELU against hand-computed values (rounding ties, saturation, alpha > 1 and < 0,
// negative zero points) and, over every int8 and a sweep of int16 inputs, against the exact
// 128-bit statement of TFLite's requantization.
#include "kernels/reference/leaky_relu.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "tests/kernels/exact_requantize.h"

namespace kernels::reference {
namespace {

using testing::ExactRequantize;

template <class T>
std::vector<T> Apply(const LeakyReluParams& p, const std::vector<T>& in) {
  std::vector<T> out(in.size());
  LeakyReluQuantized(p, static_cast<int64_t>(in.size()), in.data(), out.data());
  return out;
}

TEST(LeakyRelu, FloatKeepsPositivesAndScalesTheRest) {
  const std::vector<float> in = {-2.0f, -0.5f, 0.0f, 3.0f};
  std::vector<float> out(in.size());
  LeakyReluFloat(0.2f, 4, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{-2.0f * 0.2f, -0.5f * 0.2f, 0.0f, 3.0f}));
  // alpha > 1 and alpha < 0: no max(x, alpha x) shortcut.
  LeakyReluFloat(2.0f, 4, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{-4.0f, -1.0f, 0.0f, 3.0f}));
  LeakyReluFloat(-0.5f, 4, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{1.0f, 0.25f, 0.0f, 3.0f}));
  // -0 is not > 0: it takes the alpha branch and stays a zero.
  const float negative_zero = -0.0f;
  float result = 1.0f;
  LeakyReluFloat(0.5f, 1, &negative_zero, &result);
  EXPECT_EQ(result, 0.0f);
}

TEST(LeakyRelu, MultipliersAreTflmsFloatExpressions) {
  // s_in / s_out = 0.25 -> 2^30 * 2^(-1 - 31); s_in * alpha / s_out = 0.125 -> shift -2.
  const LeakyReluParams p = PrepareLeakyRelu(1.0f, 0, 4.0f, 0, 0.5f);
  EXPECT_EQ(p.identity.multiplier, 1 << 30);
  EXPECT_EQ(p.identity.shift, -1);
  EXPECT_EQ(p.alpha.multiplier, 1 << 30);
  EXPECT_EQ(p.alpha.shift, -2);
  // A negative alpha gives a negative multiplier, as TFLite-Micro's QuantizeMultiplier does.
  const LeakyReluParams n = PrepareLeakyRelu(1.0f, 0, 1.0f, 0, -0.5f);
  EXPECT_EQ(n.alpha.multiplier, -(1 << 30));
  EXPECT_EQ(n.alpha.shift, 0);
}

// x * 0.25 (x >= 0) and x * 0.125 (x < 0), each rounded twice: the high multiply rounds x / 2
// half up, the right shift rounds half away from zero.
TEST(LeakyRelu, Int8RoundingTies) {
  const LeakyReluParams p = PrepareLeakyRelu(1.0f, 0, 4.0f, 0, 0.5f);
  // 1 -> 1/2 rounds to 1, then 1/2 rounds to 1: 0.25 gives 1 (double rounding).
  // 2 -> 1 -> 1 (0.5); 3 -> 2 -> 1 (0.75); 5 -> 3 -> 2 (1.25); 6 -> 3 -> 2 (1.5).
  EXPECT_EQ(Apply<int8_t>(p, {0, 1, 2, 3, 5, 6}), (std::vector<int8_t>{0, 1, 1, 1, 2, 2}));
  // -1 -> 0 -> 0; -2 -> -1 -> 0 (-0.25); -3 -> -1 -> 0; -4 -> -2 -> -1 (-0.5: away from 0);
  // -6 -> -3 -> -1 (-0.75); -7 -> -3 -> -1 (-0.875).
  EXPECT_EQ(Apply<int8_t>(p, {-1, -2, -3, -4, -6, -7}), (std::vector<int8_t>{0, 0, 0, -1, -1, -1}));
}

TEST(LeakyRelu, Int8NegativeZeroPointsAlphaAboveOneAndSaturation) {
  // s_in 0.5, zp -3; s_out 0.25, zp -5; alpha 1.5: identity x2, alpha x3, both exact.
  const LeakyReluParams p = PrepareLeakyRelu(0.5f, -3, 0.25f, -5, 1.5f);
  // 10 -> x 13 -> 26 - 5 = 21; -3 -> x 0 -> -5; -10 -> x -7 -> -21 - 5 = -26;
  // 60 -> x 63 -> 126 - 5 = 121; 70 -> x 73 -> 146 - 5 saturates to 127;
  // -128 -> x -125 -> -375 - 5 saturates to -128.
  EXPECT_EQ(Apply<int8_t>(p, {10, -3, -10, 60, 70, -128}),
            (std::vector<int8_t>{21, -5, -26, 121, 127, -128}));
}

TEST(LeakyRelu, Int16NegativeAlphaAndSaturation) {
  // 16x8: zero points 0; s_in 1, s_out 0.5, alpha -0.25: identity x2, alpha x(-0.5).
  const LeakyReluParams p = PrepareLeakyRelu(1.0f, 0, 0.5f, 0, -0.25f);
  // 100 -> 200; 20000 -> 40000 saturates to 32767; -100 -> 50; -32768 -> 16384;
  // -3 -> 1.5 rounds half up to 2 in the high multiply.
  EXPECT_EQ(Apply<int16_t>(p, {100, 20000, -100, -32768, -3}),
            (std::vector<int16_t>{200, 32767, 50, 16384, 2}));
}

template <class T>
void ExpectMatchesExact(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp, float alpha,
                        const std::vector<T>& in) {
  const LeakyReluParams p = PrepareLeakyRelu(in_scale, in_zp, out_scale, out_zp, alpha);
  const std::vector<T> out = Apply<T>(p, in);
  for (size_t i = 0; i < in.size(); ++i) {
    const int64_t x = int64_t{in[i]} - in_zp;
    const QuantizedMultiplier& m = x >= 0 ? p.identity : p.alpha;
    const int64_t y = out_zp + int64_t{ExactRequantize(x, m.multiplier, m.shift)};
    const int64_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
    ASSERT_EQ(int64_t{out[i]}, std::clamp(y, lo, hi)) << "input " << int64_t{in[i]};
  }
}

TEST(LeakyRelu, EveryInt8InputMatchesExactRequantization) {
  std::vector<int8_t> all;
  for (int v = -128; v <= 127; ++v) all.push_back(static_cast<int8_t>(v));
  ExpectMatchesExact<int8_t>(0.0371f, -7, 0.0289f, 11, 0.1f, all);
  ExpectMatchesExact<int8_t>(0.02f, 5, 0.05f, -100, 3.7f, all);
  ExpectMatchesExact<int8_t>(0.5f, 0, 0.003f, -128, 0.01f, all);  // saturating
  ExpectMatchesExact<int8_t>(0.1f, 0, 0.1f, 0, -0.3f, all);
}

TEST(LeakyRelu, Int16SweepMatchesExactRequantization) {
  std::vector<int16_t> sweep;
  for (int v = -32768; v <= 32767; v += 97) sweep.push_back(static_cast<int16_t>(v));
  sweep.push_back(32767);
  ExpectMatchesExact<int16_t>(3.05e-4f, 0, 2.7e-4f, 0, 0.3f, sweep);
  ExpectMatchesExact<int16_t>(1.0e-3f, 0, 4.0e-4f, 0, 1.9f, sweep);
}

}  // namespace
}  // namespace kernels::reference
