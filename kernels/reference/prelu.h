#pragma once
// PRELU, TFLite semantics (tensorflow/lite/kernels/internal/reference/prelu.h and TFLite-Micro's
// prelu_common.cc), alpha broadcast against the input:
// - float: x >= 0 ? x : x * alpha;
// - quantized (int8 input with int8 alpha, or int16 input with int8 alpha): x' = x - input zero
//   point; x' >= 0 is scaled by s_in / s_out (multiplier 1), x' < 0 times alpha' = alpha - alpha
//   zero point by s_in * s_alpha / s_out (multiplier 2), both computed in double as TFLite-Micro
//   does; then the output zero point is added and the result clamped to the type.

#include <algorithm>
#include <cstdint>
#include <limits>

#include "kernels/fixed_point.h"
#include "kernels/reference/binary_broadcast.h"
#include "kernels/shape.h"

namespace kernels::reference {

struct PreluParams {
  int32_t input_offset = 0;      // -input zero point
  int32_t alpha_offset = 0;      // -alpha zero point
  int32_t output_offset = 0;     // output zero point
  QuantizedMultiplier positive;  // s_in / s_out
  QuantizedMultiplier negative;  // s_in * s_alpha / s_out
};

inline PreluParams PreparePrelu(float input_scale, int32_t input_zero_point, float alpha_scale,
                                int32_t alpha_zero_point, float output_scale,
                                int32_t output_zero_point) {
  PreluParams p;
  p.input_offset = -input_zero_point;
  p.alpha_offset = -alpha_zero_point;
  p.output_offset = output_zero_point;
  p.positive =
      QuantizeMultiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale));
  p.negative =
      QuantizeMultiplier(static_cast<double>(input_scale) * static_cast<double>(alpha_scale) /
                         static_cast<double>(output_scale));
  return p;
}

inline void Prelu(const Shape& input_shape, const float* input, const Shape& alpha_shape,
                  const float* alpha, float* output) {
  BroadcastBinary(MakeBroadcastDesc(input_shape, alpha_shape), input, alpha, output,
                  [](float x, float a) { return x >= 0.0f ? x : x * a; });
}

// T is int8_t or int16_t; alpha is int8 in both cases, as TFLite-Micro requires.
template <class T>
void Prelu(const PreluParams& p, const Shape& input_shape, const T* input, const Shape& alpha_shape,
           const int8_t* alpha, T* output) {
  BroadcastBinary(
      MakeBroadcastDesc(input_shape, alpha_shape), input, alpha, output, [&p](T x, int8_t a) {
        constexpr int32_t kMin = std::numeric_limits<T>::min();
        constexpr int32_t kMax = std::numeric_limits<T>::max();
        const int32_t value = p.input_offset + x;
        const int32_t scaled =
            value >= 0 ? MultiplyByQuantizedMultiplier(value, p.positive)
                       : MultiplyByQuantizedMultiplier(value * (p.alpha_offset + a), p.negative);
        return static_cast<T>(std::clamp(scaled + p.output_offset, kMin, kMax));
      });
}

}  // namespace kernels::reference
