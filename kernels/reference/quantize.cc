#include "kernels/reference/quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/float16.h"

namespace kernels::reference {

namespace {

template <class T>
void AffineQuantizeTo(float scale, int32_t zero_point, int64_t size, const float* input,
                      T* output) {
  constexpr int32_t kMin = std::numeric_limits<T>::min();
  constexpr int32_t kMax = std::numeric_limits<T>::max();
  // Bounds for the float-to-int conversion: anything beyond them clamps to the type anyway,
  // and converting an out-of-range float to int32 would be undefined.
  constexpr float kLimit = 1073741824.0f;  // 2^30
  for (int64_t i = 0; i < size; ++i) {
    const float rounded = std::round(input[i] / scale);
    int32_t unclamped = 0;
    if (std::isnan(rounded)) {
      unclamped = zero_point;
    } else {
      unclamped = static_cast<int32_t>(std::clamp(rounded, -kLimit, kLimit)) + zero_point;
    }
    output[i] = static_cast<T>(std::clamp(unclamped, kMin, kMax));
  }
}

template <class In, class Out>
void RequantizeTo(QuantizedMultiplier multiplier, int32_t input_zero_point,
                  int32_t output_zero_point, int64_t size, const In* input, Out* output) {
  constexpr int32_t kMin = std::numeric_limits<Out>::min();
  constexpr int32_t kMax = std::numeric_limits<Out>::max();
  for (int64_t i = 0; i < size; ++i) {
    const int32_t x = static_cast<int32_t>(input[i]) - input_zero_point;
    const int32_t y = MultiplyByQuantizedMultiplier(x, multiplier) + output_zero_point;
    output[i] = static_cast<Out>(std::clamp(y, kMin, kMax));
  }
}

template <class T>
void DequantizeFrom(float scale, int32_t zero_point, int64_t size, const T* input,
                    float* output) {
  const auto wide_scale = static_cast<double>(scale);
  for (int64_t i = 0; i < size; ++i) {
    const int32_t centered = static_cast<int32_t>(input[i]) - zero_point;
    output[i] = static_cast<float>(wide_scale * centered);
  }
}

}  // namespace

void AffineQuantize(float scale, int32_t zero_point, int64_t size, const float* input,
                    int8_t* output) {
  AffineQuantizeTo(scale, zero_point, size, input, output);
}
void AffineQuantize(float scale, int32_t zero_point, int64_t size, const float* input,
                    uint8_t* output) {
  AffineQuantizeTo(scale, zero_point, size, input, output);
}
void AffineQuantize(float scale, int32_t zero_point, int64_t size, const float* input,
                    int16_t* output) {
  AffineQuantizeTo(scale, zero_point, size, input, output);
}

QuantizedMultiplier RequantizeMultiplier(float input_scale, float output_scale) {
  return QuantizeMultiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale));
}

void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int8_t* input, int8_t* output) {
  RequantizeTo(multiplier, input_zero_point, output_zero_point, size, input, output);
}
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int16_t* input, int8_t* output) {
  RequantizeTo(multiplier, input_zero_point, output_zero_point, size, input, output);
}
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int8_t* input, int16_t* output) {
  RequantizeTo(multiplier, input_zero_point, output_zero_point, size, input, output);
}
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int16_t* input, int16_t* output) {
  RequantizeTo(multiplier, input_zero_point, output_zero_point, size, input, output);
}
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const uint8_t* input, int8_t* output) {
  RequantizeTo(multiplier, input_zero_point, output_zero_point, size, input, output);
}
void Requantize(QuantizedMultiplier multiplier, int32_t input_zero_point, int32_t output_zero_point,
                int64_t size, const int8_t* input, uint8_t* output) {
  RequantizeTo(multiplier, input_zero_point, output_zero_point, size, input, output);
}

void Dequantize(float scale, int32_t zero_point, int64_t size, const int8_t* input,
                float* output) {
  DequantizeFrom(scale, zero_point, size, input, output);
}
void Dequantize(float scale, int32_t zero_point, int64_t size, const uint8_t* input,
                float* output) {
  DequantizeFrom(scale, zero_point, size, input, output);
}
void Dequantize(float scale, int32_t zero_point, int64_t size, const int16_t* input,
                float* output) {
  DequantizeFrom(scale, zero_point, size, input, output);
}

void DequantizeFloat16(int64_t size, const uint16_t* input, float* output) {
  for (int64_t i = 0; i < size; ++i) output[i] = HalfToFloat(input[i]);
}

}  // namespace kernels::reference
