#pragma once
// DEPTHWISE_CONV_2D in TFLite's 16x8 mode, as TFLite-Micro's 16-bit
// reference_integer_ops::DepthwiseConvPerChannel: int16 input and output (zero point 0, so no
// offsets: params.input_offset and params.output_offset are ignored), int8 per-channel filter,
// optional int64 bias (TFLite-Micro's 16x8 depthwise takes no other bias type). acc = bias[c] +
// sum filter * input in int64, requantized with the int64 MultiplyByQuantizedMultiplier
// (multiplier reduced to Q15, one rounding, ties up), clamped to the activation range.

#include <cstdint>

#include "kernels/reference/depthwise_conv.h"
#include "kernels/shape.h"

namespace kernels::reference {

void DepthwiseConvPerChannel(const DepthwiseParams& params, const int32_t* output_multiplier,
                             const int32_t* output_shift, const Shape& input_shape,
                             const int16_t* input, const Shape& filter_shape, const int8_t* filter,
                             const int64_t* bias, const Shape& output_shape, int16_t* output);

}  // namespace kernels::reference
