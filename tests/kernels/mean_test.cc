// MEAN: float over one, several and all axes; int8 with the same quantization (TFLite-Micro's
// truncating division) and with different quantization (count folded into the multiplier),
// checked by hand and against an exact requantization over many inputs.
#include "kernels/reference/mean.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tests/kernels/exact_fixed_point.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

ReducedAxes Axes(std::initializer_list<int> axes) {
  ReducedAxes reduced{};
  for (int a : axes) reduced[static_cast<size_t>(a)] = true;
  return reduced;
}

TEST(MeanFloat, LastAxis) {
  const std::vector<float> in = {1, 2, 3, 4, 5, 9};  // [2, 3]
  std::vector<float> out(2);
  Mean(Shape{2, 3}, in.data(), Axes({1}), out.data());
  EXPECT_THAT(out, ElementsAre(2, 6));
}

TEST(MeanFloat, FirstAxisAndAllAxes) {
  const std::vector<float> in = {1, 2, 3, 4, 5, 9};  // [2, 3]
  std::vector<float> out(3);
  Mean(Shape{2, 3}, in.data(), Axes({0}), out.data());
  EXPECT_THAT(out, ElementsAre(2.5f, 3.5f, 6));
  std::vector<float> all(1);
  Mean(Shape{2, 3}, in.data(), Axes({0, 1}), all.data());
  EXPECT_THAT(all, ElementsAre(4));
}

TEST(MeanFloat, SpatialAxesOfNhwc) {
  // [1, 2, 2, 2]: mean over height and width per channel.
  const std::vector<float> in = {1, 10, 2, 20, 3, 30, 6, 60};
  std::vector<float> out(2);
  Mean(Shape{1, 2, 2, 2}, in.data(), Axes({1, 2}), out.data());
  EXPECT_THAT(out, ElementsAre(3, 30));
  EXPECT_EQ(MeanOutputCount(Shape{1, 2, 2, 2}, Axes({1, 2})), 2);
  EXPECT_EQ(ReducedCount(Shape{1, 2, 2, 2}, Axes({1, 2})), 4);
}

TEST(MeanInt8, SameQuantizationRequantizesLikeAnyOther) {
  // Equal parameters: multiplier 1 = (2^30, 1); count 2 folds it to (2^30, 0), a Q31 one half.
  const MeanQuantizedParams p = MakeMeanQuantizedParams(0.5f, 3, 0.5f, 3, 2);
  EXPECT_EQ(p.multiplier.multiplier, 1 << 30);
  EXPECT_EQ(p.multiplier.shift, 0);
  const std::vector<int8_t> in = {1, 2, -1, -2, 127, 126, -128, -127};  // [4, 2]
  std::vector<int32_t> sums(4);
  std::vector<int8_t> out(4);
  Mean(p, Shape{4, 2}, in.data(), Axes({1}), sums.data(), out.data());
  // sum - 2 * 3 = -3, -9, 247, -261, halved by the rounding doubling high multiply (ties of a
  // positive product up, of a negative one toward zero): -1, -4, 124, -130; plus 3, clamped.
  // Truncating 3 / 2 and 253 / 2 (an older TFLite-Micro) would give 1 and 126.
  EXPECT_THAT(out, ElementsAre(2, -1, 127, -127));
}

TEST(MeanQuantizedParams, CountFoldedIntoMultiplier) {
  // input / output scale = 2 = 0.5 * 2^2 -> (2^30, 2). Count 3: shift = floor(log2 3) = 1, the
  // mantissa becomes (2^30 << 1) / 3 = 715827882 (truncated) and the exponent 2 - 1 = 1.
  const MeanQuantizedParams p = MakeMeanQuantizedParams(1.0f, 0, 0.5f, 0, 3);
  EXPECT_EQ(p.multiplier.multiplier, 715827882);
  EXPECT_EQ(p.multiplier.shift, 1);
  // Count 1 leaves the multiplier alone.
  const MeanQuantizedParams one = MakeMeanQuantizedParams(1.0f, 0, 0.5f, 0, 1);
  EXPECT_EQ(one.multiplier.multiplier, 1 << 30);
  EXPECT_EQ(one.multiplier.shift, 2);
}

TEST(MeanInt8, DifferentQuantizationRequantizes) {
  // Input scale 1 (zero point -2), output scale 0.5 (zero point 5), three elements per output.
  const MeanQuantizedParams p = MakeMeanQuantizedParams(1.0f, -2, 0.5f, 5, 3);
  const std::vector<int8_t> in = {-1, -1, 0,      // real 1, 1, 2: mean 4/3 -> 2.67 steps -> 3
                                  -2, -2, -2,     // real 0 -> the output zero point
                                  127, 127, 127,  // real 129 -> 258 steps: saturates
                                  -4, -4, -3};    // real -2, -2, -1: -5/3 -> -3.33 -> -3
  std::vector<int32_t> sums(4);
  std::vector<int8_t> out(4);
  Mean(p, Shape{4, 3}, in.data(), Axes({1}), sums.data(), out.data());
  EXPECT_THAT(out, ElementsAre(8, 5, 127, 2));
}

TEST(MeanInt8, DifferentQuantizationMatchesExactRequantization) {
  // Mean over axis 1 of [8, 7]: every row is a different pattern of values.
  const float input_scale = 0.0371f, output_scale = 0.0213f;
  const int32_t input_zero = 9, output_zero = -14;
  const MeanQuantizedParams p =
      MakeMeanQuantizedParams(input_scale, input_zero, output_scale, output_zero, 7);
  std::vector<int8_t> in(56);
  for (size_t i = 0; i < in.size(); ++i) {
    in[i] = static_cast<int8_t>(static_cast<int>((i * 97 + 31) % 256) - 128);
  }
  std::vector<int32_t> sums(8);
  std::vector<int8_t> out(8);
  Mean(p, Shape{8, 7}, in.data(), Axes({1}), sums.data(), out.data());
  for (size_t row = 0; row < 8; ++row) {
    int32_t sum = 0;
    for (size_t k = 0; k < 7; ++k) sum += in[row * 7 + k];
    const int32_t expected = std::clamp(
        testing::ExactRequantize(sum - input_zero * 7, p.multiplier.multiplier,
                                 p.multiplier.shift) + output_zero, -128, 127);
    EXPECT_EQ(out[row], expected) << "row " << row;
    const double real_mean = static_cast<double>(input_scale) * (sum - input_zero * 7) / 7;
    const double ideal = std::clamp(
        std::round(real_mean / static_cast<double>(output_scale)) + output_zero, -128.0, 127.0);
    EXPECT_LE(std::abs(out[row] - ideal), 1.0) << "row " << row;
  }
}

TEST(MeanInt16, SameQuantizationRoundsTwice) {
  // Multiplier (2^30, 1) folded with count 4 into (2^30, -1): the sum is halved by the doubling
  // high multiply, then halved again by the rounding right shift, each rounding on its own.
  const MeanQuantizedParams p = MakeMeanQuantizedParams(0.001f, 0, 0.001f, 0, 4);
  const std::vector<int16_t> in = {30000, 30000, 30000, 30001, -7, -7, -7, -8};
  std::vector<int32_t> sums(2);
  std::vector<int16_t> out(2);
  Mean(p, Shape{2, 4}, in.data(), Axes({1}), sums.data(), out.data());
  // 120001 -> 60000.5 -> 60001 -> 30000.5 -> 30001 (the exact mean is 30000.25);
  // -29 -> -14.5 -> -14 -> -7.
  EXPECT_THAT(out, ElementsAre(30001, -7));
}

}  // namespace
}  // namespace kernels::reference
