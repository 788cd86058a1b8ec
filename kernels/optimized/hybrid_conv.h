#pragma once
// Optimized hybrid CONV_2D (float activations, int8 OHWI weights, groups = 1), bit-identical to
// reference::HybridConv. Each batch of the input is quantized over its whole H*W*C by the
// reference's own QuantizeBatches (asymmetric on the per-channel path, symmetric otherwise); an
// im2col of the quantized input then feeds the hybrid FULLY_CONNECTED's GEMM micro-kernels,
// whose int32 dots are exact, so equal to the reference's. Padded taps hold the batch's input
// zero point, so that w * (q - zero_point) adds exactly the 0 that the reference's skipped tap
// adds. The float epilogue is the reference's expression and order:
//   per tensor:  clamp(float(acc) * (input_scale * filter_scale) [+ bias])
//   per channel: clamp(float(acc) * channel_scale * input_scale [+ bias])
// The first runs inside the GEMM; for the second the GEMM returns float(acc) (scales of 1 and a
// bias of -0.0f, both exact) and the epilogue follows it here, as its two products round
// differently from the GEMM's one.
//
// Use: PackHybridConv once at prepare, then per call HybridConv with a scratch of
// HybridConvScratchBytes.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/hybrid_fully_connected.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/hybrid.h"
#include "kernels/shape.h"

namespace kernels::optimized {

struct PackedHybridConv {
  // The filter seen as [O, H*W*I]. Its channel scales are 1; its bias is the model's on the
  // per-tensor path, else -0.0f (x + -0.0f == x for every x, -0 included: the reference adds
  // no bias when the model has none, and +0.0f would turn a -0 result into +0).
  PackedHybridWeights gemm;
  bool per_channel = false;
  float tensor_scale = 1.0f;
  std::vector<float> channel_scale;  // per-channel path only
  std::vector<float> bias;           // per-channel path only; empty without a bias
};

// `filter` is OHWI with I equal to the input depth; `bias` may be null; `filter_scales` as the
// reference takes them (per_channel selects the EvalHybridPerChannel path).
PackedHybridConv PackHybridConv(const int8_t* filter, const Shape& filter_shape, const float* bias,
                                const reference::FilterScales& filter_scales);

// Scratch bytes of one call on `input_shape`.
size_t HybridConvScratchBytes(const PackedHybridConv& packed, const Shape& input_shape);

// As reference::HybridConv with the same params and the scales given to PackHybridConv.
// `scratch` holds HybridConvScratchBytes bytes, 16-byte aligned. `variant` is one the CPU
// supports (kReference runs the portable code).
void HybridConv(KernelVariant variant, const reference::ConvParams& params,
                const PackedHybridConv& packed, const Shape& input_shape, const float* input,
                const Shape& filter_shape, const Shape& output_shape, float* output,
                std::byte* scratch);

}  // namespace kernels::optimized
