#pragma once
// LEAKY_RELU, TFLite semantics (tensorflow/lite/kernels/internal/reference/leaky_relu.h):
// f(x) = x for x > 0, alpha * x otherwise, for any alpha (> 1 and < 0 included).
//
// Quantized: x - input_zero_point is scaled by s_in / s_out (x >= 0) or by
// s_in * alpha / s_out (x < 0), each a Q31 multiplier with TFLite's double rounding, then
// offset by the output zero point and clamped to the type. TFLite-Micro computes both real
// multipliers in float before widening to double (leaky_relu_common.cc); so does Prepare here,
// which is what makes the multipliers bit-identical.

#include <algorithm>
#include <cstdint>
#include <limits>

#include "kernels/fixed_point.h"

namespace kernels::reference {

inline void LeakyReluFloat(float alpha, int64_t size, const float* input, float* output) {
  for (int64_t i = 0; i < size; ++i) {
    const float x = input[i];
    // Not std::max(x, alpha * x): alpha may be > 1 or negative.
    output[i] = x > 0.0f ? x : x * alpha;
  }
}

struct LeakyReluParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  QuantizedMultiplier identity;  // s_in / s_out
  QuantizedMultiplier alpha;     // s_in * alpha / s_out (negative for a negative alpha)
};

inline LeakyReluParams PrepareLeakyRelu(float input_scale, int32_t input_zero_point,
                                        float output_scale, int32_t output_zero_point,
                                        float alpha) {
  LeakyReluParams p;
  p.input_zero_point = input_zero_point;
  p.output_zero_point = output_zero_point;
  // Float products and quotients first, as TFLite-Micro's CalculateOpDataLeakyRelu.
  const float alpha_multiplier = input_scale * alpha / output_scale;
  const float identity_multiplier = input_scale / output_scale;
  p.alpha = QuantizeMultiplier(static_cast<double>(alpha_multiplier));
  p.identity = QuantizeMultiplier(static_cast<double>(identity_multiplier));
  return p;
}

// T is int8_t or int16_t (TFLite's QuantizeLeakyRelu<T>).
template <class T>
void LeakyReluQuantized(const LeakyReluParams& p, int64_t size, const T* input, T* output) {
  constexpr int32_t kMin = std::numeric_limits<T>::min();
  constexpr int32_t kMax = std::numeric_limits<T>::max();
  for (int64_t i = 0; i < size; ++i) {
    const int32_t x = static_cast<int32_t>(input[i]) - p.input_zero_point;
    const QuantizedMultiplier& m = x >= 0 ? p.identity : p.alpha;
    const int32_t y = p.output_zero_point + MultiplyByQuantizedMultiplier(x, m);
    output[i] = static_cast<T>(std::clamp(y, kMin, kMax));
  }
}

}  // namespace kernels::reference
