#include "harness/bench/single_op_model.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "harness/common/error.h"
#include "harness/model/op_costs.h"

namespace harness::bench {
namespace {

std::string OpName(int op_index, size_t op_count, model::OpType type) {
  const size_t width = std::max<size_t>(2, std::to_string(op_count > 0 ? op_count - 1 : 0).size());
  std::string index = std::to_string(op_index);
  index.insert(0, width - std::min(width, index.size()), '0');
  return "op" + index + "_" + model::ToString(type);
}

}  // namespace

model::Graph ExtractOp(const model::Graph& graph, int op_index) {
  const model::Op& op = graph.ops.at(static_cast<size_t>(op_index));
  model::Graph single;
  std::map<int32_t, int32_t> new_index;  // tensor of `graph` -> tensor of `single`
  // Copies tensor `t` (and its data, if constant) on first sight; a non-constant input seen for
  // the first time becomes a model input.
  auto map_tensor = [&](int32_t t, bool is_op_input) -> int32_t {
    if (t == model::kNoTensor) return model::kNoTensor;
    if (auto it = new_index.find(t); it != new_index.end()) return it->second;
    model::Tensor tensor = graph.tensor(t);
    if (tensor.is_constant()) tensor.buffer = single.AddBuffer(graph.data(t));
    const bool becomes_input = is_op_input && !tensor.is_constant();
    single.tensors.push_back(std::move(tensor));
    const auto index = static_cast<int32_t>(single.tensors.size() - 1);
    new_index[t] = index;
    if (becomes_input) single.inputs.push_back(index);
    return index;
  };
  model::Op copy = op;
  for (int32_t& t : copy.inputs) t = map_tensor(t, true);
  for (int32_t& t : copy.outputs) {
    t = map_tensor(t, false);
    single.outputs.push_back(t);
  }
  single.ops.push_back(std::move(copy));
  single.description = "op " + std::to_string(op_index) + " of " + graph.description;
  return single;
}

std::vector<SingleOpModel> SplitIntoOps(const runtime::CompiledModel& model,
                                        const std::vector<std::vector<std::byte>>& inputs) {
  const model::Graph& graph = model.graph();
  const model::GraphCost costs = model::CostOf(graph);
  std::vector<SingleOpModel> ops(graph.ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    const int op_index = static_cast<int>(i);
    try {
      ops[i].op_index = op_index;
      ops[i].name = OpName(op_index, ops.size(), graph.ops[i].type);
      ops[i].macs = costs.ops[i].macs;
      ops[i].model = std::make_unique<runtime::CompiledModel>(ExtractOp(graph, op_index));
    } catch (const Error& e) {
      throw e.Within("op " + std::to_string(op_index) + " (" + model::ToString(graph.ops[i].type) + ")");
    }
  }

  // The inputs of op k are live from the op that writes them to op k, so right after op k - 1
  // (or before op 0, for the model's inputs) they hold the values op k reads.
  auto session = model.NewSession();
  if (inputs.size() != graph.inputs.size()) {
    throw Error("benchmark input", std::to_string(inputs.size()) + " inputs for a model of " +
                                       std::to_string(graph.inputs.size()));
  }
  for (size_t k = 0; k < inputs.size(); ++k) {
    const std::span<std::byte> destination = session->input(k);
    if (inputs[k].size() != destination.size()) {
      throw Error("benchmark input", std::to_string(inputs[k].size()) + " bytes for model input " +
                                         std::to_string(k) + " of " +
                                         std::to_string(destination.size()));
    }
    std::memcpy(destination.data(), inputs[k].data(), inputs[k].size());
  }
  auto capture = [&](size_t k) {
    // Each distinct non-constant input once, in the order ExtractOp made them model inputs.
    std::vector<int32_t> taken;
    for (int32_t t : graph.ops[k].inputs) {
      if (t == model::kNoTensor || graph.tensor(t).is_constant()) continue;
      if (std::find(taken.begin(), taken.end(), t) != taken.end()) continue;
      taken.push_back(t);
      const std::span<const std::byte> bytes = session->tensor(t);
      ops[k].inputs.emplace_back(bytes.begin(), bytes.end());
    }
  };
  if (!ops.empty()) capture(0);
  session->Invoke([&](int op_index) {
    const auto next = static_cast<size_t>(op_index) + 1;
    if (next < ops.size()) capture(next);
  });
  return ops;
}

}  // namespace harness::bench
