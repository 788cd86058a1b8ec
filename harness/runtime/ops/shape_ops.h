#pragma once
// EXPAND_DIMS's and SQUEEZE's builtin codes and SQUEEZE's options (TFLite's SqueezeOptions), for
// code that builds graphs holding them. Everything else is each op's descriptor.

#include <cstdint>
#include <vector>

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kSqueeze = static_cast<model::OpType>(43);
inline constexpr model::OpType kExpandDims = static_cast<model::OpType>(70);

struct SqueezeOptions {
  // The dimensions to drop (negative counts from the end); empty: every dimension of extent 1.
  std::vector<int32_t> squeeze_dims;
  bool operator==(const SqueezeOptions&) const = default;
};

}  // namespace harness::runtime::ops
