#include "harness/quant/quantization_params.h"

#include <gtest/gtest.h>

#include <span>
#include <vector>

#include "harness/common/error.h"

namespace harness::quant {
namespace {

// Closed forms: scale = (max - min) / 255, zero point = round(-128 - min / scale).
TEST(AsymmetricParams, SymmetricRangeRoundsTheHalfZeroPointAwayFromZero) {
  const AffineParams p = AsymmetricParams(-1.0f, 1.0f);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 255.0f);
  EXPECT_EQ(p.zero_point, -1);  // -128 + 127.5 = -0.5 -> -1
}

TEST(AsymmetricParams, SkewedRange) {
  const AffineParams p = AsymmetricParams(-1.0f, 3.0f);
  EXPECT_FLOAT_EQ(p.scale, 4.0f / 255.0f);
  EXPECT_EQ(p.zero_point, -64);  // -128 + 63.75 = -64.25
}

TEST(AsymmetricParams, RangeIsWidenedToIncludeZero) {
  const AffineParams positive = AsymmetricParams(1.0f, 2.0f);
  EXPECT_FLOAT_EQ(positive.scale, 2.0f / 255.0f);
  EXPECT_EQ(positive.zero_point, -128);
  const AffineParams negative = AsymmetricParams(-2.55f, -1.0f);
  EXPECT_FLOAT_EQ(negative.scale, 0.01f);
  EXPECT_EQ(negative.zero_point, 127);
}

TEST(AsymmetricParams, ZeroIsExactlyRepresentable) {
  for (float lo : {-0.3f, -1.7f, -5.0f, -0.01f}) {
    for (float hi : {0.2f, 1.3f, 6.0f}) {
      const AffineParams p = AsymmetricParams(lo, hi);
      EXPECT_EQ(QuantizeToInt8(0.0f, p), p.zero_point);
      EXPECT_GE(p.zero_point, -128);
      EXPECT_LE(p.zero_point, 127);
      // The ends of the range land within half a step of the ends of the grid.
      EXPECT_NEAR(p.scale * static_cast<float>(-128 - p.zero_point), lo, p.scale);
      EXPECT_NEAR(p.scale * static_cast<float>(127 - p.zero_point), hi, p.scale);
    }
  }
}

TEST(AsymmetricParams, AllZeroRangeGetsAUsableScale) {
  const AffineParams p = AsymmetricParams(0.0f, 0.0f);
  EXPECT_GT(p.scale, 0.0f);
  EXPECT_EQ(QuantizeToInt8(0.0f, p), p.zero_point);
}

TEST(AsymmetricParams, InvalidRangeThrows) { EXPECT_THROW(AsymmetricParams(1.0f, -1.0f), Error); }

TEST(QuantizeSymmetric, PerChannelScalesAreMaxMagnitudeOver127) {
  // Shape [2, 1, 1, 2]: channel 0 = {1, -0.25}, channel 1 = {0.2, -0.05}.
  const std::vector<float> w = {1.0f, -0.25f, 0.2f, -0.05f};
  const std::vector<int32_t> shape = {2, 1, 1, 2};
  const SymmetricWeights q = QuantizeSymmetric(w, shape, 0);
  ASSERT_EQ(q.scales.size(), 2u);
  EXPECT_FLOAT_EQ(q.scales[0], 1.0f / 127.0f);
  EXPECT_FLOAT_EQ(q.scales[1], 0.2f / 127.0f);
  EXPECT_EQ(q.values, (std::vector<int8_t>{127, -32, 127, -32}));  // -31.75 -> -32
}

TEST(QuantizeSymmetric, LastDimensionChannelsAndPerTensor) {
  // Depthwise layout [1, 1, 2, 2]: channel = last index.
  const std::vector<float> w = {0.25f, 4.0f, -1.0f, 2.2f};
  const std::vector<int32_t> shape = {1, 1, 2, 2};
  const SymmetricWeights per_channel = QuantizeSymmetric(w, shape, 3);
  EXPECT_FLOAT_EQ(per_channel.scales[0], 1.0f / 127.0f);
  EXPECT_FLOAT_EQ(per_channel.scales[1], 4.0f / 127.0f);
  EXPECT_EQ(per_channel.values, (std::vector<int8_t>{32, 127, -127, 70}));  // 31.75, 69.85
  const SymmetricWeights per_tensor = QuantizeSymmetric(w, shape, -1);
  ASSERT_EQ(per_tensor.scales.size(), 1u);
  EXPECT_FLOAT_EQ(per_tensor.scales[0], 4.0f / 127.0f);
  EXPECT_EQ(per_tensor.values, (std::vector<int8_t>{8, 127, -32, 70}));  // 7.9375, -31.75
}

// The TFLite converter's floor (ExpandVerySmallRange): a channel narrower than 1e-6 is
// quantized over [-5e-7, 5e-7], so its scale is 5e-7 / 127, never ~1e-33.
TEST(QuantizeSymmetric, DeadChannelsGetTheConvertersSmallestRange) {
  // Channel 0 all zero, channel 1 dead after training (~1e-31), channel 2 ordinary.
  const std::vector<float> w = {0.0f, 0.0f, 1.3e-31f, -4e-32f, 1.0f, -0.5f};
  const std::vector<int32_t> shape = {3, 2};
  const SymmetricWeights q = QuantizeSymmetric(w, shape, 0);
  EXPECT_FLOAT_EQ(q.scales[0], 5e-7f / 127.0f);
  EXPECT_FLOAT_EQ(q.scales[1], 5e-7f / 127.0f);
  EXPECT_FLOAT_EQ(q.scales[2], 1.0f / 127.0f);
  EXPECT_EQ(q.values, (std::vector<int8_t>{0, 0, 0, 0, 127, -64}));  // -63.5 -> -64
  // Just above the floor the channel keeps its own range.
  const std::vector<float> narrow = {6e-7f, -1e-7f};
  EXPECT_FLOAT_EQ(QuantizeSymmetric(narrow, std::vector<int32_t>{1, 2}, 0).scales[0],
                  6e-7f / 127.0f);
}

TEST(QuantizeSymmetric, MinimumScalesRaiseTheScale) {
  const std::vector<float> w = {1.0f, -0.5f, 0.0f, 0.0f};
  const std::vector<int32_t> shape = {2, 2};
  const std::vector<float> min_scales = {0.5f, 0.25f};
  const SymmetricWeights q = QuantizeSymmetric(w, shape, 0, min_scales);
  EXPECT_FLOAT_EQ(q.scales[0], 0.5f);                       // 1 / 127 < 0.5
  EXPECT_FLOAT_EQ(q.scales[1], 0.25f);                      // 5e-7 / 127 < 0.25
  EXPECT_EQ(q.values, (std::vector<int8_t>{2, -1, 0, 0}));  // 1 / 0.5, -0.5 / 0.5
  const std::vector<float> wrong_count = {1.0f};
  EXPECT_THROW(QuantizeSymmetric(w, shape, 0, wrong_count), Error);
}

// TFLite's AdjustWeightsForBiasScale: a weight scale that would put |bias| / (s_in * s_w)
// above the budget is raised to |bias| / (s_in * budget), so the quantized bias is the budget.
TEST(WeightScalesForBias, QuantizedBiasLandsOnTheBudget) {
  const std::vector<float> bias = {4.0f, -0.001f, 0.0f};
  const float input_scale = 0.05f;
  const double budget = 2147483647.0 / 2;
  const std::vector<float> scales = WeightScalesForBias(bias, input_scale, budget, false);
  ASSERT_EQ(scales.size(), 3u);
  EXPECT_FLOAT_EQ(scales[0], static_cast<float>(4.0 / (0.05 * budget)));
  EXPECT_EQ(scales[2], 0.0f);  // a zero bias needs no particular scale
  // Each nonzero bias quantized at its smallest scale is the budget, within float rounding.
  const std::vector<int32_t> q =
      QuantizeBias(std::span(bias).first(2), input_scale, std::span(scales).first(2));
  EXPECT_NEAR(static_cast<double>(q[0]), budget, budget * 1e-6);
  EXPECT_NEAR(static_cast<double>(q[1]), -budget, budget * 1e-6);
  const std::vector<float> per_tensor = WeightScalesForBias(bias, input_scale, budget, true);
  ASSERT_EQ(per_tensor.size(), 1u);
  EXPECT_EQ(per_tensor[0], scales[0]);  // the largest
}

TEST(QuantizeBias, ScaleIsInputScaleTimesWeightScale) {
  const std::vector<float> bias = {0.5f, -0.3f};
  const std::vector<float> weight_scales = {0.01f, 0.02f};
  const std::vector<float> scales = BiasScales(0.1f, weight_scales, 2);
  EXPECT_EQ(scales[0], 0.1f * 0.01f);
  EXPECT_EQ(scales[1], 0.1f * 0.02f);
  EXPECT_EQ(QuantizeBias(bias, 0.1f, weight_scales), (std::vector<int32_t>{500, -150}));
  // A per-tensor weight scale serves every channel.
  const std::vector<float> one_scale = {0.01f};
  EXPECT_EQ(QuantizeBias(bias, 0.1f, one_scale), (std::vector<int32_t>{500, -300}));
}

TEST(QuantizeBias, SaturatesAtInt32) {
  const std::vector<float> bias = {1e12f, -1e12f};
  const std::vector<float> weight_scales = {1e-3f};
  const std::vector<int32_t> q = QuantizeBias(bias, 1e-3f, weight_scales);
  EXPECT_EQ(q[0], 2147483647);
  EXPECT_EQ(q[1], -2147483647);
}

}  // namespace
}  // namespace harness::quant
