#pragma once
// LOGISTIC (sigmoid), TFLite semantics. Float: reference_ops::Logistic with its cutoffs. Int8:
// TFLite-Micro's integer algorithm (reference_integer_ops::Logistic): the input, less its zero
// point, is rescaled into F4 fixed point, gemmlowp's logistic runs on it, and the Q0 result
// becomes the spec's fixed output quantization (scale 1/256, zero point -128).

#include <cstdint>

namespace kernels::reference {

// The input scaling shared by the int8 logistic and tanh: input * input_scale in F4 fixed point
// is MultiplyByQuantizedMultiplier(input - zero_point, input_multiplier, input_left_shift);
// inputs at or beyond +-input_range_radius saturate the output without any arithmetic.
struct Int8ToF4Params {
  int32_t input_zero_point = 0;
  int32_t input_range_radius = 0;
  int32_t input_multiplier = 0;
  int input_left_shift = 0;
};

// TFLite-Micro's prepare step: frexp of input_scale * 2^27 (computed in double) and the
// mantissa rounded half away from zero into Q31, not QuantizeMultiplierGreaterThanOne.
Int8ToF4Params PrepareInt8ToF4(float input_scale, int32_t input_zero_point);

void LogisticFloat(int64_t size, const float* input, float* output);
void LogisticInt8(const Int8ToF4Params& params, int64_t size, const int8_t* input,
                  int8_t* output);

}  // namespace kernels::reference
