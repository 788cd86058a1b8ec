#include "kernels/reference/concatenation.h"

#include <cassert>
#include <cstring>

namespace kernels::reference {

void Concatenation(int axis, std::span<const Shape> input_shapes,
                   std::span<const void* const> inputs, size_t element_size,
                   const Shape& output_shape, void* output) {
  assert(input_shapes.size() == inputs.size());
  int64_t outer_size = 1;
  for (int i = 0; i < axis; ++i) outer_size *= output_shape.dim(i);
  // Elements of one slab per unit of the axis: the product of the dimensions after it.
  int64_t inner_size = 1;
  for (int i = axis + 1; i < output_shape.rank(); ++i) inner_size *= output_shape.dim(i);

  auto* out = static_cast<std::byte*>(output);
  for (int64_t k = 0; k < outer_size; ++k) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      const auto slab_bytes =
          static_cast<size_t>(input_shapes[i].dim(axis) * inner_size) * element_size;
      if (slab_bytes == 0) continue;  // an empty input: nothing to copy, maybe no pointer
      const auto* in =
          static_cast<const std::byte*>(inputs[i]) + static_cast<size_t>(k) * slab_bytes;
      std::memcpy(out, in, slab_bytes);
      out += slab_bytes;
    }
  }
}

}  // namespace kernels::reference
