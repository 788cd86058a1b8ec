#pragma once
// Static costs of a graph, read off shapes and constant data: multiply-accumulates and
// parameter bytes per op. Used by `harness inspect` and by the reports' cost columns.

#include <cstdint>
#include <vector>

#include "harness/model/graph.h"

namespace harness::model {

struct OpCost {
  // Multiply-accumulates of one inference, as the op's descriptor counts them (CONV_2D,
  // DEPTHWISE_CONV_2D and FULLY_CONNECTED one per filter tap per output element, MUL one per
  // output element; data movement 0).
  int64_t macs = 0;
  // Bytes of the op's constant inputs (weights, biases, shape and axis tensors).
  int64_t parameter_bytes = 0;
};

OpCost CostOf(const Graph& graph, int op_index);

struct GraphCost {
  std::vector<OpCost> ops;
  int64_t macs = 0;
  // Bytes of all constant buffers of the graph, each counted once even if shared.
  int64_t parameter_bytes = 0;
};

GraphCost CostOf(const Graph& graph);

}  // namespace harness::model
