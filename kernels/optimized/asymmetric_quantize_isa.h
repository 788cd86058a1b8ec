#pragma once
// The per-instruction-set halves of optimized::AsymmetricQuantizeFloats, each in its own .cc
// whose functions carry their target attribute. Called only after a cpuid check.

#include <cstdint>

namespace kernels::optimized::asymmetric_quantize {

// min(0, smallest value) and max(0, largest value) of values[0, size), which is all that
// ChooseAsymmetricGrid uses of the extremes (so a zero-filled tail lane is harmless), or
// found_nan when a NaN is among them (the caller then asks std::minmax_element, whose answer
// depends on where the NaN sits).
struct Extremes {
  float min = 0.0f;
  float max = 0.0f;
  bool found_nan = false;
};

Extremes ExtremesAvx512(const float* values, int64_t size);
Extremes ExtremesAvx2(const float* values, int64_t size);

// quantized[i] = reference::AsymmetricQuantizeValue(values[i], inverse, offset_as_float).
void QuantizeAvx512(const float* values, int64_t size, float inverse, float offset_as_float,
                    int8_t* quantized);
void QuantizeAvx2(const float* values, int64_t size, float inverse, float offset_as_float,
                  int8_t* quantized);

}  // namespace kernels::optimized::asymmetric_quantize
