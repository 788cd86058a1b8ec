#pragma once
// The `fp16` method, as the TFLite converter writes float16 models: every constant float32
// tensor an op reads (weights, biases) is stored as a FLOAT16 constant, and a DEQUANTIZE op
// (version 3, TFLite's version for float16 input) turns it back into the float32 tensor the op
// reads. Compute stays float32; only the stored values change (rounded to the nearest float16,
// ties to even, as the converter's float -> half conversion).
//
// The DEQUANTIZE of a weight is placed just before the first op that reads it (the converter
// lists them first; the order does not change any result, and this one keeps the float32 copy
// alive only while needed, which keeps the arena small). Tensor names: the float16 constant
// keeps the original name and the DEQUANTIZE output gets "<name>_dequantize".

#include "harness/model/graph.h"

namespace harness::quant {

// A hybrid input graph is dequantized first. Integer constants (RESHAPE's shape) are left as
// they are. Throws harness::Error for a graph that is not float (int8 activations).
model::Graph QuantizeFloat16(const model::Graph& float_graph);

}  // namespace harness::quant
