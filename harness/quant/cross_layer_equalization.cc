#include "harness/quant/cross_layer_equalization.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <variant>

#include "harness/common/error.h"

namespace harness::quant {
namespace {

using model::Activation;
using model::DataType;
using model::Graph;
using model::Op;
using model::OpType;

// Sweeps stop once no scale differs from 1 by more than this: the ranges then agree to about
// 1e-6 relative, far below an int8 step (1/127).
constexpr double kConvergedChange = 1e-6;
constexpr int kMaxSweeps = 1000;
// A channel whose weight range is below this fraction of its layer's widest channel is dead.
constexpr double kDeadChannel = 1e-4;

bool IsHandledPair(OpType first, OpType second) {
  return (first == OpType::kDepthwiseConv2D && second == OpType::kConv2D) ||
         (first == OpType::kConv2D && second == OpType::kDepthwiseConv2D) ||
         (first == OpType::kConv2D && second == OpType::kConv2D) ||
         (first == OpType::kFullyConnected && second == OpType::kFullyConnected);
}

std::optional<Activation> FusedActivation(const Op& op) {
  if (const auto* o = std::get_if<model::Conv2DOptions>(&op.options)) return o->activation;
  if (const auto* o = std::get_if<model::DepthwiseConv2DOptions>(&op.options)) {
    return o->activation;
  }
  if (const auto* o = std::get_if<model::FullyConnectedOptions>(&op.options)) {
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

// Which channel a flat weight index belongs to: (index / stride) % count. Output and input
// channels of every layout take this form: OHWI O (stride H*W*I) and I (stride 1); FC [out, in]
// the same; depthwise 1HW(C*M) output k (stride 1, count C*M) and input c = k / M (stride M,
// count C, since C*M is a multiple of M).
struct ChannelAxis {
  size_t stride = 1;
  size_t count = 1;
  size_t of(size_t index) const { return (index / stride) % count; }
};

// One layer's weights in double with its two channel axes, so the same code scales rows of a
// FULLY_CONNECTED matrix, the O or I axis of an OHWI filter and the last axis of a depthwise
// filter.
struct LayerWeights {
  int32_t weight_tensor = -1;
  int32_t bias_tensor = model::kNoTensor;
  std::vector<double> weights;
  std::vector<double> bias;
  ChannelAxis out_axis;
  ChannelAxis in_axis;
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
  layer.weights = ReadFloats(graph, layer.weight_tensor);
  const std::vector<int32_t>& input_shape = graph.tensor(op.inputs[0]).shape;
  if (op.type == OpType::kDepthwiseConv2D) {
    // 1 x H x W x (C * M): input channel c feeds output channels c*M ... c*M + M-1.
    if (shape.size() != 4 || shape[3] <= 0 || input_shape.empty() || input_shape.back() <= 0 ||
        shape[3] % input_shape.back() != 0) {
      return "filter of " + OpName(graph, op_index) + " does not match its input channels";
    }
    const size_t channels = static_cast<size_t>(shape[3]);
    const size_t multiplier = channels / static_cast<size_t>(input_shape.back());
    layer.out_axis = {1, channels};
    layer.in_axis = {multiplier, channels / multiplier};
  } else {
    // CONV_2D: O x H x W x I. FULLY_CONNECTED: O x I.
    const size_t rank = op.type == OpType::kConv2D ? 4 : 2;
    if (shape.size() != rank || shape[0] <= 0 || shape.back() <= 0) {
      return "weights of " + OpName(graph, op_index) + " have shape " + model::ShapeToString(shape);
    }
    const size_t outputs = static_cast<size_t>(shape[0]);
    layer.out_axis = {layer.weights.size() / outputs, outputs};
    layer.in_axis = {1, static_cast<size_t>(shape.back())};
  }
  if (with_bias && op.inputs.size() > 2 && op.inputs[2] != model::kNoTensor) {
    layer.bias_tensor = op.inputs[2];
    if (std::string problem = ConstantProblem(graph, uses, layer.bias_tensor, "bias", op_index);
        !problem.empty()) {
      return problem;
    }
    layer.bias = ReadFloats(graph, layer.bias_tensor);
    if (layer.bias.size() != layer.out_axis.count) {
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

// max |w| per channel of `axis`.
std::vector<double> ChannelRanges(const std::vector<double>& weights, const ChannelAxis& axis) {
  std::vector<double> ranges(axis.count, 0.0);
  for (size_t e = 0; e < weights.size(); ++e) {
    double& r = ranges[axis.of(e)];
    r = std::max(r, std::abs(weights[e]));
  }
  return ranges;
}

// Equalizes one pair once; returns the largest |s_c - 1|.
double EqualizePair(LayerWeights& first, LayerWeights& second) {
  const std::vector<double> r1 = ChannelRanges(first.weights, first.out_axis);
  const std::vector<double> r2 = ChannelRanges(second.weights, second.in_axis);
  const double widest1 = *std::max_element(r1.begin(), r1.end());
  const double widest2 = *std::max_element(r2.begin(), r2.end());
  std::vector<double> scales(r1.size(), 1.0);
  double change = 0.0;
  for (size_t c = 0; c < r1.size(); ++c) {
    // A (nearly) dead channel is left alone. With r1_c ~ 0 the channel outputs f(bias), and
    // 1/s_c = sqrt(r2_c / r1_c) would multiply that constant by orders of magnitude and blow
    // up the per-tensor activation range (MobileNet's VWW model has such channels from folded
    // batch norms: int8 accuracy fell to chance); with r2_c ~ 0 nothing reads the channel.
    if (r1[c] > kDeadChannel * widest1 && r2[c] > kDeadChannel * widest2) {
      scales[c] = std::sqrt(r1[c] / r2[c]);
    }
    change = std::max(change, std::abs(scales[c] - 1.0));
  }
  for (size_t e = 0; e < first.weights.size(); ++e) {
    first.weights[e] /= scales[first.out_axis.of(e)];
  }
  for (size_t c = 0; c < first.bias.size(); ++c) first.bias[c] /= scales[c];
  for (size_t e = 0; e < second.weights.size(); ++e) {
    second.weights[e] *= scales[second.in_axis.of(e)];
  }
  return change;
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
        if (layer1->out_axis.count != layer2->in_axis.count ||
            static_cast<int64_t>(layer1->out_axis.count) != channels) {
          problem = "channels do not line up: " + std::to_string(layer1->out_axis.count) +
                    " outputs of " + OpName(graph, pair.first_op) + ", " +
                    std::to_string(layer2->in_axis.count) + " inputs of " +
                    OpName(graph, pair.second_op);
        }
      }
      const std::string& name = graph.tensor(between).name;
      if (!problem.empty()) {
        result.skipped.push_back({pair.first_op, pair.second_op, name, problem});
        continue;
      }
      result.equalized.push_back({pair.first_op, pair.second_op, name, layer1->out_axis.count});
      pairs.push_back(pair);
      // Layer 1 may already be present as layer 2 of the previous pair, without its bias.
      auto [it, inserted] = layers.try_emplace(pair.first_op, std::move(*layer1));
      // (try_emplace leaves its argument alone when the key exists.)
      if (!inserted) {
        it->second.bias_tensor = layer1->bias_tensor;
        it->second.bias = std::move(layer1->bias);
      }
      layers.try_emplace(pair.second_op, std::move(*layer2));
    }
  }

  while (!pairs.empty() && result.sweeps < kMaxSweeps) {
    ++result.sweeps;
    double change = 0.0;
    for (const Pair& pair : pairs) {
      change = std::max(change, EqualizePair(layers.at(pair.first_op), layers.at(pair.second_op)));
    }
    if (change <= kConvergedChange) {
      result.converged = true;
      break;
    }
  }
  if (pairs.empty()) result.converged = true;

  std::vector<int> buffer_users(graph.buffers.size(), 0);
  for (const model::Tensor& t : graph.tensors) {
    if (t.buffer >= 0 && static_cast<size_t>(t.buffer) < buffer_users.size()) {
      ++buffer_users[static_cast<size_t>(t.buffer)];
    }
  }
  for (const auto& [op_index, layer] : layers) {
    WriteFloats(graph, buffer_users, layer.weight_tensor, layer.weights);
    if (layer.bias_tensor != model::kNoTensor) {
      WriteFloats(graph, buffer_users, layer.bias_tensor, layer.bias);
    }
  }
  if (report) *report = std::move(result);
  return graph;
}

}  // namespace harness::quant
