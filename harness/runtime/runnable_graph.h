#pragma once
// The one preparation every command applies to a model before running, quantizing or
// benchmarking it: float16 weights behind DEQUANTIZE (the TFLite converter's float16 models, and
// harness's own `fp16` method) become float32 constants. TFLite does the same once at prepare
// time, with the same numbers (every half is exactly a float), and the runtime's weighted kernels
// read constant filters only. Commands that describe the file as it is (`inspect`, `lint`,
// `export-c`'s model array) read it without this.

#include <string>

#include "harness/model/graph.h"

namespace harness::runtime {

// Replaces every DEQUANTIZE whose input is a constant FLOAT16 tensor by a FLOAT32 constant
// holding the exactly widened values, and drops the float16 tensors nothing reads any more
// (model/unused_tensors.h). Other ops and tensors are unchanged; a graph without such a
// DEQUANTIZE comes back as it was.
model::Graph FoldFloat16Weights(model::Graph graph);

// model::LoadModelFile, then FoldFloat16Weights: what `infer`, `eval`, `quantize`, `run` and
// `bench` load.
model::Graph LoadRunnableModel(const std::string& path);

}  // namespace harness::runtime
