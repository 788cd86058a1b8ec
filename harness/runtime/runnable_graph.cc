#include "harness/runtime/runnable_graph.h"

#include <cstring>
#include <utility>
#include <vector>

#include "harness/model/model_file.h"
#include "harness/model/unused_tensors.h"
#include "kernels/float16.h"

namespace harness::runtime {
namespace {

bool IsFloat16WeightDequantize(const model::Graph& graph, const model::Op& op) {
  if (op.type != model::OpType::kDequantize || op.inputs.size() != 1 || op.outputs.size() != 1 ||
      op.inputs[0] == model::kNoTensor) {
    return false;
  }
  const model::Tensor& input = graph.tensor(op.inputs[0]);
  return input.is_constant() && input.type == model::DataType::kFloat16 &&
         graph.tensor(op.outputs[0]).type == model::DataType::kFloat32;
}

std::vector<uint8_t> WidenedBytes(const std::vector<uint8_t>& half) {
  std::vector<uint8_t> bytes(half.size() * 2);
  for (size_t i = 0; i < half.size() / 2; ++i) {
    uint16_t h = 0;
    std::memcpy(&h, half.data() + 2 * i, 2);
    const float value = kernels::HalfToFloat(h);  // exact: every half is a float
    std::memcpy(bytes.data() + 4 * i, &value, 4);
  }
  return bytes;
}

}  // namespace

model::Graph FoldFloat16Weights(model::Graph graph) {
  std::vector<model::Op> kept;
  bool folded = false;
  for (model::Op& op : graph.ops) {
    if (!IsFloat16WeightDequantize(graph, op)) {
      kept.push_back(std::move(op));
      continue;
    }
    std::vector<uint8_t> bytes = WidenedBytes(graph.data(op.inputs[0]));
    model::Tensor& output = graph.tensor(op.outputs[0]);
    output.buffer = graph.AddBuffer(std::move(bytes));
    folded = true;
  }
  graph.ops = std::move(kept);
  return folded ? model::DropUnusedTensors(std::move(graph)) : graph;
}

model::Graph LoadRunnableModel(const std::string& path) {
  return FoldFloat16Weights(model::LoadModelFile(path));
}

}  // namespace harness::runtime
