#pragma once
// Scale and zero point from a float range, as the TFLite converter derives them.
//
// Activations (int8, asymmetric): the range is first widened to include 0 (so that 0, the
// padding value and every ReLU's floor, is exact); scale = (max - min) / 255; the zero point
// is the one of the two candidates `-128 - min/scale` and `127 - max/scale` whose computation
// loses less precision (TFLite's nudging, which in practice is the first), rounded half away
// from zero and clamped to [-128, 127]. An all-zero range [0, 0] gets [0, 1]: any scale
// represents its only value exactly, and a unit range keeps the requantization multipliers of
// its neighbours in a normal range (a tiny scale would make its producer's multiplier
// overflow).
//
// Weights (int8, symmetric, zero point 0): scale = max(max|w|, 5e-7) / 127 per tensor or per
// channel, values rounded half away from zero after multiplying by the float inverse of the
// scale, as TFLite's SymmetricPerChannelQuantizeValues. The floor is the TFLite converter's
// (ExpandVerySmallRange: a range narrower than 1e-6 is widened to [-5e-7, 5e-7]): a dead
// channel, all zero or ~1e-31 after training, would otherwise get a scale near 1e-33 and a
// bias of ~1e18 at scale s_input * s_weight. A scale may also be raised so that the bias fits
// (WeightScalesForBias below).
//
// Bias (int32, zero point 0): scale = s_input * s_weight[c] (float product), the value rounded
// half away from zero and clamped to int32.

#include <cstdint>
#include <span>
#include <vector>

namespace harness::quant {

struct AffineParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

AffineParams AsymmetricParams(float min, float max, int32_t qmin = -128, int32_t qmax = 127);

// The int8 value of `value` under `params` (round half away from zero, clamped).
int8_t QuantizeToInt8(float value, const AffineParams& params);

struct SymmetricWeights {
  std::vector<float> scales;  // one per channel (or one)
  std::vector<int8_t> values;
};

// The smallest half range a weight tensor or channel is quantized over (see above).
inline constexpr float kSmallestWeightHalfRange = 5e-7f;

// Quantizes `weights` of shape `shape` symmetrically along `channel_dim`, or per tensor when
// channel_dim < 0. `min_scales`, when not empty, holds one lower bound per channel (one for a
// per-tensor weight) that the scale is raised to.
SymmetricWeights QuantizeSymmetric(std::span<const float> weights, std::span<const int32_t> shape,
                                   int channel_dim, std::span<const float> min_scales = {});

// The smallest weight scale per bias value that keeps |bias[c]| / (input_scale * scale) within
// `bias_limit`, as TFLite's AdjustWeightsForBiasScale does (it keeps an int32 bias within half
// the int32 range, leaving the other half to the sum of products). One value, the largest, when
// `per_tensor`. A scale below it would make the quantized bias overflow its accumulator.
std::vector<float> WeightScalesForBias(std::span<const float> bias, float input_scale,
                                       double bias_limit, bool per_tensor);

// Bias of `channels` values: channel c with scale input_scale * weight_scales[c] (weight_scales
// holds one scale for a per-tensor weight).
std::vector<int32_t> QuantizeBias(std::span<const float> bias, float input_scale,
                                  std::span<const float> weight_scales);
// The same values as int64, the bias of 16x8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED.
std::vector<int64_t> QuantizeBiasInt64(std::span<const float> bias, float input_scale,
                                       std::span<const float> weight_scales);
// int16 activations (TFLite's 16x8 mode): symmetric, zero point 0, scale max(|min|, |max|) /
// 32767 so that both ends of the range are representable in [-32767, 32767]; an all-zero
// range gets max 1 (see the int8 rule above).
AffineParams SymmetricInt16Params(float min, float max);
// The int16 value of `value` under `params` (round half away from zero, clamped).
int16_t QuantizeToInt16(float value, const AffineParams& params);
std::vector<float> BiasScales(float input_scale, std::span<const float> weight_scales,
                              size_t channels);

}  // namespace harness::quant
