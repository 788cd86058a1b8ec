#pragma once
// Weights rearranged once, at prepare time, into the layouts the optimized micro-kernels read,
// together with every per-channel constant of the output stage. Immutable after packing, so one
// packed object serves any number of threads.

#include <cstdint>
#include <vector>

namespace kernels::optimized {

// Channel block of every micro-kernel: one 512-bit vector of int32 or float lanes.
inline constexpr int kChannelBlock = 16;

// An int8 GEMM right-hand side [n output channels, k depth] for vpdpbusd: n padded to 16, k to
// 4, stored as [n/16][k/4][16 channels][4 depth values], so that one 64-byte load holds 4
// consecutive depth values of 16 channels (the 4 bytes one vpdpbusd lane multiplies).
//
// The kernels read the activations as unsigned bytes u = x + 128 (vpdpbusd multiplies unsigned
// by signed bytes), so sum w * (x + input_offset) = sum w * u + (input_offset - 128) * sum w.
// The second term, a per-channel constant, is folded with the bias into `bias`; the int32
// accumulator is then exactly the reference's (all in wrapping int32 arithmetic, which matches
// the reference whenever the reference itself does not overflow).
struct PackedInt8Weights {
  int n = 0;
  int k = 0;
  int n_padded = 0;
  int k_padded = 0;
  std::vector<int8_t> data;
  // Per channel, padded to n_padded (padding lanes hold harmless values and are never stored).
  std::vector<int32_t> bias;         // bias + (input_offset - 128) * sum of the channel's weights
  std::vector<int32_t> multiplier;   // Q31 mantissa of the requantization multiplier
  std::vector<int32_t> shift;        // its exponent (> 0: left shift), as TFLite
  std::vector<int32_t> left_shift;   // max(shift, 0)
  std::vector<int32_t> right_shift;  // max(-shift, 0)
};

// `filter` is [n, k] row-major (OHWI flattened for CONV_2D); `bias` may be null;
// `multiplier_count` is n (per channel) or 1 (one multiplier for all channels).
PackedInt8Weights PackInt8Weights(const int8_t* filter, int n, int k, const int32_t* bias,
                                  int32_t input_offset, const int32_t* multiplier,
                                  const int32_t* shift, int multiplier_count);

// A float GEMM right-hand side: [n/16][k][16 channels], n padded to 16 with zero weights;
// `bias` padded with zeros (a missing bias adds 0.0f, as the reference).
struct PackedFloatWeights {
  int n = 0;
  int k = 0;
  int n_padded = 0;
  std::vector<float> data;
  std::vector<float> bias;
};
PackedFloatWeights PackFloatWeights(const float* filter, int n, int k, const float* bias);

// DEPTHWISE_CONV_2D int8 constants: the filter [taps, channels] widened to 32-bit lanes that hold
// the weight as int16 in their low half and zero in their high half, so that vpmaddwd with an
// int16 input in the low half computes exactly weight * input per lane; bias (0 when absent) and
// the requantization per channel.
struct PackedDepthwiseInt8 {
  int channels = 0;
  int taps = 0;
  std::vector<int8_t> filter;        // [taps][channels], as the model stores it
  std::vector<int32_t> weight_lanes;  // [taps][channels]: uint16 bits of the weight
  // Per channel, the sum of its weights over all taps: sum w * (x + input_offset) over a window
  // inside the image is sum w * x + input_offset * weight_sum (wrapping int32, as the reference).
  std::vector<int32_t> weight_sum;
  std::vector<int32_t> bias;
  std::vector<int32_t> multiplier;
  std::vector<int32_t> shift;
  std::vector<int32_t> left_shift;
  std::vector<int32_t> right_shift;
};
PackedDepthwiseInt8 PackDepthwiseInt8(const int8_t* filter, int taps, int channels,
                                      const int32_t* bias, const int32_t* multiplier,
                                      const int32_t* shift);

}  // namespace kernels::optimized
