#pragma once
// The operator version TFLite's converter assigns to an op for its tensor types and options
// (tensorflow/lite/tools/versioning/op_version.cc, GetBuiltinOperatorVersion), for the ops the
// harness runs. A model must carry at least this version for a TFLite(-Micro) runtime to pick
// the kernel variant that handles those types. Each op's rule lives in its descriptor.

#include <cstdint>

#include "harness/model/graph.h"

namespace harness::quant {

// The version, or 0 where the harness does not claim to know it (an op it does not run; int16 ADD,
// whose version depends on pot_scale_int16, which the IR does not hold. 16x8 CONV_2D,
// DEPTHWISE_CONV_2D and FULLY_CONNECTED get the versions TFLite assigns without a
// quantized_bias_type option (op_version.cc explains).
int32_t ExpectedOpVersion(const model::Graph& graph, const model::Op& op);

}  // namespace harness::quant
