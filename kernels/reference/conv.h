#pragma once
// CONV_2D with TFLite's reference semantics: NHWC input, OHWI filter (O output channels, I input
// channels per group), optional bias, strides, dilation, explicit leading padding (the padded
// area contributes nothing) and a fused activation clamp.

#include <cstdint>
#include <limits>

#include "kernels/reference/hybrid.h"
#include "kernels/shape.h"

namespace kernels::reference {

// Parameters shared by the convolution kernels (and reused by their optimized variants).
struct ConvParams {
  int32_t stride_width = 1;
  int32_t stride_height = 1;
  int32_t dilation_width = 1;
  int32_t dilation_height = 1;
  int32_t padding_width = 0;  // leading padding, as TFLite's padding_values
  int32_t padding_height = 0;
  // Integer kernels: added to every input value (minus the input zero point) and to every
  // requantized output (the output zero point).
  int32_t input_offset = 0;
  int32_t output_offset = 0;
  int32_t quantized_activation_min = std::numeric_limits<int8_t>::min();
  int32_t quantized_activation_max = std::numeric_limits<int8_t>::max();
  // Float and hybrid kernels.
  float float_activation_min = -std::numeric_limits<float>::infinity();
  float float_activation_max = std::numeric_limits<float>::infinity();
};

// float32. `bias` may be null.
void Conv(const ConvParams& params, const Shape& input_shape, const float* input,
          const Shape& filter_shape, const float* filter, const float* bias,
          const Shape& output_shape, float* output);

// int8 with per-channel requantization, as TFLite-Micro's reference_integer_ops::ConvPerChannel:
// acc = bias[c] + sum filter * (input + input_offset) in int32, then
// MultiplyByQuantizedMultiplier(acc, output_multiplier[c], output_shift[c]) + output_offset,
// clamped to the quantized activation range. The filter zero point is 0. `bias` may be null.
void ConvPerChannel(const ConvParams& params, const int32_t* output_multiplier,
                    const int32_t* output_shift, const Shape& input_shape, const int8_t* input,
                    const Shape& filter_shape, const int8_t* filter, const int32_t* bias,
                    const Shape& output_shape, int8_t* output);

// Hybrid: float input, int8 filter, float bias and output. As TFLite's conv.cc, a filter with
// differing per-channel scales takes the EvalHybridPerChannel path (inputs quantized
// asymmetrically per batch, acc * channel_scale * input_scale), any other filter the EvalHybrid
// path (symmetric inputs, acc * (input_scale * filter_scale)); the bias is added in float, then
// the activation clamp. `scratch` holds HybridScratchBytes(batches, H * W * C) bytes.
void HybridConv(const ConvParams& params, const FilterScales& filter_scales,
                const Shape& input_shape, const float* input, const Shape& filter_shape,
                const int8_t* filter, const float* bias, const Shape& output_shape, float* output,
                const HybridScratch& scratch);

}  // namespace kernels::reference
