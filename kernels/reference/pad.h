#pragma once
// PAD with TFLite reference semantics: the output is the input surrounded, along every
// dimension, by `before` and `after` elements of the pad value (0 for float, the output zero
// point for integer tensors, so the padding reads as real 0). The copy is exact, so one
// byte-level implementation serves every type.

#include <array>
#include <cstddef>
#include <cstdint>

#include "kernels/shape.h"

namespace kernels::reference {

struct PadParams {
  // Paddings of the input's dimensions, outermost first; non-negative.
  std::array<int32_t, Shape::kMaxRank> before{};
  std::array<int32_t, Shape::kMaxRank> after{};
};

// `output_shape` is the input shape plus the paddings; `pad_value` points to one element.
void Pad(const PadParams& params, const Shape& input_shape, const void* input,
         const void* pad_value, size_t element_size, const Shape& output_shape, void* output);

}  // namespace kernels::reference
