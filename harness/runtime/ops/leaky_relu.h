#pragma once
// LEAKY_RELU's builtin code and options (TFLite's LeakyReluOptions), for code that builds graphs
// holding it. Everything else about the op is its descriptor in leaky_relu.cc.

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kLeakyRelu = static_cast<model::OpType>(98);

struct LeakyReluOptions {
  float alpha = 0.0f;  // the schema's default
  bool operator==(const LeakyReluOptions&) const = default;
};

}  // namespace harness::runtime::ops
