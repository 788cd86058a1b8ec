#pragma once
// Optimized hybrid DEPTHWISE_CONV_2D (float activations, int8 weights), bit-identical to
// reference::HybridDepthwiseConv. Each batch of the input is quantized over its whole H*W*C
// asymmetrically, as the reference does, by the vectorized QuantizeBatches
// (asymmetric_quantize.h, identical bytes); then, per batch, the int8 depthwise kernels'
// accumulation runs with input_offset = -zero_point: sum over the taps inside the image of
// w * (q - zero_point) in int32, exact, so the reference's accumulator. Only their output stage
// differs: the reference's float expression, in its order,
//   clamp(float(acc) * (channel_scale * batch_scale) [+ bias]).
//
// Use: PackHybridDepthwise once at prepare, then per call HybridDepthwiseConv with the
// reference's scratch (reference::HybridScratchBytes / HybridScratchAt).

#include <cstdint>
#include <vector>

#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/packed_weights.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/reference/hybrid.h"
#include "kernels/shape.h"

namespace kernels::optimized {

struct PackedHybridDepthwise {
  // The filter as the int8 kernels read it, with a zero int32 bias (the float bias is added
  // after the scaling). Its requantization fields are unused.
  PackedDepthwiseInt8 accumulation;
  std::vector<float> channel_scale;  // per output channel (a per-tensor scale repeated)
  // Per output channel; -0.0f when the model has none: x + -0.0f == x for every x, -0 included,
  // where +0.0f would turn a -0 result into +0 (the reference adds nothing).
  std::vector<float> bias;
};

// `filter` is [1, H, W, channels] with taps = H * W; `bias` may be null.
PackedHybridDepthwise PackHybridDepthwise(const int8_t* filter, int taps, int channels,
                                          const float* bias,
                                          const reference::FilterScales& filter_scales);

// As reference::HybridDepthwiseConv with the scales and bias given to PackHybridDepthwise.
// `variant` is one the CPU supports (kReference runs the portable code).
void HybridDepthwiseConv(KernelVariant variant, const reference::DepthwiseParams& params,
                         const PackedHybridDepthwise& packed, const Shape& input_shape,
                         const float* input, const Shape& filter_shape, const Shape& output_shape,
                         float* output, const reference::HybridScratch& scratch);

}  // namespace kernels::optimized
