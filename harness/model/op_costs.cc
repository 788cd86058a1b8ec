#include "harness/model/op_costs.h"

#include <set>

namespace harness::model {
namespace {

int64_t Elements(const Graph& graph, int32_t tensor) {
  return tensor < 0 ? 0 : ElementCount(graph.tensor(tensor).shape);
}

// Product of the filter's spatial and depth taps: dims 1.. of an OHWI (conv) or 1HWC (depthwise)
// filter, excluding the channel dimension for depthwise, which maps one to one to outputs.
int64_t FilterTaps(const Tensor& filter, bool depthwise) {
  const auto& s = filter.shape;
  if (s.size() != 4) return 0;
  return depthwise ? static_cast<int64_t>(s[1]) * s[2]
                   : static_cast<int64_t>(s[1]) * s[2] * s[3];
}

}  // namespace

OpCost CostOf(const Graph& graph, int op_index) {
  const Op& op = graph.ops.at(static_cast<size_t>(op_index));
  OpCost cost;
  for (int32_t input : op.inputs) {
    if (input >= 0 && graph.tensor(input).is_constant())
      cost.parameter_bytes += static_cast<int64_t>(graph.data(input).size());
  }
  const int64_t outputs = op.outputs.empty() ? 0 : Elements(graph, op.outputs[0]);
  switch (op.type) {
    case OpType::kConv2D:
      if (op.inputs.size() > 1) cost.macs = outputs * FilterTaps(graph.tensor(op.inputs[1]), false);
      break;
    case OpType::kDepthwiseConv2D:
      if (op.inputs.size() > 1) cost.macs = outputs * FilterTaps(graph.tensor(op.inputs[1]), true);
      break;
    case OpType::kFullyConnected:
      if (op.inputs.size() > 1 && graph.tensor(op.inputs[1]).shape.size() == 2)
        cost.macs = outputs * graph.tensor(op.inputs[1]).shape[1];
      break;
    case OpType::kMul:
      cost.macs = outputs;
      break;
    default:
      break;
  }
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
