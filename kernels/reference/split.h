#pragma once
// SPLIT and SPLIT_V with TFLite-Micro reference semantics (micro/kernels/split.cc, split_v.cc):
// the input, seen as outer_size blocks along the axis, gives each output in turn its extent
// along the axis times inner_size consecutive elements of every block. Whole elements are
// copied, so one byte-level implementation serves every type.

#include <cstddef>
#include <cstdint>
#include <span>

namespace kernels::reference {

struct SplitGeometry {
  int64_t outer_size = 1;  // product of the input dimensions before the axis
  int64_t inner_size = 1;  // after it
  size_t element_size = 1;
};

// `extents[i]` is output i's size along the axis; they sum to the input's.
void Split(const SplitGeometry& g, std::span<const int32_t> extents, const std::byte* input,
           std::span<std::byte* const> outputs);

}  // namespace kernels::reference
