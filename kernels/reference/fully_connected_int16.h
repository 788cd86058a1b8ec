#pragma once
// FULLY_CONNECTED in TFLite's 16x8 mode (int16 activations with zero point 0, int8 weights), as
// TFLite-Micro's reference_integer_ops::FullyConnected<AccumScalar> and
// FullyConnectedPerChannel<AccumScalar> for int16 input. No input or output offset:
// params.input_offset and params.output_offset are ignored.
//
// The bias type chooses the accumulator, as TFLite-Micro's fully_connected.cc does:
// - int64 bias: the dot product and bias in int64, requantized with the int64
//   MultiplyByQuantizedMultiplier (multiplier reduced to Q15, one rounding, ties up);
// - int32 bias, or none: in int32, requantized with the int32 MultiplyByQuantizedMultiplier
//   (double rounding).
// Then clamped to [quantized_activation_min, quantized_activation_max] (within int16).

#include <cstdint>

#include "kernels/reference/fully_connected.h"
#include "kernels/shape.h"

namespace kernels::reference {

// Per tensor: one multiplier and shift (params.output_multiplier / output_shift); the weights
// may carry a zero point, subtracted as params.filter_offset (TFLite-Micro keeps it for
// per-tensor weights).
void FullyConnected(const FullyConnectedParams& params, const Shape& input_shape,
                    const int16_t* input, const Shape& filter_shape, const int8_t* filter,
                    const int64_t* bias, const Shape& output_shape, int16_t* output);
void FullyConnected(const FullyConnectedParams& params, const Shape& input_shape,
                    const int16_t* input, const Shape& filter_shape, const int8_t* filter,
                    const int32_t* bias, const Shape& output_shape, int16_t* output);

// Per output channel: output_multiplier[c] / output_shift[c]; symmetric weights (no offset).
void FullyConnectedPerChannel(const FullyConnectedParams& params, const int32_t* output_multiplier,
                              const int32_t* output_shift, const Shape& input_shape,
                              const int16_t* input, const Shape& filter_shape, const int8_t* filter,
                              const int64_t* bias, const Shape& output_shape, int16_t* output);
void FullyConnectedPerChannel(const FullyConnectedParams& params, const int32_t* output_multiplier,
                              const int32_t* output_shift, const Shape& input_shape,
                              const int16_t* input, const Shape& filter_shape, const int8_t* filter,
                              const int32_t* bias, const Shape& output_shape, int16_t* output);

}  // namespace kernels::reference
