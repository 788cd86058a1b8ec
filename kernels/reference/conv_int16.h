#pragma once
// CONV_2D in TFLite's 16x8 mode (int16 activations with zero point 0, int8 symmetric
// per-channel filter), as TFLite-Micro's reference_integer_ops::ConvPerChannel<AccumScalar>.
// There is no input or output offset: params.input_offset and params.output_offset are ignored.
//
// The bias type chooses the accumulator, as TFLite-Micro's conv.cc does:
// - int64 bias: acc = bias[c] + sum filter * input in int64, requantized with the int64
//   MultiplyByQuantizedMultiplier (multiplier reduced to Q15, one rounding, ties up).
// - int32 bias, or none: the same sum in int32, requantized with the int32
//   MultiplyByQuantizedMultiplier (TFLite's double rounding). An int32 accumulator holds at
//   least 2^31 / (128 * 32768) = 512 taps at full scale.
// Then clamped to [quantized_activation_min, quantized_activation_max] (within int16).

#include <cstdint>

#include "kernels/reference/conv.h"
#include "kernels/shape.h"

namespace kernels::reference {

void ConvPerChannel(const ConvParams& params, const int32_t* output_multiplier,
                    const int32_t* output_shift, const Shape& input_shape, const int16_t* input,
                    const Shape& filter_shape, const int8_t* filter, const int64_t* bias,
                    const Shape& output_shape, int16_t* output);

void ConvPerChannel(const ConvParams& params, const int32_t* output_multiplier,
                    const int32_t* output_shift, const Shape& input_shape, const int16_t* input,
                    const Shape& filter_shape, const int8_t* filter, const int32_t* bias,
                    const Shape& output_shape, int16_t* output);

}  // namespace kernels::reference
