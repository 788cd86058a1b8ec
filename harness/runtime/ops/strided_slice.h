#pragma once
// STRIDED_SLICE's builtin code and options (TFLite's StridedSliceOptions), for code that builds
// graphs holding it. Everything else about the op is its descriptor in strided_slice.cc.

#include <cstdint>

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kStridedSlice = static_cast<model::OpType>(45);

struct StridedSliceOptions {
  int32_t begin_mask = 0;
  int32_t end_mask = 0;
  int32_t ellipsis_mask = 0;  // kept for the file; TFLite-Micro ignores it
  int32_t new_axis_mask = 0;  // kept for the file; TFLite-Micro ignores it
  int32_t shrink_axis_mask = 0;
  bool offset = false;  // kept for the file; TFLite-Micro ignores it
  bool operator==(const StridedSliceOptions&) const = default;
};

}  // namespace harness::runtime::ops
