#pragma once
// Optimized hybrid FULLY_CONNECTED (float activations, int8 weights, TFLite's dynamic-range
// kernel), bit-identical to reference::HybridFullyConnected. Each input row is quantized by the
// reference's own QuantizeBatches; the int8 x int8 dot products run on packed weights (exact
// int32, so equal to the reference's); the float epilogue is the reference's expression,
// clamp(bias + float(dot) * scale), one multiply and one add, each rounded (no FMA: the kernel
// library is built with -ffp-contract=off).
//
// Use: PackHybridFullyConnected once at prepare, then per call HybridFullyConnected with a
// scratch of HybridFullyConnectedScratchBytes.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/optimized/dispatch.h"
#include "kernels/reference/fully_connected.h"
#include "kernels/reference/hybrid.h"

namespace kernels::optimized {

// The weights in PackedInt8Weights' layout ([n/16][k/4][16 channels][4 depth values], n padded
// to 16 and k to 4 with zero weights) and the per-channel constants of the epilogue, all padded
// to n_padded (padding lanes are computed but never stored).
struct PackedHybridWeights {
  int n = 0;
  int k = 0;
  int n_padded = 0;
  int k_padded = 0;
  std::vector<int8_t> data;
  // Sum of each channel's weights: the kernels read the quantized input q as the unsigned byte
  // q + 128 (vpdpbusd multiplies unsigned by signed bytes), so the reference's
  // sum w * q - row_sum * input_offset = sum w * (q + 128) - row_sum * (128 + input_offset),
  // exactly, in wrapping int32 arithmetic.
  std::vector<int32_t> row_sum;
  std::vector<float> bias;  // 0.0f where the model has none: the reference also adds 0.0f
  // Per channel: the filter's channel scales. Per tensor: 1.0f, and the tensor scale is folded
  // into each row's input scale first, as the reference does; x * 1.0f is exact, so one
  // epilogue serves both.
  std::vector<float> channel_scale;
  float tensor_scale = 1.0f;
  bool per_channel = false;
};

// `filter` is [units, depth] row-major; `bias` may be null; `filter_scales` as the reference
// takes them (units scales per channel, else one).
PackedHybridWeights PackHybridFullyConnected(const int8_t* filter, int units, int depth,
                                             const float* bias,
                                             const reference::FilterScales& filter_scales);

// Scratch bytes of one call with `batches` input rows.
size_t HybridFullyConnectedScratchBytes(const PackedHybridWeights& weights, int batches);

// output[b][c] for b < batches: as reference::HybridFullyConnected with the same params
// (float activation range, asymmetric_quantize_inputs). `scratch` holds
// HybridFullyConnectedScratchBytes(weights, batches) bytes, 16-byte aligned. `variant` is an
// optimized one the CPU supports (kReference runs the portable code).
void HybridFullyConnected(KernelVariant variant, const reference::FullyConnectedParams& params,
                          const PackedHybridWeights& weights, int batches, const float* input,
                          float* output, std::byte* scratch);

// The inner loops, over rows of unsigned quantized input (q + 128, k_padded long):
// out[r][c] = clamp(bias[c] + float(dot[r][c]) * (row_scale[r] * channel_scale[c])).
struct HybridRows {
  const uint8_t* data = nullptr;
  int stride = 0;
  const float* scale = nullptr;     // per row, the tensor scale already folded in
  const int32_t* offset = nullptr;  // per row, the input zero point (0 when symmetric)
};
using HybridGemmFn = void (*)(const PackedHybridWeights& w, const HybridRows& a, int rows,
                              float activation_min, float activation_max, float* out,
                              int out_stride);
void HybridGemmPortable(const PackedHybridWeights& w, const HybridRows& a, int rows,
                        float activation_min, float activation_max, float* out, int out_stride);
void HybridGemmAvx2(const PackedHybridWeights& w, const HybridRows& a, int rows,
                    float activation_min, float activation_max, float* out, int out_stride);
void HybridGemmAvx512Vnni(const PackedHybridWeights& w, const HybridRows& a, int rows,
                          float activation_min, float activation_max, float* out, int out_stride);

}  // namespace kernels::optimized
