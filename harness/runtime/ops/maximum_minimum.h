#pragma once
// MAXIMUM's and MINIMUM's builtin codes, for code that builds graphs holding them (TFLite gives
// them an empty MaximumMinimumOptions table). Everything else is their descriptors.

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kMaximum = static_cast<model::OpType>(55);
inline constexpr model::OpType kMinimum = static_cast<model::OpType>(57);

}  // namespace harness::runtime::ops
