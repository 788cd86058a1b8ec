// The smallest float graph with a reused intermediate, shared by the runtime and runner tests.
#pragma once

#include "harness/model/graph.h"

namespace harness::test {

// input[1,4] -> RELU -> relu -> ADD(relu, relu) -> sum -> RELU6 -> output. `sum` is written
// after the input's last reader, so the planner may place it over the input.
inline model::Graph ChainGraph() {
  using model::DataType;
  using model::OpType;
  model::Graph g;
  for (const char* name : {"input", "relu", "sum", "output"})
    g.tensors.push_back({name, DataType::kFloat32, {1, 4}, -1, {}});
  g.ops.push_back({OpType::kRelu, 1, {0}, {1}, {}});
  g.ops.push_back({OpType::kAdd, 1, {1, 1}, {2}, model::AddOptions{}});
  g.ops.push_back({OpType::kRelu6, 1, {2}, {3}, {}});
  g.inputs = {0};
  g.outputs = {3};
  return g;
}

}  // namespace harness::test
