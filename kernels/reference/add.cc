#include "kernels/reference/add.h"

#include <algorithm>

#include "kernels/fixed_point.h"
#include "kernels/reference/binary_broadcast.h"

namespace kernels::reference {
namespace {

// TFLite's QuantizeMultiplierSmallerThanOneExp: QuantizeMultiplier, whose exponent is then
// used as a (non-positive) left shift.
void QuantizeSmallerThanOne(double real, int32_t* multiplier, int* shift) {
  const QuantizedMultiplier q = QuantizeMultiplier(real);
  *multiplier = q.multiplier;
  *shift = q.shift;
}

// One output element, as TFLite's AddFunc: all intermediate values are int32; the left shift is
// a multiplication by 1 << left_shift (offset inputs fit in 9 / 17 bits, so it cannot overflow).
template <class T>
T AddQuantized(T x, T y, const AddQuantizedParams& p) {
  const int32_t input1_value = p.input1_offset + x;
  const int32_t input2_value = p.input2_offset + y;
  const int32_t shifted1 = input1_value * (1 << p.left_shift);
  const int32_t shifted2 = input2_value * (1 << p.left_shift);
  const int32_t scaled1 =
      MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted1, p.input1_multiplier, p.input1_shift);
  const int32_t scaled2 =
      MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted2, p.input2_multiplier, p.input2_shift);
  const int32_t raw_sum = scaled1 + scaled2;
  const int32_t raw_output = MultiplyByQuantizedMultiplierSmallerThanOneExp(
                                 raw_sum, p.output_multiplier, p.output_shift) +
                             p.output_offset;
  return static_cast<T>(std::clamp(raw_output, p.activation_min, p.activation_max));
}

template <class T>
void AddQuantizedBroadcast(const AddQuantizedParams& params, const Shape& input1_shape,
                           const T* input1, const Shape& input2_shape, const T* input2,
                           T* output) {
  BroadcastBinary(MakeBroadcastDesc(input1_shape, input2_shape), input1, input2, output,
                  [&params](T x, T y) { return AddQuantized(x, y, params); });
}

}  // namespace

AddQuantizedParams MakeAddQuantizedParams(float input1_scale, int32_t input1_zero_point,
                                          float input2_scale, int32_t input2_zero_point,
                                          float output_scale, int32_t output_zero_point,
                                          bool is_int16, int32_t activation_min,
                                          int32_t activation_max) {
  AddQuantizedParams p;
  p.input1_offset = -input1_zero_point;
  p.input2_offset = -input2_zero_point;
  p.output_offset = output_zero_point;
  p.left_shift = is_int16 ? 15 : 20;
  // The max is taken in float, the rest in double, exactly as TFLite-Micro's add_common.cc.
  const double twice_max_input_scale = 2 * static_cast<double>(std::max(input1_scale, input2_scale));
  const double real_input1_multiplier = static_cast<double>(input1_scale) / twice_max_input_scale;
  const double real_input2_multiplier = static_cast<double>(input2_scale) / twice_max_input_scale;
  const double real_output_multiplier =
      twice_max_input_scale / ((1 << p.left_shift) * static_cast<double>(output_scale));
  QuantizeSmallerThanOne(real_input1_multiplier, &p.input1_multiplier, &p.input1_shift);
  QuantizeSmallerThanOne(real_input2_multiplier, &p.input2_multiplier, &p.input2_shift);
  QuantizeSmallerThanOne(real_output_multiplier, &p.output_multiplier, &p.output_shift);
  p.activation_min = activation_min;
  p.activation_max = activation_max;
  return p;
}

void Add(const AddFloatParams& params, const Shape& input1_shape, const float* input1,
         const Shape& input2_shape, const float* input2, float* output) {
  BroadcastBinary(MakeBroadcastDesc(input1_shape, input2_shape), input1, input2, output,
                  [&params](float x, float y) {
                    return std::min(std::max(x + y, params.activation_min), params.activation_max);
                  });
}

void Add(const AddQuantizedParams& params, const Shape& input1_shape, const int8_t* input1,
         const Shape& input2_shape, const int8_t* input2, int8_t* output) {
  AddQuantizedBroadcast(params, input1_shape, input1, input2_shape, input2, output);
}

void Add(const AddQuantizedParams& params, const Shape& input1_shape, const int16_t* input1,
         const Shape& input2_shape, const int16_t* input2, int16_t* output) {
  AddQuantizedBroadcast(params, input1_shape, input1, input2_shape, input2, output);
}

}  // namespace kernels::reference
