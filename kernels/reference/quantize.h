#pragma once
// QUANTIZE and DEQUANTIZE, TFLite semantics, per tensor.
//   float -> integer: reference_ops::AffineQuantize, round(value / scale) in float with
//     TfLiteRound (half away from zero; std::nearbyint would round ties to even), plus the zero
//     point, clamped to the type.
//   integer -> integer: reference_ops::Requantize with the Q31 multiplier of
//     input_scale / output_scale, TFLite's double rounding.
//   integer -> float: reference_ops::Dequantize, scale * (q - zero_point) with the scale
//     widened to double and the product rounded once to float.
//   float16 -> float: exact widening.

#include <cstdint>

#include "kernels/fixed_point.h"

namespace kernels::reference {

void AffineQuantize(float scale, int32_t zero_point, int64_t size, const float* input,
                    int8_t* output);
void AffineQuantize(float scale, int32_t zero_point, int64_t size, const float* input,
                    uint8_t* output);
void AffineQuantize(float scale, int32_t zero_point, int64_t size, const float* input,
                    int16_t* output);

// The multiplier Requantize uses: QuantizeMultiplier(input_scale / output_scale), the quotient
// taken in double.
QuantizedMultiplier RequantizeMultiplier(float input_scale, float output_scale);

void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int8_t* input, int8_t* output);
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int16_t* input, int8_t* output);
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int8_t* input, int16_t* output);
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int16_t* input, int16_t* output);
// uint8 <-> int8, as TFLite-Micro's QUANTIZE runs a uint8 model input (or output). TFLite's
// shortcut for equal scales and zero points 128 apart (flipping bit 7) gives the same bytes as
// this loop: the multiplier is then exactly 1 and no clamp is reached.
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const uint8_t* input, int8_t* output);
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int8_t* input, uint8_t* output);

void Dequantize(float scale, int32_t zero_point, int64_t size, const int8_t* input, float* output);
void Dequantize(float scale, int32_t zero_point, int64_t size, const uint8_t* input,
                float* output);
void Dequantize(float scale, int32_t zero_point, int64_t size, const int16_t* input,
                float* output);
void DequantizeFloat16(int64_t size, const uint16_t* input, float* output);

}  // namespace kernels::reference
