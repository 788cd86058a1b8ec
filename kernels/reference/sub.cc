#include "kernels/reference/sub.h"

#include <algorithm>

#include "kernels/fixed_point.h"
#include "kernels/reference/binary_broadcast.h"

namespace kernels::reference {
namespace {

// One output element, as TFLite's SubElementwise / BroadcastQuantSubSlow: int32 throughout; the
// offset inputs fit in 9 / 17 bits, so the left shift cannot overflow.
template <class T>
T SubQuantized(T x, T y, const SubQuantizedParams& p) {
  const int32_t shifted1 = (p.input1_offset + x) * (1 << p.left_shift);
  const int32_t shifted2 = (p.input2_offset + y) * (1 << p.left_shift);
  const int32_t scaled1 =
      MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted1, p.input1_multiplier, p.input1_shift);
  const int32_t scaled2 =
      MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted2, p.input2_multiplier, p.input2_shift);
  const int32_t raw_output = MultiplyByQuantizedMultiplierSmallerThanOneExp(
                                 scaled1 - scaled2, p.output_multiplier, p.output_shift) +
                             p.output_offset;
  return static_cast<T>(std::clamp(raw_output, p.activation_min, p.activation_max));
}

template <class T>
void SubQuantizedBroadcast(const SubQuantizedParams& params, const Shape& input1_shape,
                           const T* input1, const Shape& input2_shape, const T* input2, T* output) {
  BroadcastBinary(MakeBroadcastDesc(input1_shape, input2_shape), input1, input2, output,
                  [&params](T x, T y) { return SubQuantized(x, y, params); });
}

}  // namespace

SubQuantizedParams MakeSubQuantizedParams(float input1_scale, int32_t input1_zero_point,
                                          float input2_scale, int32_t input2_zero_point,
                                          float output_scale, int32_t output_zero_point,
                                          bool is_int16, int32_t activation_min,
                                          int32_t activation_max) {
  SubQuantizedParams p;
  p.input1_offset = -input1_zero_point;
  p.input2_offset = -input2_zero_point;
  p.output_offset = output_zero_point;
  p.left_shift = is_int16 ? 15 : 20;
  // All in float, widened to double only for QuantizeMultiplier (sub_common.cc).
  const float twice_max_input_scale = 2 * std::max(input1_scale, input2_scale);
  const auto real_input1 = static_cast<double>(input1_scale / twice_max_input_scale);
  const auto real_input2 = static_cast<double>(input2_scale / twice_max_input_scale);
  const auto real_output = static_cast<double>(
      twice_max_input_scale / (static_cast<float>(1 << p.left_shift) * output_scale));
  const QuantizedMultiplier m1 = QuantizeMultiplier(real_input1);
  const QuantizedMultiplier m2 = QuantizeMultiplier(real_input2);
  const QuantizedMultiplier mo = QuantizeMultiplier(real_output);
  p.input1_multiplier = m1.multiplier;
  p.input1_shift = m1.shift;
  p.input2_multiplier = m2.multiplier;
  p.input2_shift = m2.shift;
  p.output_multiplier = mo.multiplier;
  p.output_shift = mo.shift;
  p.activation_min = activation_min;
  p.activation_max = activation_max;
  return p;
}

void Sub(const SubClampParams<float>& params, const Shape& input1_shape, const float* input1,
         const Shape& input2_shape, const float* input2, float* output) {
  BroadcastBinary(MakeBroadcastDesc(input1_shape, input2_shape), input1, input2, output,
                  [&params](float x, float y) {
                    return std::min(std::max(x - y, params.activation_min), params.activation_max);
                  });
}

void Sub(const SubClampParams<int32_t>& params, const Shape& input1_shape, const int32_t* input1,
         const Shape& input2_shape, const int32_t* input2, int32_t* output) {
  BroadcastBinary(MakeBroadcastDesc(input1_shape, input2_shape), input1, input2, output,
                  [&params](int32_t x, int32_t y) {
                    // Unsigned arithmetic: the wrap-around without signed overflow.
                    const auto d =
                        static_cast<int32_t>(static_cast<uint32_t>(x) - static_cast<uint32_t>(y));
                    return std::clamp(d, params.activation_min, params.activation_max);
                  });
}

void Sub(const SubQuantizedParams& params, const Shape& input1_shape, const int8_t* input1,
         const Shape& input2_shape, const int8_t* input2, int8_t* output) {
  SubQuantizedBroadcast(params, input1_shape, input1, input2_shape, input2, output);
}

void Sub(const SubQuantizedParams& params, const Shape& input1_shape, const int16_t* input1,
         const Shape& input2_shape, const int16_t* input2, int16_t* output) {
  SubQuantizedBroadcast(params, input1_shape, input1, input2_shape, input2, output);
}

}  // namespace kernels::reference
