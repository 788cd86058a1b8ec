#include "harness/quant/cross_layer_equalization.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <variant>

#include "harness/common/error.h"
#include "harness/quant/cross_layer_equalization_sweeps.h"

namespace harness::quant {
namespace {

using model::Activation;
using model::DataType;
using model::Graph;
using model::Op;
using model::OpType;

bool IsHandledPair(OpType first, OpType second) {
  return (first == OpType::kDepthwiseConv2D && second == OpType::kConv2D) ||
         (first == OpType::kConv2D && second == OpType::kDepthwiseConv2D) ||
         (first == OpType::kConv2D && second == OpType::kConv2D) ||
         (first == OpType::kFullyConnected && second == OpType::kFullyConnected);
}

std::optional<Activation> FusedActivation(const Op& op) {
  if (const auto* o = op.options.get_if<model::Conv2DOptions>()) return o->activation;
  if (const auto* o = op.options.get_if<model::DepthwiseConv2DOptions>()) {
    return o->activation;
  }
  if (const auto* o = op.options.get_if<model::FullyConnectedOptions>()) {
    return o->activation;
  }
  return std::nullopt;
}

std::string OpName(const Graph& graph, int op_index) {
  return "op " + std::to_string(op_index) + " (" +
         model::ToString(graph.ops[static_cast<size_t>(op_index)].type) + ")";
}

// How many times each tensor is an input of some op.
std::vector<int> CountTensorUses(const Graph& graph) {
  std::vector<int> uses(graph.tensors.size(), 0);
  for (const Op& op : graph.ops) {
    for (int32_t t : op.inputs) {
      if (t >= 0 && static_cast<size_t>(t) < uses.size()) ++uses[static_cast<size_t>(t)];
    }
  }
  return uses;
}

std::vector<double> ReadFloats(const Graph& graph, int32_t tensor) {
  const std::vector<uint8_t>& bytes = graph.data(tensor);
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return {values.begin(), values.end()};
}

// One layer's weights and bias in double (the numeric part) and the tensors they came from.
struct LayerWeights {
  int32_t weight_tensor = -1;
  int32_t bias_tensor = model::kNoTensor;
  EqualizationLayer numeric;
};

// Why `tensor` cannot be scaled (empty if it can): it must be a float32 constant of the
// expected element count that no other op reads.
std::string ConstantProblem(const Graph& graph, const std::vector<int>& uses, int32_t tensor,
                            const char* role, int op_index) {
  const model::Tensor& t = graph.tensor(tensor);
  const std::string what = std::string(role) + " '" + t.name + "' of " + OpName(graph, op_index);
  if (!t.is_constant() || t.type != DataType::kFloat32) {
    return what + " is not a float32 constant (" + model::ToString(t.type) + ")";
  }
  const size_t count = static_cast<size_t>(model::ElementCount(t.shape));
  if (graph.data(tensor).size() != count * sizeof(float)) return what + " has no data";
  if (uses[static_cast<size_t>(tensor)] != 1) return what + " is shared with another op";
  return {};
}

// Reads the weights (and the bias, for layer 1) of a CONV_2D, DEPTHWISE_CONV_2D or
// FULLY_CONNECTED, or returns why they cannot be equalized.
std::variant<LayerWeights, std::string> ReadLayer(const Graph& graph, const std::vector<int>& uses,
                                                  int op_index, bool with_bias) {
  const Op& op = graph.ops[static_cast<size_t>(op_index)];
  if (op.inputs.size() < 2 || op.inputs[0] < 0 || op.inputs[1] < 0 || op.outputs.size() != 1) {
    return OpName(graph, op_index) + " lacks its data input, weights or output";
  }
  LayerWeights layer;
  layer.weight_tensor = op.inputs[1];
  if (std::string problem = ConstantProblem(graph, uses, layer.weight_tensor, "weights", op_index);
      !problem.empty()) {
    return problem;
  }
  const std::vector<int32_t>& shape = graph.tensor(layer.weight_tensor).shape;
  EqualizationLayer& numeric = layer.numeric;
  numeric.weights = ReadFloats(graph, layer.weight_tensor);
  const std::vector<int32_t>& input_shape = graph.tensor(op.inputs[0]).shape;
  if (op.type == OpType::kDepthwiseConv2D) {
    // 1 x H x W x (C * M): input channel c feeds output channels c*M ... c*M + M-1.
    if (shape.size() != 4 || shape[3] <= 0 || input_shape.empty() || input_shape.back() <= 0 ||
        shape[3] % input_shape.back() != 0) {
      return "filter of " + OpName(graph, op_index) + " does not match its input channels";
    }
    const size_t channels = static_cast<size_t>(shape[3]);
    const size_t multiplier = channels / static_cast<size_t>(input_shape.back());
    numeric.layout = WeightLayout::kDepthwise;
    numeric.outputs = channels;
    numeric.inputs = channels / multiplier;
  } else {
    // CONV_2D: O x H x W x I. FULLY_CONNECTED: O x I.
    const size_t rank = op.type == OpType::kConv2D ? 4 : 2;
    if (shape.size() != rank || shape[0] <= 0 || shape.back() <= 0) {
      return "weights of " + OpName(graph, op_index) + " have shape " + model::ShapeToString(shape);
    }
    numeric.layout = WeightLayout::kDense;
    numeric.outputs = static_cast<size_t>(shape[0]);
    numeric.inputs = static_cast<size_t>(shape.back());
  }
  if (with_bias && op.inputs.size() > 2 && op.inputs[2] != model::kNoTensor) {
    layer.bias_tensor = op.inputs[2];
    if (std::string problem = ConstantProblem(graph, uses, layer.bias_tensor, "bias", op_index);
        !problem.empty()) {
      return problem;
    }
    numeric.bias = ReadFloats(graph, layer.bias_tensor);
    if (numeric.bias.size() != numeric.outputs) {
      return "bias of " + OpName(graph, op_index) + " does not have one value per channel";
    }
  }
  return layer;
}

struct Pair {
  int first_op;
  int second_op;
  int32_t tensor;
};

// Why the pair first -> second (second reads first's output) cannot be equalized, or empty.
std::string PairProblem(const Graph& graph, const std::vector<int>& uses, const Pair& pair) {
  const Op& first = graph.ops[static_cast<size_t>(pair.first_op)];
  const Op& second = graph.ops[static_cast<size_t>(pair.second_op)];
  const std::optional<Activation> activation = FusedActivation(first);
  if (!activation) return OpName(graph, pair.first_op) + " has no builtin options";
  if (*activation != Activation::kNone && *activation != Activation::kRelu) {
    return std::string("fused ") + model::ToString(*activation) + " of " +
           OpName(graph, pair.first_op) +
           " is not positively homogeneous (equalizing would move its clip)";
  }
  const model::Tensor& between = graph.tensor(pair.tensor);
  if (std::find(graph.outputs.begin(), graph.outputs.end(), pair.tensor) != graph.outputs.end()) {
    return "tensor '" + between.name + "' is a graph output";
  }
  if (uses[static_cast<size_t>(pair.tensor)] != 1) {
    return "tensor '" + between.name + "' has " +
           std::to_string(uses[static_cast<size_t>(pair.tensor)]) + " consumers";
  }
  if (second.inputs.empty() || second.inputs[0] != pair.tensor) {
    return "tensor '" + between.name + "' is not the data input of " +
           OpName(graph, pair.second_op);
  }
  if (between.type != DataType::kFloat32) return "tensor '" + between.name + "' is not float32";
  return {};
}

// Writes `values` rounded to float32 (round to nearest, once) as the data of `tensor`; a
// buffer that other tensors share is left to them and the tensor gets a new one.
void WriteFloats(Graph& graph, const std::vector<int>& buffer_users, int32_t tensor,
                 const std::vector<double>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(float));
  for (size_t i = 0; i < values.size(); ++i) {
    const float v = static_cast<float>(values[i]);
    std::memcpy(bytes.data() + i * sizeof(float), &v, sizeof(float));
  }
  model::Tensor& t = graph.tensor(tensor);
  if (buffer_users[static_cast<size_t>(t.buffer)] == 1) {
    graph.buffers[static_cast<size_t>(t.buffer)] = std::move(bytes);
  } else {
    t.buffer = graph.AddBuffer(std::move(bytes));
  }
}

}  // namespace

model::Graph EqualizeCrossLayer(const model::Graph& float_graph, EqualizationReport* report) {
  Graph graph = float_graph;
  EqualizationReport result;
  const std::vector<int> uses = CountTensorUses(graph);

  // Every op in an accepted pair, by index: an op is layer 1 of at most one pair (its output
  // has one consumer) and layer 2 of at most one (its data input), so chains share entries.
  std::map<int, LayerWeights> layers;
  std::vector<Pair> pairs;
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const Op& first = graph.ops[i];
    if (first.outputs.size() != 1 || first.outputs[0] < 0) continue;
    const int32_t between = first.outputs[0];
    for (size_t j = i + 1; j < graph.ops.size(); ++j) {
      const Op& second = graph.ops[j];
      if (std::find(second.inputs.begin(), second.inputs.end(), between) == second.inputs.end() ||
          !IsHandledPair(first.type, second.type)) {
        continue;
      }
      const Pair pair{static_cast<int>(i), static_cast<int>(j), between};
      std::string problem = PairProblem(graph, uses, pair);
      std::optional<LayerWeights> layer1, layer2;
      if (problem.empty()) {
        auto read = ReadLayer(graph, uses, pair.first_op, /*with_bias=*/true);
        if (auto* why = std::get_if<std::string>(&read)) {
          problem = *why;
        } else {
          layer1 = std::move(std::get<LayerWeights>(read));
        }
      }
      if (problem.empty()) {
        auto read = ReadLayer(graph, uses, pair.second_op, /*with_bias=*/false);
        if (auto* why = std::get_if<std::string>(&read)) {
          problem = *why;
        } else {
          layer2 = std::move(std::get<LayerWeights>(read));
        }
      }
      if (problem.empty()) {
        const int32_t channels =
            graph.tensor(between).shape.empty() ? -1 : graph.tensor(between).shape.back();
        if (layer1->numeric.outputs != layer2->numeric.inputs ||
            static_cast<int64_t>(layer1->numeric.outputs) != channels) {
          problem = "channels do not line up: " + std::to_string(layer1->numeric.outputs) +
                    " outputs of " + OpName(graph, pair.first_op) + ", " +
                    std::to_string(layer2->numeric.inputs) + " inputs of " +
                    OpName(graph, pair.second_op);
        }
      }
      const std::string& name = graph.tensor(between).name;
      if (!problem.empty()) {
        result.skipped.push_back({pair.first_op, pair.second_op, name, problem});
        continue;
      }
      result.equalized.push_back({pair.first_op, pair.second_op, name, layer1->numeric.outputs});
      pairs.push_back(pair);
      // Layer 1 may already be present as layer 2 of the previous pair, without its bias.
      auto [it, inserted] = layers.try_emplace(pair.first_op, std::move(*layer1));
      // (try_emplace leaves its argument alone when the key exists.)
      if (!inserted) {
        it->second.bias_tensor = layer1->bias_tensor;
        it->second.numeric.bias = std::move(layer1->numeric.bias);
      }
      layers.try_emplace(pair.second_op, std::move(*layer2));
    }
  }

  // The numeric part sees the layers in op order (the map's) and the pairs in graph order.
  std::vector<EqualizationLayer> numeric;
  std::map<int, size_t> layer_of_op;
  for (auto& [op_index, layer] : layers) {
    layer_of_op[op_index] = numeric.size();
    numeric.push_back(std::move(layer.numeric));
  }
  std::vector<LayerPair> numeric_pairs;
  for (const Pair& pair : pairs) {
    numeric_pairs.push_back({layer_of_op.at(pair.first_op), layer_of_op.at(pair.second_op)});
  }
  const SweepOutcome outcome = EqualizePairs(numeric, numeric_pairs);
  result.sweeps = outcome.sweeps;
  result.converged = outcome.converged;

  std::vector<int> buffer_users(graph.buffers.size(), 0);
  for (const model::Tensor& t : graph.tensors) {
    if (t.buffer >= 0 && static_cast<size_t>(t.buffer) < buffer_users.size()) {
      ++buffer_users[static_cast<size_t>(t.buffer)];
    }
  }
  // In op order, as buffers may be appended.
  for (const auto& [op_index, layer] : layers) {
    const EqualizationLayer& equalized = numeric[layer_of_op.at(op_index)];
    WriteFloats(graph, buffer_users, layer.weight_tensor, equalized.weights);
    if (layer.bias_tensor != model::kNoTensor) {
      WriteFloats(graph, buffer_users, layer.bias_tensor, equalized.bias);
    }
  }
  if (report) *report = std::move(result);
  return graph;
}

}  // namespace harness::quant
