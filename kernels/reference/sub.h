#pragma once
// SUB with TFLite-Micro reference semantics (tensorflow/lite/kernels/internal/reference/sub.h):
// float32 and int32 with a fused-activation clamp, and int8 / int16 with TFLite's general input
// rescaling (as ADD: both inputs brought to twice the larger input scale with `left_shift` bits of
// headroom, subtracted, requantized). TFLite-Micro runs int16 SUB through this general path
// whatever the model's pot_scale_int16 says. Both inputs broadcast (numpy rules, up to six
// dimensions).

#include <cstdint>

#include "kernels/reference/add.h"
#include "kernels/shape.h"

namespace kernels::reference {

template <class T>
struct SubClampParams {
  T activation_min;
  T activation_max;
};

// The same fixed-point parameters as ADD's (offsets, the left shift, a multiplier and shift per
// input and for the output, the clamp); only how they are computed differs.
using SubQuantizedParams = AddQuantizedParams;

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
