// RELU, RELU6, HARD_SWISH: float on hand values; int8 RELU6 clamp bounds by hand; int8 RELU
// and HARD_SWISH over all 256 inputs within one output step of the float function.
#include "kernels/reference/activations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace kernels::reference {
namespace {

std::vector<int8_t> AllInt8() {
  std::vector<int8_t> values;
  for (int v = -128; v <= 127; ++v) values.push_back(static_cast<int8_t>(v));
  return values;
}

double HardSwish(double x) { return x * std::min(6.0, std::max(0.0, x + 3.0)) / 6.0; }

TEST(Activations, FloatHandValues) {
  const std::vector<float> input = {-4.0f, -3.0f, -1.5f, 0.0f, 1.0f, 3.0f, 7.0f};
  std::vector<float> out(input.size());
  const auto n = static_cast<int64_t>(input.size());
  ReluFloat(n, input.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{0, 0, 0, 0, 1, 3, 7}));
  Relu6Float(n, input.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{0, 0, 0, 0, 1, 3, 6}));
  HardSwishFloat(n, input.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{0, 0, -0.375f, 0, 4.0f / 6.0f, 3, 7}));
}

TEST(Activations, Relu6Int8Bounds) {
  // scale 0.05, zero point -128: six = round(6 / 0.05) - 128 = -8, zero = -128.
  const Relu6Int8Params p = PrepareRelu6Int8(0.05f, -128);
  EXPECT_EQ(p.zero, -128);
  EXPECT_EQ(p.six, -8);
  // scale 0.1, zero point 0: six = 60; scale 0.01: 600 clamps to 127.
  EXPECT_EQ(PrepareRelu6Int8(0.1f, 0).six, 60);
  EXPECT_EQ(PrepareRelu6Int8(0.01f, 0).six, 127);
  const std::vector<int8_t> input = AllInt8();
  std::vector<int8_t> out(input.size());
  Relu6Int8(PrepareRelu6Int8(0.1f, 10), 256, input.data(), out.data());
  for (size_t i = 0; i < input.size(); ++i) {
    EXPECT_EQ(out[i], std::clamp<int>(input[i], 10, 70)) << int{input[i]};
  }
}

TEST(Activations, ReluInt8SameQuantizationIsAClamp) {
  const std::vector<int8_t> input = AllInt8();
  std::vector<int8_t> out(input.size());
  ReluInt8(PrepareReluInt8(0.1f, -20, 0.1f, -20), 256, input.data(), out.data());
  for (size_t i = 0; i < input.size(); ++i) EXPECT_EQ(out[i], std::max<int>(input[i], -20));
}

TEST(Activations, ReluInt8RequantizesWithinOneStep) {
  const std::vector<int8_t> input = AllInt8();
  std::vector<int8_t> out(input.size());
  const float in_scale = 0.07f, out_scale = 0.05f;
  const int32_t in_zp = 12, out_zp = -128;
  ReluInt8(PrepareReluInt8(in_scale, in_zp, out_scale, out_zp), 256, input.data(), out.data());
  for (size_t i = 0; i < input.size(); ++i) {
    const double real = std::max(0.0, double{in_scale} * (input[i] - in_zp));
    const double expected = std::clamp(real / double{out_scale} + out_zp, -128.0, 127.0);
    ASSERT_LE(std::abs(out[i] - expected), 0.5 + 1e-6) << int{input[i]};
  }
}

TEST(Activations, DownScaleInt32ToInt16Multiplier) {
  EXPECT_EQ(DownScaleInt32ToInt16Multiplier(1 << 30), 1 << 14);
  EXPECT_EQ(DownScaleInt32ToInt16Multiplier((1 << 30) + (1 << 15)), (1 << 14) + 1);  // half up
  EXPECT_EQ(DownScaleInt32ToInt16Multiplier((1 << 30) + (1 << 15) - 1), 1 << 14);
  EXPECT_EQ(DownScaleInt32ToInt16Multiplier(2147483647), 32767);
}

TEST(Activations, HardSwishInt8AllInputsWithinOneStep) {
  const std::vector<int8_t> input = AllInt8();
  std::vector<int8_t> out(input.size());
  struct Case {
    float in_scale;
    int32_t in_zp;
    float out_scale;
    int32_t out_zp;
  };
  for (const Case c : {Case{0.05f, 0, 0.05f, 0}, Case{0.1f, -20, 0.06f, -100},
                       Case{0.03f, 30, 0.02f, -90}, Case{0.2f, 5, 0.1f, -30}}) {
    const auto params = PrepareHardSwishInt8(c.in_scale, c.in_zp, c.out_scale, c.out_zp);
    ASSERT_TRUE(params.has_value());
    HardSwishInt8(*params, 256, input.data(), out.data());
    for (size_t i = 0; i < input.size(); ++i) {
      const double x = double{c.in_scale} * (input[i] - c.in_zp);
      const double expected = std::clamp(HardSwish(x) / double{c.out_scale} + c.out_zp, -128.0, 127.0);
      ASSERT_LE(std::abs(out[i] - expected), 1.0)
          << "in_scale " << c.in_scale << " q " << int{input[i]};
    }
  }
}

TEST(Activations, HardSwishRefusesTinyOutputScale) {
  // input_scale / 128 / output_scale = 4 needs a left shift TFLite does not support.
  EXPECT_FALSE(PrepareHardSwishInt8(0.512f, 0, 0.001f, 0).has_value());
}

}  // namespace
}  // namespace kernels::reference
