#include "kernels/reference/transpose.h"

#include <cassert>
#include <cstring>

namespace kernels::reference {
namespace {

// Walks the output in row-major order; the input offset advances by the stride of the input
// dimension that each output dimension reads. Element-typed, so each move is one load and store.
template <class Element>
void TransposeElements(const TransposeParams& params, const Shape& input_shape,
                       const Element* input, const Shape& output_shape, Element* output) {
  const int rank = output_shape.rank();
  std::array<int64_t, Shape::kMaxRank> input_strides{};
  int64_t stride = 1;
  for (int d = input_shape.rank() - 1; d >= 0; --d) {
    input_strides[static_cast<size_t>(d)] = stride;
    stride *= input_shape.dim(d);
  }
  // Strides of the input along the output's dimensions, left-padded to six with extent 1.
  std::array<int32_t, Shape::kMaxRank> extent{};
  std::array<int64_t, Shape::kMaxRank> step{};
  extent.fill(1);
  const int pad = Shape::kMaxRank - rank;
  for (int d = 0; d < rank; ++d) {
    extent[static_cast<size_t>(pad + d)] = output_shape.dim(d);
    step[static_cast<size_t>(pad + d)] =
        input_strides[static_cast<size_t>(params.perm[static_cast<size_t>(d)])];
  }
  int64_t out = 0;
  for (int32_t i0 = 0; i0 < extent[0]; ++i0)
    for (int32_t i1 = 0; i1 < extent[1]; ++i1)
      for (int32_t i2 = 0; i2 < extent[2]; ++i2)
        for (int32_t i3 = 0; i3 < extent[3]; ++i3)
          for (int32_t i4 = 0; i4 < extent[4]; ++i4) {
            const int64_t base =
                i0 * step[0] + i1 * step[1] + i2 * step[2] + i3 * step[3] + i4 * step[4];
            for (int32_t i5 = 0; i5 < extent[5]; ++i5) output[out++] = input[base + i5 * step[5]];
          }
}

}  // namespace

void Transpose(const TransposeParams& params, const Shape& input_shape, const void* input,
               size_t element_size, const Shape& output_shape, void* output) {
  assert(input_shape.rank() == output_shape.rank());
  if (output_shape.FlatSize() == 0) return;
  switch (element_size) {
    case 1:
      TransposeElements(params, input_shape, static_cast<const uint8_t*>(input), output_shape,
                        static_cast<uint8_t*>(output));
      return;
    case 2:
      TransposeElements(params, input_shape, static_cast<const uint16_t*>(input), output_shape,
                        static_cast<uint16_t*>(output));
      return;
    case 4:
      TransposeElements(params, input_shape, static_cast<const uint32_t*>(input), output_shape,
                        static_cast<uint32_t*>(output));
      return;
    default:
      assert(element_size == 8);
      TransposeElements(params, input_shape, static_cast<const uint64_t*>(input), output_shape,
                        static_cast<uint64_t*>(output));
      return;
  }
}

}  // namespace kernels::reference
