#pragma once
// MUL with TFLite-Micro reference semantics: float with a fused-activation clamp, and int8 /
// int16 as the product of the offset inputs requantized by s1 * s2 / s_out. Both inputs
// broadcast against each other (numpy rules, up to six dimensions).

#include <cstdint>

#include "kernels/fixed_point.h"
#include "kernels/shape.h"

namespace kernels::reference {

struct MulFloatParams {
  float activation_min;
  float activation_max;
};

struct MulQuantizedParams {
  int32_t input1_offset = 0;  // minus the input zero points
  int32_t input2_offset = 0;
  int32_t output_offset = 0;  // the output zero point
  QuantizedMultiplier output_multiplier;
  int32_t activation_min = 0;
  int32_t activation_max = 0;
};

// TFLite's CalculateOpDataMul: QuantizeMultiplier(s1 * s2 / s_out), each factor widened to
// double before the arithmetic.
MulQuantizedParams MakeMulQuantizedParams(float input1_scale, int32_t input1_zero_point,
                                          float input2_scale, int32_t input2_zero_point,
                                          float output_scale, int32_t output_zero_point,
                                          int32_t activation_min, int32_t activation_max);

// The input shapes must broadcast (checked by the caller at prepare time); `output` holds the
// broadcast shape in row-major order.
void Mul(const MulFloatParams& params, const Shape& input1_shape, const float* input1,
         const Shape& input2_shape, const float* input2, float* output);
void Mul(const MulQuantizedParams& params, const Shape& input1_shape, const int8_t* input1,
         const Shape& input2_shape, const int8_t* input2, int8_t* output);
void Mul(const MulQuantizedParams& params, const Shape& input1_shape, const int16_t* input1,
         const Shape& input2_shape, const int16_t* input2, int16_t* output);

}  // namespace kernels::reference
