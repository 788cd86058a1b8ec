#pragma once
// TRANSPOSE_CONV with TFLite-Micro reference semantics (reference_ops::TransposeConv and
// reference_integer_ops::TransposeConv): a "scatter" loop over the input elements, in TFLite's
// order (batch, input row, input column, input channel, filter row, filter column, output
// channel), adds input * filter to every output element it reaches; then the bias is added and
// the result clamped (float) or requantized per output channel.
//
// - float32: accumulated in the output itself, in that order (which fixes the float rounding).
// - int8: (input + input_offset) * filter summed in int32 scratch, plus an int32 bias,
//   MultiplyByQuantizedMultiplier (double rounding), plus the output zero point, clamped.
// - int16x8: input * filter summed in int64 scratch, plus an int64 bias, the int64
//   MultiplyByQuantizedMultiplier, clamped; no input or output offset (zero points are 0).
// Filter: [output_channels, filter_height, filter_width, input_channels]; input and output NHWC.

#include <cstdint>

#include "kernels/shape.h"

namespace kernels::reference {

struct TransposeConvParams {
  int32_t stride_height = 1;
  int32_t stride_width = 1;
  int32_t pad_height = 0;  // TFLite's padding_values, computed as for a conv from output to input
  int32_t pad_width = 0;
  int32_t input_offset = 0;    // int8: minus the input zero point
  int32_t output_offset = 0;   // int8: the output zero point
  int32_t activation_min = 0;  // quantized clamp
  int32_t activation_max = 0;
  float float_activation_min = 0.0f;
  float float_activation_max = 0.0f;
};

// `bias` may be null.
void TransposeConv(const TransposeConvParams& params, const Shape& input_shape, const float* input,
                   const Shape& filter_shape, const float* filter, const float* bias,
                   const Shape& output_shape, float* output);

// `scratch` holds output_shape.FlatSize() accumulators.
void TransposeConvPerChannel(const TransposeConvParams& params, const int32_t* output_multiplier,
                             const int32_t* output_shift, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape, const int8_t* filter,
                             const int32_t* bias, const Shape& output_shape, int8_t* output,
                             int32_t* scratch);
void TransposeConvPerChannel(const TransposeConvParams& params, const int32_t* output_multiplier,
                             const int32_t* output_shift, const Shape& input_shape,
                             const int16_t* input, const Shape& filter_shape, const int8_t* filter,
                             const int64_t* bias, const Shape& output_shape, int16_t* output,
                             int64_t* scratch);

}  // namespace kernels::reference
