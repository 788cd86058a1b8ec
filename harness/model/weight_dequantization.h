#pragma once
// Turns a hybrid (dynamic-range) model into a plain float model.
//
// A hybrid model keeps float32 activations but stores some constant weights as int8 with a
// scale; TFLite's hybrid kernels then quantize activations on the fly, and TFLite-Micro refuses
// such models. The float baseline of such a model (as the MLPerf Tiny golden of
// kws_ref_model_float32 was made) dequantizes those weights once, in float32, and runs float
// kernels.

#include "harness/model/graph.h"

namespace harness::model {

// True if some op other than DEQUANTIZE produces a FLOAT32 output while taking a constant
// INT8 input that carries a scale.
bool IsHybrid(const Graph& graph);

// Replaces every such int8 constant by a FLOAT32 constant w = scale * (q - zero_point), with
// the scale of its slice along quantized_dimension for per-axis weights, computed in float32
// (one rounding of the product). The tensor loses its quantization; everything else (ops,
// versions, other tensors) is unchanged. A weight that also feeds a non-hybrid op is left as
// it is for that op and a dequantized copy is added for the hybrid ones. Returns the graph
// unchanged if it is not hybrid.
Graph DequantizeHybridWeights(Graph graph);

}  // namespace harness::model
