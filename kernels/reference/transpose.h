#pragma once
// TRANSPOSE, TFLite semantics (tensorflow/lite/kernels/internal/reference/transpose.h): output
// dimension i is input dimension perm[i]. The op only moves elements, so one implementation
// per element size serves every type (float32, int8, int16 ...), bit for bit.

#include <array>
#include <cstddef>
#include <cstdint>

#include "kernels/shape.h"

namespace kernels::reference {

struct TransposeParams {
  // perm[i]: the input dimension that output dimension i reads; a permutation of 0..rank-1.
  std::array<int32_t, Shape::kMaxRank> perm{};
};

// `output_shape` is the input shape permuted; `element_size` is 1, 2, 4 or 8 bytes.
void Transpose(const TransposeParams& params, const Shape& input_shape, const void* input,
               size_t element_size, const Shape& output_shape, void* output);

}  // namespace kernels::reference
