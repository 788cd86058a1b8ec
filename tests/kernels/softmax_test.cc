// Softmax: float against the closed form; int8 on inputs whose outputs can be derived by hand,
// and a sweep where the dequantized int8 result stays within one output step of the float one.
#include "kernels/reference/softmax.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace kernels::reference {
namespace {

TEST(Softmax, FloatMatchesClosedForm) {
  const std::vector<float> input = {1.0f, 2.0f, 3.0f, -1.0f, 0.0f, 0.5f};
  std::vector<float> output(input.size());
  SoftmaxFloat(0.5f, Shape{2, 3}, input.data(), output.data());
  for (int row = 0; row < 2; ++row) {
    double sum = 0;
    for (int c = 0; c < 3; ++c) sum += std::exp(0.5 * double{input[static_cast<size_t>(row * 3 + c)]});
    for (int c = 0; c < 3; ++c) {
      const auto i = static_cast<size_t>(row * 3 + c);
      EXPECT_NEAR(output[i], std::exp(0.5 * double{input[i]}) / sum, 1e-6);
    }
  }
}

TEST(Softmax, PrepareMatchesHandComputedScaling) {
  // beta * scale * 2^26 = 0.125 * 2^26 = 2^23: mantissa 1/2 -> 2^30, left shift 24;
  // diff_min = -floor(31 * 2^26 / 2^24) = -124.
  const auto params = PrepareSoftmaxInt8(1.0, 0.125);
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ(params->input_multiplier, 1 << 30);
  EXPECT_EQ(params->input_left_shift, 24);
  EXPECT_EQ(params->diff_min, -124);
  EXPECT_FALSE(PrepareSoftmaxInt8(1.0, 1e-9).has_value());  // multiplier below one
}

TEST(Softmax, Int8EqualInputsGiveUniformOutput) {
  // Four equal inputs: each gets 1/4 = 64/256, i.e. 64 - 128 = -64. Two: 1/2 -> 0.
  const auto params = *PrepareSoftmaxInt8(1.0, 0.1);
  const std::vector<int8_t> four = {17, 17, 17, 17};
  std::vector<int8_t> out(4);
  SoftmaxInt8(params, Shape{1, 4}, four.data(), out.data());
  for (int8_t v : out) EXPECT_EQ(v, -64);
  const std::vector<int8_t> two = {-100, -100};
  SoftmaxInt8(params, Shape{1, 2}, two.data(), out.data());
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 0);
}

TEST(Softmax, Int8DominantInputSaturatesAt127) {
  // With scale 0.1 the others are exp(-25.5) ~ 8e-12 of the winner: it gets 256/256, clamped
  // to 127, and they get 0/256 -> -128.
  const auto params = *PrepareSoftmaxInt8(1.0, 0.1);
  const std::vector<int8_t> input = {-128, 127, -128};
  std::vector<int8_t> out(3);
  SoftmaxInt8(params, Shape{3}, input.data(), out.data());
  EXPECT_EQ(out[0], -128);
  EXPECT_EQ(out[1], 127);
  EXPECT_EQ(out[2], -128);
}

TEST(Softmax, Int8DequantizedTracksFloatSoftmax) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> value(-128, 127);
  for (const float scale : {0.02f, 0.0625f, 0.15f, 0.5f}) {
    for (const float beta : {1.0f, 0.7f}) {
      const auto params = *PrepareSoftmaxInt8(beta, scale);
      for (int trial = 0; trial < 50; ++trial) {
        const int depth = 2 + trial % 12;
        std::vector<int8_t> input(static_cast<size_t>(depth));
        std::vector<float> real(input.size()), expected(input.size());
        for (size_t i = 0; i < input.size(); ++i) {
          input[i] = static_cast<int8_t>(value(rng));
          real[i] = scale * static_cast<float>(input[i]);  // the zero point cancels out
        }
        std::vector<int8_t> out(input.size());
        SoftmaxInt8(params, Shape{1, depth}, input.data(), out.data());
        SoftmaxFloat(beta, Shape{1, depth}, real.data(), expected.data());
        for (size_t i = 0; i < input.size(); ++i) {
          const float dequantized = (static_cast<float>(out[i]) + 128.0f) / 256.0f;
          ASSERT_NEAR(dequantized, expected[i], 1.0f / 256 + 1e-4f)
              << "scale " << scale << " beta " << beta << " trial " << trial;
        }
      }
    }
  }
}

TEST(Softmax, Int8ToInt16UsesTheWiderOutput) {
  const auto params = *PrepareSoftmaxInt8(1.0, 0.1);
  const std::vector<int8_t> four = {5, 5, 5, 5};
  std::vector<int16_t> out(4);
  SoftmaxInt8ToInt16(params, Shape{4}, four.data(), out.data());
  // 1/4 of 65536 is 16384, shifted by the zero point -32768.
  for (int16_t v : out) EXPECT_EQ(v, 16384 - 32768);
}

TEST(Softmax, RowsAreIndependent) {
  const auto params = *PrepareSoftmaxInt8(1.0, 0.05);
  const std::vector<int8_t> input = {10, 20, 30, -5, 100, 0};
  std::vector<int8_t> both(6), first(3), second(3);
  SoftmaxInt8(params, Shape{2, 3}, input.data(), both.data());
  SoftmaxInt8(params, Shape{3}, input.data(), first.data());
  SoftmaxInt8(params, Shape{3}, input.data() + 3, second.data());
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(both[i], first[i]);
    EXPECT_EQ(both[i + 3], second[i]);
  }
}

}  // namespace
}  // namespace kernels::reference
