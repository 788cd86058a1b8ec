#pragma once
// Writes the graph IR as a .tflite file that TFLite-Micro loads: schema version 3, file
// identifier "TFL3", buffer 0 the empty sentinel, one OperatorCode per distinct (op, version)
// with both the byte and the int32 builtin code set, builtin options of the right union type
// for every op that has them, and constant data aligned to 16 bytes.
//
// Output is deterministic: the same graph gives the same bytes. Only buffers that some tensor
// uses are written (in order of first use), so a graph rewritten in place (for example by
// DequantizeHybridWeights) does not carry dead data.

#include <cstdint>
#include <string>
#include <vector>

#include "harness/model/graph.h"

namespace harness::model {

// Serializes `graph`. Throws harness::Error if the graph refers to a tensor or buffer it does
// not hold, or if an op holds the options of another op type.
std::vector<uint8_t> WriteTflite(const Graph& graph);

// Writes atomically: to a temporary file in the same folder, then renamed over `path`, so a
// reader never sees half a model.
void WriteTfliteFile(const Graph& graph, const std::string& path);

}  // namespace harness::model
