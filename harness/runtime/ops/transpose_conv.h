#pragma once
// TRANSPOSE_CONV's builtin code and options (TFLite's TransposeConvOptions), for code that builds
// graphs holding it. Everything else about the op is its descriptor in transpose_conv.cc.

#include <cstdint>

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kTransposeConv = static_cast<model::OpType>(67);

struct TransposeConvOptions {
  model::Padding padding = model::Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  model::Activation activation = model::Activation::kNone;
  // The schema's TensorType of bias and accumulator (version 5); 0 (FLOAT32) when unset, which
  // TFLite reads as "by the bias tensor". Kept for the file; TFLite-Micro does not read it.
  int8_t quantized_bias_type = 0;
  bool operator==(const TransposeConvOptions&) const = default;
};

}  // namespace harness::runtime::ops
