#pragma once
// STRIDED_SLICE with TFLite-Micro reference semantics (tensorflow/lite/kernels/internal/
// strided_slice_logic.h and reference/strided_slice.h, as micro/kernels/strided_slice*.cc drive
// them). TFLite-Micro reads one begin / end / stride per input dimension, takes begin_mask,
// end_mask and shrink_axis_mask from the options and leaves ellipsis_mask, new_axis_mask and
// offset at 0 whatever the model holds; so does this kernel.
//
// Per axis: a negative index counts from the end; indices are clamped to [0, size] for a
// positive stride and to [-1, size - 1] for a negative one; a begin_mask bit starts at the first
// element of the direction, an end_mask bit runs to its end; a shrink_axis_mask bit takes exactly
// the element at begin and drops the axis from the output shape. The copy moves whole elements,
// so one byte-level implementation serves every type.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "kernels/shape.h"

namespace kernels::reference {

struct StridedSliceSpec {
  std::vector<int32_t> begin, end, strides;  // one per input dimension
  int32_t begin_mask = 0;
  int32_t end_mask = 0;
  int32_t shrink_axis_mask = 0;
};

// The resolved iteration of the eval loop, the input padded in front to five dimensions as
// TFLite's StridedSlicePadIndices does (padded axes: 0 to 1, stride 1).
struct StridedSliceParams {
  static constexpr int kRank = 5;
  std::array<int32_t, kRank> input_dims{};
  std::array<int32_t, kRank> start{}, stop{}, stride{};
};

// Requires spec's vectors to hold input_shape.rank() <= 5 entries and no zero stride.
StridedSliceParams ResolveStridedSlice(const StridedSliceSpec& spec, const Shape& input_shape);

// The output dimensions TFLite-Micro's Prepare checks the output tensor against: per axis
// ceil((stop - start) / stride) computed in float, at least 0, shrunk axes left out.
std::vector<int32_t> StridedSliceOutputDims(const StridedSliceSpec& spec, const Shape& input_shape);

// Copies the selected elements in row-major output order.
void StridedSlice(const StridedSliceParams& params, const void* input, size_t element_size,
                  void* output);

}  // namespace kernels::reference
