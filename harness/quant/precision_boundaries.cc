#include "harness/quant/precision_boundaries.h"

#include <map>
#include <string>
#include <utility>

namespace harness::quant {
namespace {

using model::DataType;
using model::OpType;

std::string CopySuffix(DataType from, DataType to) {
  if (to == DataType::kFloat32) return "_dequantized";
  if (from == DataType::kFloat32 && to == DataType::kInt8) return "_quantized";
  return to == DataType::kInt8 ? "_int8" : "_int16";
}

// An activation tensor like `tensor` (same shape), typed later from its encoding.
int32_t AddCopy(model::Graph& graph, int32_t tensor, const std::string& suffix) {
  model::Tensor copy = graph.tensor(tensor);
  copy.name += suffix;
  copy.buffer = -1;
  copy.quantization = {};
  graph.tensors.push_back(std::move(copy));
  return static_cast<int32_t>(graph.tensors.size() - 1);
}

struct Conversion {
  model::Op op;
  DataType type;  // its output's type
};

}  // namespace

void InsertPrecisionBoundaries(model::Graph& graph, std::vector<DataType>& op_types,
                               std::vector<std::optional<ActivationEncoding>>& tensors,
                               const ConvertedParams& converted_params,
                               const std::set<int32_t>& float_graph_inputs) {
  std::vector<std::ptrdiff_t> producer(graph.tensors.size(), -1);
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    for (int32_t output : graph.ops[i].outputs) {
      producer[static_cast<size_t>(output)] = static_cast<std::ptrdiff_t>(i);
    }
  }
  std::map<std::pair<int32_t, DataType>, int32_t> copies;
  std::vector<Conversion> prologue;
  std::vector<std::vector<Conversion>> after(graph.ops.size());
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const DataType wanted = op_types[i];
    for (int32_t& input : graph.ops[i].inputs) {
      if (input == model::kNoTensor || !tensors[static_cast<size_t>(input)]) continue;
      const DataType held = tensors[static_cast<size_t>(input)]->type;
      if (held == wanted) continue;
      if (wanted == DataType::kFloat32 && float_graph_inputs.count(input) > 0) continue;
      auto copy = copies.find({input, wanted});
      if (copy == copies.end()) {
        const int32_t index = AddCopy(graph, input, CopySuffix(held, wanted));
        ActivationEncoding encoding;
        encoding.type = wanted;
        if (wanted != DataType::kFloat32) encoding.params = converted_params(input, wanted);
        tensors.emplace_back(encoding);
        Conversion conversion;
        conversion.op.type = wanted == DataType::kFloat32 ? OpType::kDequantize : OpType::kQuantize;
        conversion.op.inputs = {input};
        conversion.op.outputs = {index};
        conversion.type = wanted;
        const std::ptrdiff_t from = producer[static_cast<size_t>(input)];
        (from < 0 ? prologue : after[static_cast<size_t>(from)]).push_back(conversion);
        copy = copies.emplace(std::make_pair(input, wanted), index).first;
      }
      input = copy->second;
    }
  }
  std::vector<model::Op> ops;
  std::vector<DataType> types;
  for (const Conversion& c : prologue) {
    ops.push_back(c.op);
    types.push_back(c.type);
  }
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    ops.push_back(std::move(graph.ops[i]));
    types.push_back(op_types[i]);
    for (const Conversion& c : after[i]) {
      ops.push_back(c.op);
      types.push_back(c.type);
    }
  }
  graph.ops = std::move(ops);
  op_types = std::move(types);
}

}  // namespace harness::quant
