#pragma once
// IEEE 754 binary16 ("half") <-> binary32 conversion, as the fp16 method needs it: the TFLite
// converter stores float16 weights as FLOAT16 constants that a DEQUANTIZE op widens to float32.

#include <cstdint>

namespace kernels {

// Exact: every half value (normal, subnormal, +-0, +-inf) is a float; a NaN stays a NaN with
// its payload in the top mantissa bits.
float HalfToFloat(uint16_t half);

// Rounds to nearest, ties to even (the IEEE default, what numpy and the converter use).
// Magnitudes from 65520 up become infinity; below the smallest subnormal's half they become a
// signed zero; a NaN becomes a quiet NaN.
uint16_t FloatToHalf(float value);

}  // namespace kernels
