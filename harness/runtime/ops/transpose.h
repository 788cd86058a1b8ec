#pragma once
// TRANSPOSE's builtin code, for code that builds graphs holding it (TFLite gives it an empty
// TransposeOptions table). Everything else about the op is its descriptor in transpose.cc.

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kTranspose = static_cast<model::OpType>(39);

}  // namespace harness::runtime::ops
