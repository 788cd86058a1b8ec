#pragma once
// The operator version TFLite's converter assigns to an op for its tensor types and options
// (tensorflow/lite/tools/versioning/op_version.cc, GetBuiltinOperatorVersion), for the ops the
// harness runs. A model must carry at least this version for a TFLite(-Micro) runtime to pick
// the kernel variant that handles those types.

#include <cstdint>

#include "harness/model/graph.h"

namespace harness::quant {

// The version, or 0 where the harness does not claim to know it: the int16-activation variants
// of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, whose versions depend on converter
// options (quantized bias type) that the IR does not hold.
int32_t ExpectedOpVersion(const model::Graph& graph, const model::Op& op);

}  // namespace harness::quant
