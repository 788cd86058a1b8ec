#pragma once
// ARG_MAX's and ARG_MIN's builtin codes and options (TFLite's ArgMaxOptions / ArgMinOptions,
// the index type), for code that builds graphs holding them. Everything else is their
// descriptors in arg_min_max.cc.

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kArgMax = static_cast<model::OpType>(56);
inline constexpr model::OpType kArgMin = static_cast<model::OpType>(79);

struct ArgMinMaxOptions {
  model::DataType output_type = model::DataType::kInt32;  // TFLite-Micro writes INT32 only
  bool operator==(const ArgMinMaxOptions&) const = default;
};

}  // namespace harness::runtime::ops
