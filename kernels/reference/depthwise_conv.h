#pragma once
// DEPTHWISE_CONV_2D with TFLite's reference semantics: NHWC input, filter [1, H, W, C * M]
// where M is the depth multiplier; output channel in_channel * M + m reads input channel
// in_channel only. Strides, dilation, leading padding and the fused activation as for CONV_2D.

#include <cstdint>

#include "kernels/reference/conv.h"
#include "kernels/reference/hybrid.h"
#include "kernels/shape.h"

namespace kernels::reference {

struct DepthwiseParams : ConvParams {
  int32_t depth_multiplier = 1;
};

// float32. `bias` may be null.
void DepthwiseConv(const DepthwiseParams& params, const Shape& input_shape, const float* input,
                   const Shape& filter_shape, const float* filter, const float* bias,
                   const Shape& output_shape, float* output);

// int8 per channel, as TFLite-Micro's reference_integer_ops::DepthwiseConvPerChannel: the
// multiplier and shift of output channel in_channel * M + m.
void DepthwiseConvPerChannel(const DepthwiseParams& params, const int32_t* output_multiplier,
                             const int32_t* output_shift, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape, const int8_t* filter,
                             const int32_t* bias, const Shape& output_shape, int8_t* output);

// Hybrid, as TFLite's depthwise_conv.cc EvalHybridPerChannel: inputs always quantized
// asymmetrically per batch, value = acc * (channel_scale * input_scale) + bias, then the clamp.
void HybridDepthwiseConv(const DepthwiseParams& params, const FilterScales& filter_scales,
                         const Shape& input_shape, const float* input, const Shape& filter_shape,
                         const int8_t* filter, const float* bias, const Shape& output_shape,
                         float* output, const HybridScratch& scratch);

}  // namespace kernels::reference
