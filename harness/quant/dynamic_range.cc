#include "harness/quant/dynamic_range.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <variant>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/model/weight_dequantization.h"
#include "harness/quant/op_version.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::Graph;
using model::OpType;

// The weights of an op that has a hybrid kernel, or nullptr.
const model::WeightRule* HybridWeights(OpType type) {
  const model::OpDescriptor* descriptor = model::FindOp(type);
  if (descriptor == nullptr || !descriptor->quant.weights->has_value()) return nullptr;
  const model::WeightRule& weights = **descriptor->quant.weights;
  return weights.hybrid ? &weights : nullptr;
}

// True when every op reading `tensor` is of `type` and reads it as its weights.
bool OnlyWeightsOf(const Graph& graph, int32_t tensor, OpType type, int32_t filter_input) {
  for (const model::Op& op : graph.ops) {
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      if (op.inputs[i] == tensor && (op.type != type || static_cast<int32_t>(i) != filter_input))
        return false;
    }
  }
  for (int32_t output : graph.outputs) {
    if (output == tensor) return false;
  }
  return true;
}

std::vector<float> FloatValues(const std::vector<uint8_t>& bytes) {
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

// Quantizes tensor `index` in place: per slice along `channel_dim`, or per tensor when
// `channel_dim` is negative.
void QuantizeWeightTensor(Graph& graph, int32_t index, int32_t channel_dim) {
  model::Tensor& tensor = graph.tensor(index);
  const std::vector<float> values = FloatValues(graph.data(index));
  std::vector<int8_t> quantized(values.size());
  model::Quantization quantization;
  if (channel_dim < 0) {
    quantization.scales = {QuantizeSymmetricInt8(values.data(), values.size(), 1,
                                                  quantized.data())};
  } else {
    // Elements of channel c are the runs of `inner` elements starting at (o * channels + c) *
    // inner for every outer index o.
    const auto dim = static_cast<size_t>(channel_dim);
    const auto channels = static_cast<size_t>(tensor.shape.at(dim));
    size_t inner = 1;
    for (size_t d = dim + 1; d < tensor.shape.size(); ++d) {
      inner *= static_cast<size_t>(tensor.shape[d]);
    }
    const size_t outer = values.size() / (channels * inner);
    std::vector<float> slice(outer * inner);
    std::vector<int8_t> slice_q(slice.size());
    for (size_t c = 0; c < channels; ++c) {
      for (size_t o = 0; o < outer; ++o) {
        std::copy_n(values.begin() + static_cast<std::ptrdiff_t>((o * channels + c) * inner),
                    inner, slice.begin() + static_cast<std::ptrdiff_t>(o * inner));
      }
      quantization.scales.push_back(
          QuantizeSymmetricInt8(slice.data(), slice.size(), 1, slice_q.data()));
      for (size_t o = 0; o < outer; ++o) {
        std::copy_n(slice_q.begin() + static_cast<std::ptrdiff_t>(o * inner), inner,
                    quantized.begin() + static_cast<std::ptrdiff_t>((o * channels + c) * inner));
      }
    }
    quantization.quantized_dimension = channel_dim;
  }
  quantization.zero_points.assign(quantization.scales.size(), 0);
  std::vector<uint8_t> bytes(quantized.size());
  std::memcpy(bytes.data(), quantized.data(), quantized.size());
  tensor.buffer = graph.AddBuffer(std::move(bytes));
  tensor.type = DataType::kInt8;
  tensor.quantization = std::move(quantization);
}

}  // namespace

float QuantizeSymmetricInt8(const float* values, size_t count, size_t stride, int8_t* out) {
  float max_abs = 0.0f;
  for (size_t i = 0; i < count; ++i) max_abs = std::max(max_abs, std::fabs(values[i * stride]));
  const float scale = max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
  for (size_t i = 0; i < count; ++i) {
    // std::round rounds half away from zero, as TfLiteRound.
    const float q = std::round(values[i * stride] / scale);
    out[i] = static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f));
  }
  return scale;
}

Graph QuantizeDynamicRange(const Graph& float_graph, int64_t min_weight_elements) {
  Graph graph = model::DequantizeHybridWeights(float_graph);
  for (model::Op& op : graph.ops) {
    const model::WeightRule* rule = HybridWeights(op.type);
    if (rule == nullptr || op.inputs.size() <= static_cast<size_t>(rule->filter_input)) continue;
    const int32_t weight = op.inputs[static_cast<size_t>(rule->filter_input)];
    if (weight == model::kNoTensor) continue;
    const model::Tensor& tensor = graph.tensor(weight);
    if (graph.tensor(op.inputs[0]).type != DataType::kFloat32) continue;
    if (tensor.type != DataType::kFloat32 || !tensor.is_constant() ||
        model::ElementCount(tensor.shape) < min_weight_elements ||
        !OnlyWeightsOf(graph, weight, op.type, rule->filter_input)) {
      continue;
    }
    // TFLite's dynamic-range quantizer: per channel where the op's rule is, else per tensor.
    QuantizeWeightTensor(graph, weight, rule->per_channel_by_default ? rule->per_channel_axis : -1);
    // The hybrid FULLY_CONNECTED quantizes its input asymmetrically, as the converter sets it.
    if (auto* options = op.options.get_if<model::FullyConnectedOptions>()) {
      options->asymmetric_quantize_inputs = true;
    }
  }
  // Every op takes the version TFLite assigns for its types now: the hybrid versions for the
  // rewritten ops, and plain float versions for ops a hybrid input model had marked hybrid.
  for (model::Op& op : graph.ops) {
    if (const int32_t version = ExpectedOpVersion(graph, op); version > 0) op.version = version;
  }
  return graph;
}

}  // namespace harness::quant
