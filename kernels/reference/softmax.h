#pragma once
// SOFTMAX over the last dimension, TFLite semantics. Float: subtract the row maximum, exp of
// beta times the difference, normalize. Int8: TFLite's integer algorithm (reference_ops::Softmax
// with SoftmaxParams): differences to the row maximum rescaled into F5 fixed point, exp in
// fixed point, sum in F12, one reciprocal per row; the output has the spec's fixed quantization
// (int8: scale 1/256, zero point -128; int16: scale 1/65536, zero point -32768).

#include <cstdint>
#include <optional>

#include "kernels/shape.h"

namespace kernels::reference {

void SoftmaxFloat(float beta, const Shape& shape, const float* input, float* output);

struct SoftmaxInt8Params {
  int32_t input_multiplier = 0;  // beta * input_scale * 2^26 as a Q31 multiplier ...
  int input_left_shift = 0;      // ... and its left shift (>= 0)
  int32_t diff_min = 0;          // differences below this contribute exactly zero
};

// TFLite's PreprocessSoftmaxScaling (kScaledDiffIntegerBits = 5) and CalculateInputRadius;
// nullopt where TFLite refuses (beta * input_scale * 2^26 not above 1).
std::optional<SoftmaxInt8Params> PrepareSoftmaxInt8(double beta, double input_scale);

void SoftmaxInt8(const SoftmaxInt8Params& params, const Shape& shape, const int8_t* input,
                 int8_t* output);
void SoftmaxInt8ToInt16(const SoftmaxInt8Params& params, const Shape& shape, const int8_t* input,
                        int16_t* output);

}  // namespace kernels::reference
