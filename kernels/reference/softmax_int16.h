#pragma once
// SOFTMAX int16 -> int16, TFLite-Micro's SoftmaxInt16 (16x8 quantization mode). Output scale
// 1/32768, zero point 0. Per row:
//   1. d = x - max(row) rescaled by beta * input_scale / (10 / 65535)
//   (MultiplyByQuantizedMultiplier,
//      double rounding), so that [-65535, 0] stands for [-10, 0]; re-centred by +32767 and
//      saturated to int16;
//   2. exp(d) from an interpolated table on [-10, 0], in Q0.15;
//   3. the int32 sum of the exps normalized into [1, 2) (Q1.14, rounded), 1 / sum from an
//      interpolated 1 / (1 + x) table on [0, 1];
//   4. each exp times that reciprocal, shifted back by the normalization (rounded half up) and
//      clamped to [0, 32767].
// The tables are built once per op at prepare time, as TFLite-Micro does in Prepare.

#include <cstdint>

#include "kernels/reference/int16_lut.h"
#include "kernels/shape.h"

namespace kernels::reference {

struct SoftmaxInt16Params {
  int32_t input_multiplier = 0;        // QuantizeMultiplier(beta * input_scale / (10 / 65535))
  int input_shift = 0;                 // its exponent (> 0: left shift)
  Int16Lut exp_lut{};                  // exp on [-10, 0] to [-1, 1) in Q0.15
  Int16Lut one_over_one_plus_x_lut{};  // 1 / (1 + x) on [0, 1] to [-1, 1) in Q0.15
};

// TFLite-Micro's SoftmaxPrepare / CalculateSoftmaxParams for an int16 input: the rescale is
// computed in double from the float scale and beta.
SoftmaxInt16Params PrepareSoftmaxInt16(float beta, float input_scale);

// Softmax over the last dimension. A row's exps are summed in int32, which bounds a row to
// 65537 elements (TFLite-Micro has the same bound).
void SoftmaxInt16(const SoftmaxInt16Params& params, const Shape& shape, const int16_t* input,
                  int16_t* output);

}  // namespace kernels::reference
