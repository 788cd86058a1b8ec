#pragma once
// SPLIT's and SPLIT_V's builtin codes and options (TFLite's SplitOptions, SplitVOptions), and the
// glue they share: both copy the input into outputs along a constant axis, TFLite-Micro taking
// each output's extent from the output tensor. Their descriptors are in split.cc, split_v.cc.

#include <cstdint>
#include <memory>

#include "harness/model/graph.h"
#include "harness/runtime/op_kernel.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kSplit = static_cast<model::OpType>(49);
inline constexpr model::OpType kSplitV = static_cast<model::OpType>(102);

struct SplitOptions {
  int32_t num_splits = 0;
  bool operator==(const SplitOptions&) const = default;
};

struct SplitVOptions {
  int32_t num_splits = 0;
  bool operator==(const SplitVOptions&) const = default;
};

class OpContext;

// The kernel of a split of input `data_input` along the axis held by constant input
// `axis_input`: checks the axis (INT32, negative counts from the end), num_splits against the
// outputs, types (float32, int8, int16, int32), that every output has the input's shape except
// along the axis, and that the extents add up (with `equal_parts`, that they are all equal).
std::unique_ptr<OpKernel> MakeSplitKernel(const OpContext& ctx, size_t data_input,
                                          size_t axis_input, int32_t num_splits, bool equal_parts);

}  // namespace harness::runtime::ops
