#include "harness/quant/float16.h"

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/weight_dequantization.h"
#include "harness/quant/op_version.h"
#include "kernels/float16.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::Graph;

std::vector<uint8_t> HalfBytes(const std::vector<uint8_t>& float_bytes) {
  const size_t count = float_bytes.size() / sizeof(float);
  std::vector<uint8_t> bytes(count * sizeof(uint16_t));
  for (size_t i = 0; i < count; ++i) {
    float value = 0.0f;
    std::memcpy(&value, float_bytes.data() + i * sizeof(float), sizeof(float));
    const uint16_t half = kernels::FloatToHalf(value);
    std::memcpy(bytes.data() + i * sizeof(uint16_t), &half, sizeof(uint16_t));
  }
  return bytes;
}

}  // namespace

Graph QuantizeFloat16(const Graph& float_graph) {
  Graph graph = model::DequantizeHybridWeights(float_graph);
  for (const model::Tensor& tensor : graph.tensors) {
    if (!tensor.is_constant() && tensor.type != DataType::kFloat32 &&
        tensor.type != DataType::kInt32) {
      throw Error("fp16", "tensor '" + tensor.name + "' is " + model::ToString(tensor.type) +
                              ": the fp16 method takes a float model");
    }
  }
  // dequantized[t]: the float32 tensor now produced by a DEQUANTIZE of constant t, or -1.
  std::vector<int32_t> dequantized(graph.tensors.size(), -1);
  std::vector<model::Op> ops;
  ops.reserve(graph.ops.size() * 2);
  for (model::Op op : graph.ops) {
    for (int32_t& input : op.inputs) {
      if (input == model::kNoTensor) continue;
      const auto slot = static_cast<size_t>(input);
      if (dequantized[slot] < 0) {
        const model::Tensor& constant = graph.tensor(input);
        if (!constant.is_constant() || constant.type != DataType::kFloat32) continue;
        // The float32 reader-facing tensor becomes an activation; a new FLOAT16 constant
        // takes the original name and the data.
        model::Tensor half;
        half.name = constant.name;
        half.type = DataType::kFloat16;
        half.shape = constant.shape;
        half.buffer = graph.AddBuffer(HalfBytes(graph.data(input)));
        model::Tensor& activation = graph.tensor(input);
        activation.name += "_dequantize";
        activation.buffer = -1;
        graph.tensors.push_back(std::move(half));
        dequantized.push_back(-1);
        model::Op dequantize;
        dequantize.type = model::OpType::kDequantize;
        dequantize.version = 3;
        dequantize.inputs = {static_cast<int32_t>(graph.tensors.size() - 1)};
        dequantize.outputs = {input};
        ops.push_back(std::move(dequantize));
        dequantized[slot] = input;
      }
    }
    ops.push_back(std::move(op));
  }
  graph.ops = std::move(ops);
  for (model::Op& op : graph.ops) {
    if (const int32_t version = ExpectedOpVersion(graph, op); version > 0) op.version = version;
  }
  return graph;
}

}  // namespace harness::quant
