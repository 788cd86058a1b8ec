#include "harness/quant/quantization_params.h"

#include <gtest/gtest.h>

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

TEST(QuantizeSymmetric, AllZeroChannelGetsScaleOne) {
  const std::vector<float> w = {0.0f, 0.0f, 1.0f, 1.0f};
  const std::vector<int32_t> shape = {2, 2};
  const SymmetricWeights q = QuantizeSymmetric(w, shape, 0);
  EXPECT_FLOAT_EQ(q.scales[0], 1.0f);
  EXPECT_EQ(q.values[0], 0);
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
