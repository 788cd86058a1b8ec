#include "harness/model/op_costs.h"

#include <set>

#include "harness/model/op_registry.h"

namespace harness::model {

OpCost CostOf(const Graph& graph, int op_index) {
  const Op& op = graph.ops.at(static_cast<size_t>(op_index));
  OpCost cost;
  for (int32_t input : op.inputs) {
    if (input >= 0 && graph.tensor(input).is_constant())
      cost.parameter_bytes += static_cast<int64_t>(graph.data(input).size());
  }
  // An op harness does not run has no descriptor; its MACs are unknown, not zero.
  const OpDescriptor& descriptor = GetOp(op.type);
  cost.macs = (*descriptor.macs)(graph, op);
  return cost;
}

GraphCost CostOf(const Graph& graph) {
  GraphCost total;
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    total.ops.push_back(CostOf(graph, static_cast<int>(i)));
    total.macs += total.ops.back().macs;
  }
  std::set<int32_t> buffers;
  for (const Tensor& t : graph.tensors)
    if (t.is_constant() && buffers.insert(t.buffer).second)
      total.parameter_bytes += static_cast<int64_t>(graph.buffers.at(static_cast<size_t>(t.buffer)).size());
  return total;
}

}  // namespace harness::model
