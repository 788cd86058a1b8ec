#pragma once
// ADD with TFLite-Micro reference semantics: float with a fused-activation clamp, and int8 /
// int16 with TFLite's input rescaling (both inputs brought to a common scale of twice the larger
// input scale, with `left_shift` bits of headroom, then summed and requantized). Both inputs
// broadcast against each other (numpy rules, up to six dimensions).

#include <cstdint>

#include "kernels/shape.h"

namespace kernels::reference {

struct AddFloatParams {
  float activation_min;
  float activation_max;
};

struct AddQuantizedParams {
  int32_t input1_offset = 0;  // minus the input zero points
  int32_t input2_offset = 0;
  int32_t output_offset = 0;  // the output zero point
  int left_shift = 0;         // 20 for int8, 15 for int16
  int32_t input1_multiplier = 0;
  int input1_shift = 0;  // non-positive: a right shift
  int32_t input2_multiplier = 0;
  int input2_shift = 0;
  int32_t output_multiplier = 0;
  int output_shift = 0;
  int32_t activation_min = 0;
  int32_t activation_max = 0;
};

// TFLite's CalculateOpDataAdd: the multipliers are computed in double from the float scales.
// `is_int16` selects the left shift (15 instead of 20).
AddQuantizedParams MakeAddQuantizedParams(float input1_scale, int32_t input1_zero_point,
                                          float input2_scale, int32_t input2_zero_point,
                                          float output_scale, int32_t output_zero_point,
                                          bool is_int16, int32_t activation_min,
                                          int32_t activation_max);

// The input shapes must broadcast (checked by the caller at prepare time); `output` holds the
// broadcast shape in row-major order.
void Add(const AddFloatParams& params, const Shape& input1_shape, const float* input1,
         const Shape& input2_shape, const float* input2, float* output);
void Add(const AddQuantizedParams& params, const Shape& input1_shape, const int8_t* input1,
         const Shape& input2_shape, const int8_t* input2, int8_t* output);
void Add(const AddQuantizedParams& params, const Shape& input1_shape, const int16_t* input1,
         const Shape& input2_shape, const int16_t* input2, int16_t* output);

}  // namespace kernels::reference
