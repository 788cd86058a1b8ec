#include "harness/model/execution_order.h"

#include <vector>

#include "harness/common/error.h"

namespace harness::model {
namespace {

std::string TensorName(const Graph& graph, int32_t index) {
  return "tensor " + std::to_string(index) + " '" + graph.tensor(index).name + "'";
}

}  // namespace

void CheckExecutionOrder(const Graph& graph, const std::string& source) {
  if (graph.inputs.empty()) throw Error(source, "the subgraph has no inputs");
  if (graph.outputs.empty()) throw Error(source, "the subgraph has no outputs");
  // Written: graph inputs and constants from the start, op outputs once their op has run.
  std::vector<bool> written(graph.tensors.size(), false);
  for (size_t t = 0; t < graph.tensors.size(); ++t) written[t] = graph.tensors[t].is_constant();
  for (int32_t t : graph.inputs) written[static_cast<size_t>(t)] = true;
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const Op& op = graph.ops[i];
    const std::string place = source + ": op " + std::to_string(i) + " (" + ToString(op.type) + ")";
    for (int32_t t : op.inputs) {
      if (t < 0) continue;  // an optional input left out
      if (!written[static_cast<size_t>(t)]) {
        throw Error(place, "reads " + TensorName(graph, t) +
                               ", which no earlier op writes (the ops are not stored in "
                               "execution order, or the tensor is never computed)");
      }
    }
    for (int32_t t : op.outputs) written[static_cast<size_t>(t)] = true;
  }
  for (int32_t t : graph.outputs) {
    if (!written[static_cast<size_t>(t)]) {
      throw Error(source + ": subgraph outputs", TensorName(graph, t) + " is never written");
    }
  }
}

}  // namespace harness::model
