#pragma once
// ARG_MAX and ARG_MIN, TFLite semantics (tensorflow/lite/kernels/internal/reference/
// arg_min_max.h): the index along `axis` of the largest (smallest) value, as int32. A value
// replaces the current one only when strictly greater (smaller), so ties give the first index;
// quantized inputs compare raw values, which orders them as their real values.

#include <cstdint>

#include "kernels/shape.h"

namespace kernels::reference {

// `axis` is resolved (0 <= axis < rank); the output has the input's shape without it.
template <class T, bool kMax>
void ArgMinMax(const Shape& input_shape, const T* input, int axis, int32_t* output) {
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= input_shape.dim(d);
  for (int d = axis + 1; d < input_shape.rank(); ++d) inner *= input_shape.dim(d);
  const int32_t extent = input_shape.dim(axis);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* base = input + o * extent * inner + i;
      T best = base[0];
      int32_t index = 0;
      for (int32_t k = 1; k < extent; ++k) {
        const T value = base[k * inner];
        if (kMax ? value > best : value < best) {
          best = value;
          index = k;
        }
      }
      output[o * inner + i] = index;
    }
  }
}

}  // namespace kernels::reference
