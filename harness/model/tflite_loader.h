#pragma once
// Reads a .tflite file (TFLite flatbuffer, schema version 3) into the graph IR.
//
// The loader trusts nothing in the file: the flatbuffers verifier checks the structure first,
// then every index (tensor, buffer, op code) is range-checked and every constant's size is
// compared with its shape and type. Anything the harness cannot run exactly (an op it does not
// implement, a custom op, sparse or variable tensors, an unsupported type) is refused with a
// harness::Error naming the op or tensor, never silently dropped.

#include <cstdint>
#include <span>
#include <string>

#include "harness/model/graph.h"

namespace harness::model {

// Reads subgraph 0 of the model in `bytes`. `source` names the model in errors (a path).
Graph LoadTflite(std::span<const uint8_t> bytes, const std::string& source);

// Reads the file at `path`.
Graph LoadTfliteFile(const std::string& path);

}  // namespace harness::model
