#include "kernels/reference/mul.h"

#include <algorithm>

#include "kernels/reference/binary_broadcast.h"

namespace kernels::reference {
namespace {

// One output element, as TFLite's MulElementwise: the int32 product of the offset inputs (at
// most 2^16 for int8, 2^30 for int16) requantized with double rounding.
template <class T>
T MulQuantized(T x, T y, const MulQuantizedParams& p) {
  const int32_t input1_value = p.input1_offset + x;
  const int32_t input2_value = p.input2_offset + y;
  const int32_t result =
      p.output_offset + MultiplyByQuantizedMultiplier(input1_value * input2_value,
                                                      p.output_multiplier);
  return static_cast<T>(std::clamp(result, p.activation_min, p.activation_max));
}

template <class T>
void MulQuantizedBroadcast(const MulQuantizedParams& params, const Shape& input1_shape,
                           const T* input1, const Shape& input2_shape, const T* input2,
                           T* output) {
  BroadcastBinary(MakeBroadcastDesc(input1_shape, input2_shape), input1, input2, output,
                  [&params](T x, T y) { return MulQuantized(x, y, params); });
}

}  // namespace

MulQuantizedParams MakeMulQuantizedParams(float input1_scale, int32_t input1_zero_point,
                                          float input2_scale, int32_t input2_zero_point,
                                          float output_scale, int32_t output_zero_point,
                                          int32_t activation_min, int32_t activation_max) {
  MulQuantizedParams p;
  p.input1_offset = -input1_zero_point;
  p.input2_offset = -input2_zero_point;
  p.output_offset = output_zero_point;
  const double real_multiplier = static_cast<double>(input1_scale) *
                                 static_cast<double>(input2_scale) /
                                 static_cast<double>(output_scale);
  p.output_multiplier = QuantizeMultiplier(real_multiplier);
  p.activation_min = activation_min;
  p.activation_max = activation_max;
  return p;
}

void Mul(const MulFloatParams& params, const Shape& input1_shape, const float* input1,
         const Shape& input2_shape, const float* input2, float* output) {
  BroadcastBinary(MakeBroadcastDesc(input1_shape, input2_shape), input1, input2, output,
                  [&params](float x, float y) {
                    return std::min(std::max(x * y, params.activation_min), params.activation_max);
                  });
}

void Mul(const MulQuantizedParams& params, const Shape& input1_shape, const int8_t* input1,
         const Shape& input2_shape, const int8_t* input2, int8_t* output) {
  MulQuantizedBroadcast(params, input1_shape, input1, input2_shape, input2, output);
}

void Mul(const MulQuantizedParams& params, const Shape& input1_shape, const int16_t* input1,
         const Shape& input2_shape, const int16_t* input2, int16_t* output) {
  MulQuantizedBroadcast(params, input1_shape, input1, input2_shape, input2, output);
}

}  // namespace kernels::reference
