#pragma once
// Drops what no op and no graph input or output refers to: tensors (a float16 weight whose
// DEQUANTIZE was folded, a converter's leftover constant) and then buffers no tensor holds.
// A model written after a rewrite then carries only what it runs, as TFLite's converter writes.

#include "harness/model/graph.h"

namespace harness::model {

// Keeps the order of the remaining tensors and buffers and renumbers every reference to them.
Graph DropUnusedTensors(Graph graph);

}  // namespace harness::model
