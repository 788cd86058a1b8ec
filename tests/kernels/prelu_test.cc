// PRELU reference kernel: float by hand with a per-channel alpha; int8 and int16 (int8 alpha)
// against exact rational arithmetic for every int8 input and alpha value, with TFLite's
// double-rounding requantization (tests/kernels/exact_requantize.h); ties, saturation and
// negative alpha by hand.
#include "kernels/reference/prelu.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tests/kernels/exact_requantize.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

TEST(Prelu, FloatPerChannelAlphaBroadcast) {
  // [1, 2, 2] input, alpha [2] per channel; zero stays zero (x >= 0).
  const std::vector<float> x = {-2, -2, 3, 0}, alpha = {0.5f, -1};
  std::vector<float> out(4);
  Prelu(Shape{1, 2, 2}, x.data(), Shape{2}, alpha.data(), out.data());
  EXPECT_THAT(out, ElementsAre(-1, 2, 3, 0));
}

TEST(Prelu, Int8TiesAndSaturationByHand) {
  // Input and output scale 1, alpha scale 0.5 with zero point 0: multipliers 1 and 0.5.
  const PreluParams p = PreparePrelu(1.0f, 0, 0.5f, 0, 1.0f, 0);
  const std::vector<int8_t> x = {-3, -128, 127, -1};
  const std::vector<int8_t> alpha = {1, 127, 1, 1};  // real 0.5, 63.5, 0.5, 0.5
  std::vector<int8_t> out(4);
  Prelu(p, Shape{4}, x.data(), Shape{4}, alpha.data(), out.data());
  // The high multiply rounds ties toward +infinity: -3 * 0.5 = -1.5 -> -1 and -0.5 -> 0;
  // -128 * 63.5 saturates; 127 passes through multiplier 1 unchanged.
  EXPECT_THAT(out, ElementsAre(-1, -128, 127, 0));
}

template <class T>
void CheckAgainstExact(float in_scale, int32_t in_zero, float alpha_scale, int32_t alpha_zero,
                       float out_scale, int32_t out_zero) {
  const PreluParams p =
      PreparePrelu(in_scale, in_zero, alpha_scale, alpha_zero, out_scale, out_zero);
  std::vector<T> x;
  std::vector<int8_t> alpha;
  const int step = sizeof(T) == 1 ? 1 : 257;
  for (int v = std::numeric_limits<T>::min(); v <= std::numeric_limits<T>::max(); v += step) {
    for (int a = -128; a < 128; ++a) {
      x.push_back(static_cast<T>(v));
      alpha.push_back(static_cast<int8_t>(a));
    }
  }
  std::vector<T> out(x.size());
  const Shape shape{static_cast<int32_t>(x.size())};
  Prelu(p, shape, x.data(), shape, alpha.data(), out.data());
  for (size_t k = 0; k < x.size(); ++k) {
    const int32_t value = x[k] - in_zero;
    const int32_t scaled =
        value >= 0 ? testing::ExactRequantize(value, p.positive.multiplier, p.positive.shift)
                   : testing::ExactRequantize(value * (alpha[k] - alpha_zero),
                                              p.negative.multiplier, p.negative.shift);
    const int32_t expected = std::clamp<int32_t>(scaled + out_zero, std::numeric_limits<T>::min(),
                                                 std::numeric_limits<T>::max());
    ASSERT_EQ(out[k], expected) << "x " << int{x[k]} << " alpha " << int{alpha[k]};
  }
}

TEST(Prelu, Int8EveryInputAndAlphaMatchesExactRequantization) {
  CheckAgainstExact<int8_t>(0.05f, -7, 0.01f, 3, 0.04f, 11);
  CheckAgainstExact<int8_t>(0.02f, 0, 0.003f, -128, 0.05f, -128);
}

TEST(Prelu, Int16WithInt8AlphaMatchesExactRequantization) {
  CheckAgainstExact<int16_t>(0.001f, 0, 0.02f, 5, 0.0009f, 0);
}

}  // namespace
}  // namespace kernels::reference
