#pragma once
// TFLite's QUANTIZE of float values into int8, uint8 or int16 bytes, the way the MLPerf Tiny
// reference pipeline did it: quotient in double, rounded half away from zero, clamped. One scalar
// definition (QuantizeValue) and vector loops (AVX-512F, AVX2) that give the same bytes for every
// float, NaN, infinities, ties and denormals included; the widest the CPU runs is chosen once.

#include <cstddef>
#include <cstdint>
#include <span>

#include "kernels/optimized/asymmetric_quantize.h"

namespace harness::eval {

// Quantizes one float value as TFLite does, `zero_point + round(value / scale)` rounding half
// away from zero (TfLiteRound) and clamped to [min_value, max_value], with the quotient taken in
// double as the reference pipeline behind the MLPerf Tiny goldens does (see the .cc for the case
// where float32 division differs). NaN maps to the zero point.
int32_t QuantizeValue(float value, float scale, int32_t zero_point, int32_t min_value,
                      int32_t max_value);

// The instruction sets of the loop, shared with the kernels' hybrid input quantization.
using kernels::optimized::BestQuantizeIsa;
using kernels::optimized::QuantizeIsa;
using kernels::optimized::QuantizeIsaSupported;

// Writes QuantizeValue(values[i], scale, zero_point, lowest Quantized, highest Quantized) as a
// Quantized (int8_t, uint8_t or int16_t) to destination + i * sizeof(Quantized) for every i,
// with `isa` (which must be supported). `destination` needs no alignment.
template <typename Quantized>
void QuantizeFloats(QuantizeIsa isa, std::span<const float> values, float scale, int32_t zero_point,
                    std::byte* destination);

// The same with BestQuantizeIsa().
template <typename Quantized>
void QuantizeFloats(std::span<const float> values, float scale, int32_t zero_point,
                    std::byte* destination) {
  QuantizeFloats<Quantized>(BestQuantizeIsa(), values, scale, zero_point, destination);
}

}  // namespace harness::eval
