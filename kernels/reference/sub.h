#pragma once
// SUB with TFLite-Micro reference semantics (tensorflow/lite/kernels/internal/reference/sub.h):
// float32 and int32 with a fused-activation clamp, and int8 / int16 with TFLite's general input
// rescaling (as ADD: both inputs brought to twice the larger input scale with `left_shift` bits of
// headroom, subtracted, requantized). TFLite-Micro runs int16 SUB through this general path
// whatever the model's pot_scale_int16 says. Both inputs broadcast (numpy rules, up to six
// dimensions).

#include <cstdint>

#include "kernels/shape.h"

namespace kernels::reference {

template <class T>
struct SubClampParams {
  T activation_min;
  T activation_max;
};

struct SubQuantizedParams {
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

// TFLite-Micro's CalculateOpDataSub. Unlike ADD's, every quotient is taken in float and only
// then widened to double, which can change a multiplier's last bit.
SubQuantizedParams MakeSubQuantizedParams(float input1_scale, int32_t input1_zero_point,
                                          float input2_scale, int32_t input2_zero_point,
                                          float output_scale, int32_t output_zero_point,
                                          bool is_int16, int32_t activation_min,
                                          int32_t activation_max);

// The input shapes must broadcast (checked by the caller at prepare time); `output` holds the
// broadcast shape in row-major order.
void Sub(const SubClampParams<float>& params, const Shape& input1_shape, const float* input1,
         const Shape& input2_shape, const float* input2, float* output);
// int32 wraps on overflow as TFLite-Micro's two's-complement build does, then clamps.
void Sub(const SubClampParams<int32_t>& params, const Shape& input1_shape, const int32_t* input1,
         const Shape& input2_shape, const int32_t* input2, int32_t* output);
void Sub(const SubQuantizedParams& params, const Shape& input1_shape, const int8_t* input1,
         const Shape& input2_shape, const int8_t* input2, int8_t* output);
void Sub(const SubQuantizedParams& params, const Shape& input1_shape, const int16_t* input1,
         const Shape& input2_shape, const int16_t* input2, int16_t* output);

}  // namespace kernels::reference
