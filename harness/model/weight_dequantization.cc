#include "harness/model/weight_dequantization.h"

#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"

namespace harness::model {
namespace {

bool IsScaledInt8Constant(const Tensor& tensor) {
  return tensor.type == DataType::kInt8 && tensor.is_constant() && !tensor.quantization.empty();
}

// A float op computes in float32; DEQUANTIZE is excluded because an int8 constant is its
// legitimate input (that is how weight-compressed float models are written), not a hybrid one.
bool IsFloatOp(const Graph& graph, const Op& op) {
  if (op.type == OpType::kDequantize) return false;
  for (int32_t output : op.outputs) {
    if (graph.tensor(output).type == DataType::kFloat32) return true;
  }
  return false;
}

bool IsHybridInput(const Graph& graph, const Op& op, int32_t input) {
  return input != kNoTensor && IsScaledInt8Constant(graph.tensor(input)) && IsFloatOp(graph, op);
}

// w = scale * (q - zero_point) in float32: q - zero_point is an exact integer, so the product is
// the only rounding, as in TFLite's DEQUANTIZE.
std::vector<uint8_t> DequantizedBytes(const Graph& graph, int32_t index) {
  const Tensor& tensor = graph.tensor(index);
  const Quantization& quantization = tensor.quantization;
  const std::string place = "tensor " + std::to_string(index) + " '" + tensor.name + "'";
  const std::vector<uint8_t>& data = graph.data(index);
  if (quantization.zero_points.size() != quantization.scales.size()) {
    throw Error(place, "scales and zero points differ in count");
  }
  // Elements of one slice along the quantized dimension are `inner` apart runs; the slice of
  // element i is (i / inner) % channels.
  size_t inner = 1;
  size_t channels = 1;
  if (quantization.per_axis()) {
    const int32_t dim = quantization.quantized_dimension;
    if (dim < 0 || static_cast<size_t>(dim) >= tensor.shape.size() ||
        static_cast<size_t>(tensor.shape[static_cast<size_t>(dim)]) !=
            quantization.scales.size()) {
      throw Error(place, "per-axis scales do not match shape " + ShapeToString(tensor.shape));
    }
    channels = quantization.scales.size();
    for (size_t d = static_cast<size_t>(dim) + 1; d < tensor.shape.size(); ++d) {
      inner *= static_cast<size_t>(tensor.shape[d]);
    }
  }
  std::vector<uint8_t> bytes(data.size() * sizeof(float));
  for (size_t i = 0; i < data.size(); ++i) {
    const size_t channel = (i / inner) % channels;
    const auto q = static_cast<int64_t>(static_cast<int8_t>(data[i]));
    const float value =
        quantization.scales[channel] *
        static_cast<float>(q - quantization.zero_points[channel]);
    std::memcpy(bytes.data() + i * sizeof(float), &value, sizeof(float));
  }
  return bytes;
}

}  // namespace

bool IsHybrid(const Graph& graph) {
  for (const Op& op : graph.ops) {
    for (int32_t input : op.inputs) {
      if (IsHybridInput(graph, op, input)) return true;
    }
  }
  return false;
}

Graph DequantizeHybridWeights(Graph graph) {
  const size_t tensor_count = graph.tensors.size();
  std::vector<bool> feeds_hybrid(tensor_count, false);
  std::vector<bool> feeds_other(tensor_count, false);
  for (const Op& op : graph.ops) {
    for (int32_t input : op.inputs) {
      if (input == kNoTensor || !IsScaledInt8Constant(graph.tensor(input))) continue;
      const auto index = static_cast<size_t>(input);
      if (IsFloatOp(graph, op)) {
        feeds_hybrid[index] = true;
      } else {
        feeds_other[index] = true;
      }
    }
  }

  std::vector<int32_t> replacement(tensor_count, kNoTensor);
  for (size_t i = 0; i < tensor_count; ++i) {
    if (!feeds_hybrid[i]) continue;
    std::vector<uint8_t> bytes = DequantizedBytes(graph, static_cast<int32_t>(i));
    Tensor dequantized = graph.tensors[i];
    dequantized.type = DataType::kFloat32;
    dequantized.quantization = Quantization{};
    // The int8 buffer may be shared with other tensors, so the floats get a buffer of their
    // own; a buffer no tensor uses any more is not written out (see tflite_writer.h).
    dequantized.buffer = graph.AddBuffer(std::move(bytes));
    if (feeds_other[i]) {
      dequantized.name += "/dequantized";
      graph.tensors.push_back(std::move(dequantized));
      replacement[i] = static_cast<int32_t>(graph.tensors.size() - 1);
    } else {
      graph.tensors[i] = std::move(dequantized);
      replacement[i] = static_cast<int32_t>(i);
    }
  }

  for (Op& op : graph.ops) {
    if (!IsFloatOp(graph, op)) continue;
    for (int32_t& input : op.inputs) {
      if (input != kNoTensor && static_cast<size_t>(input) < tensor_count &&
          replacement[static_cast<size_t>(input)] != kNoTensor) {
        input = replacement[static_cast<size_t>(input)];
      }
    }
  }
  return graph;
}

}  // namespace harness::model
