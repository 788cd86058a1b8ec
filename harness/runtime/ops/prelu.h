#pragma once
// PRELU's builtin code, for code that builds graphs holding it (TFLite gives it no options).
// Everything else about the op is its descriptor in prelu.cc.

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kPrelu = static_cast<model::OpType>(54);

}  // namespace harness::runtime::ops
