#pragma once
// The vector halves of QuantizeFloats, each in its own .cc whose functions carry their target
// attribute. Called only after a cpuid check.

#include <cstddef>
#include <cstdint>

namespace harness::eval::quantize_floats {

// The arguments of QuantizeValue that every element shares.
struct Grid {
  float scale = 1.0f;
  int32_t zero_point = 0;
  int32_t min_value = 0;  // the destination type's range
  int32_t max_value = 0;
};

// destination[i] = QuantizeValue(values[i], ...) for i < count, as 1-byte (int8 and uint8 share
// the code: the clamp to the grid's range comes first, then the low byte) or 2-byte integers.
void QuantizeToBytesAvx512(const float* values, size_t count, const Grid& grid,
                           std::byte* destination);
void QuantizeToWordsAvx512(const float* values, size_t count, const Grid& grid,
                           std::byte* destination);
void QuantizeToBytesAvx2(const float* values, size_t count, const Grid& grid,
                         std::byte* destination);
void QuantizeToWordsAvx2(const float* values, size_t count, const Grid& grid,
                         std::byte* destination);

}  // namespace harness::eval::quantize_floats
