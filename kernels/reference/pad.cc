#include "kernels/reference/pad.h"

#include <cstring>

namespace kernels::reference {

void Pad(const PadParams& params, const Shape& input_shape, const void* input,
         const void* pad_value, size_t element_size, const Shape& output_shape, void* output) {
  auto* out = static_cast<std::byte*>(output);
  const auto* in = static_cast<const std::byte*>(input);
  const int64_t output_count = output_shape.FlatSize();
  for (int64_t i = 0; i < output_count; ++i) {
    std::memcpy(out + static_cast<size_t>(i) * element_size, pad_value, element_size);
  }
  const int rank = input_shape.rank();
  if (rank == 0) {
    std::memcpy(out, in, element_size);
    return;
  }
  const int64_t input_count = input_shape.FlatSize();
  if (input_count == 0) return;

  // Copy the input one innermost row at a time to its place inside the padding.
  const int32_t row = input_shape.dim(rank - 1);
  const size_t row_bytes = static_cast<size_t>(row) * element_size;
  std::array<int32_t, Shape::kMaxRank> index{};  // input index of the row, innermost entry 0
  for (int64_t start = 0; start < input_count; start += row) {
    int64_t output_offset = 0;
    for (int d = 0; d < rank; ++d) {
      const auto k = static_cast<size_t>(d);
      output_offset = output_offset * output_shape.dim(d) + params.before[k] + index[k];
    }
    std::memcpy(out + static_cast<size_t>(output_offset) * element_size,
                in + static_cast<size_t>(start) * element_size, row_bytes);
    // Advance the row index (all dimensions but the innermost) in row-major order.
    for (int d = rank - 2; d >= 0; --d) {
      const auto k = static_cast<size_t>(d);
      if (++index[k] < input_shape.dim(d)) break;
      index[k] = 0;
    }
  }
}

}  // namespace kernels::reference
