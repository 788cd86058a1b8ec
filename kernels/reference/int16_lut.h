#pragma once
// The interpolated int16 -> int16 look-up tables of TFLite-Micro's 16-bit kernels (softmax's
// exp and 1 / (1 + x) tables): 512 segments over the whole int16 input range plus one entry
// for the slope of the last segment. The high 9 bits of an input pick a segment, the low 7 bits
// interpolate linearly inside it.

#include <array>
#include <cstdint>

namespace kernels::reference {

inline constexpr int kInt16LutSegments = 512;
using Int16Lut = std::array<int16_t, kInt16LutSegments + 1>;

// TFLite-Micro's gen_lut<float, int16_t, int16_t>: the function sampled at the left edge of each
// segment on [input_min, input_max] (mapped onto [-32768, 32767]), scaled by
// 65536 / (output_max - output_min) and rounded half away from zero, minus half the error the
// linear interpolation would make at the segment's midpoint (so the interpolation error is
// split between the edge and the middle). All arithmetic is in float, as TFLite-Micro's.
Int16Lut GenerateInt16Lut(float (*function)(float), float input_min, float input_max,
                          float output_min, float output_max);

// TFLite's LUTLookup for int16: base + (slope * (value & 127) + 64) >> 7, where the slope is the
// difference of two neighbouring entries narrowed to int16 as TFLite does.
int16_t LookupInt16Lut(int16_t value, const Int16Lut& lut);

}  // namespace kernels::reference
