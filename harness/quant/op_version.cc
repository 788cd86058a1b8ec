#include "harness/quant/op_version.h"

#include <variant>

namespace harness::quant {
namespace {

using model::DataType;
using model::OpType;

DataType InputType(const model::Graph& graph, const model::Op& op, size_t i) {
  if (i >= op.inputs.size() || op.inputs[i] == model::kNoTensor) return DataType::kFloat32;
  return graph.tensor(op.inputs[i]).type;
}

DataType OutputType(const model::Graph& graph, const model::Op& op) {
  return op.outputs.empty() ? DataType::kFloat32 : graph.tensor(op.outputs[0]).type;
}

// TFLite's op signature calls a filter per-channel when it has more than one scale.
bool PerChannelFilter(const model::Graph& graph, const model::Op& op) {
  return op.inputs.size() > 1 && op.inputs[1] != model::kNoTensor &&
         graph.tensor(op.inputs[1]).quantization.scales.size() > 1;
}

bool IsHybrid(DataType input, DataType filter, DataType output) {
  return input == DataType::kFloat32 && filter == DataType::kInt8 && output == DataType::kFloat32;
}

bool IsInt8(DataType input, DataType filter, DataType output) {
  return input == DataType::kInt8 && filter == DataType::kInt8 && output == DataType::kInt8;
}

// The versions of the simple ops: 3 for int16, 2 for int8, else 1.
int32_t ByActivationType(DataType input) {
  if (input == DataType::kInt16) return 3;
  if (input == DataType::kInt8) return 2;
  return 1;
}

// 16x8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: TFLite's int16 branches (CONV_2D 4,
// DEPTHWISE 5, FC 7) test for an int16 *filter* (16x16), and its quantized_bias_type branches
// (CONV_2D 8, FC 11) need that option set, which the IR does not hold and the writer does not
// write. An int8 filter with int16 activations and no quantized_bias_type therefore falls through
// to the generic versions, which the functions below return.
int32_t Conv2DVersion(DataType in, DataType filter, DataType out, bool per_channel) {
  if (IsInt8(in, filter, out)) return 3;
  if (IsHybrid(in, filter, out)) return per_channel ? 5 : 2;
  return 1;
}

int32_t DepthwiseVersion(DataType in, DataType filter, DataType out, bool per_channel,
                         const model::Op& op) {
  if (IsHybrid(in, filter, out)) return per_channel ? 6 : 4;
  if (IsInt8(in, filter, out)) return 3;
  const auto* options = std::get_if<model::DepthwiseConv2DOptions>(&op.options);
  if (options != nullptr && (options->dilation_w != 1 || options->dilation_h != 1)) return 2;
  return 1;
}

int32_t FullyConnectedVersion(DataType in, DataType filter, DataType out, bool per_channel,
                              const model::Op& op) {
  const auto* options = std::get_if<model::FullyConnectedOptions>(&op.options);
  if (IsHybrid(in, filter, out) && per_channel) return 12;
  // TFLite counts the inputs the op lists: an FC written with two inputs has no bias (v6); one
  // that lists an omitted bias (-1) does not take this branch.
  if (op.inputs.size() == 2) return 6;
  if (options != nullptr && options->keep_num_dims) return 5;
  if (IsInt8(in, filter, out)) return 4;
  if (IsHybrid(in, filter, out)) {
    return options != nullptr && options->asymmetric_quantize_inputs ? 9 : 3;
  }
  return 1;
}

}  // namespace

int32_t ExpectedOpVersion(const model::Graph& graph, const model::Op& op) {
  const DataType in = InputType(graph, op, 0);
  const DataType filter = InputType(graph, op, 1);
  const DataType out = OutputType(graph, op);
  switch (op.type) {
    case OpType::kConv2D:
      return Conv2DVersion(in, filter, out, PerChannelFilter(graph, op));
    case OpType::kDepthwiseConv2D:
      return DepthwiseVersion(in, filter, out, PerChannelFilter(graph, op), op);
    case OpType::kFullyConnected:
      return FullyConnectedVersion(in, filter, out, PerChannelFilter(graph, op), op);
    case OpType::kDequantize:
      if (in == DataType::kInt16 || in == DataType::kFloat16) return 3;
      if (in == DataType::kInt8) {
        return graph.tensor(op.inputs[0]).quantization.scales.size() > 1 ? 5 : 2;
      }
      return 1;
    case OpType::kQuantize:
      if (graph.tensor(op.outputs[0]).quantization.scales.size() > 1) return 3;
      return out == DataType::kInt16 ? 2 : 1;
    case OpType::kAveragePool2D:
    case OpType::kMaxPool2D:
      if (in == DataType::kInt16 && out == DataType::kInt16) return 3;
      return in == DataType::kInt8 ? 2 : 1;
    case OpType::kTanh:
    case OpType::kLogistic:
      if (in == DataType::kInt16 && out == DataType::kInt16) return 3;
      return in == DataType::kInt8 ? 2 : 1;
    case OpType::kSoftmax:
    case OpType::kMean:
    case OpType::kRelu6:
    case OpType::kConcatenation:
    case OpType::kRelu:
      return ByActivationType(in);
    case OpType::kPad:
      if (!op.inputs.empty() && graph.tensor(op.inputs[0]).shape.size() > 4) return 4;
      return ByActivationType(in);
    case OpType::kAdd:
      // int16 ADD's version depends on pot_scale_int16, which the IR does not hold.
      if (in == DataType::kInt16) return 0;
      return in == DataType::kInt8 ? 2 : 1;
    case OpType::kMul:
      // MUL v3 (rescale >= 1) depends on scales; a quantized int16 MUL is version 4 (7 is the
      // unquantized int16 integer MUL).
      if (in == DataType::kInt16) return graph.tensor(op.inputs[0]).quantization.empty() ? 7 : 4;
      if (in == DataType::kInt8) {
        const auto& q1 = graph.tensor(op.inputs[0]).quantization;
        const auto& q2 = graph.tensor(op.inputs[1]).quantization;
        const auto& qo = graph.tensor(op.outputs[0]).quantization;
        if (!q1.empty() && !q2.empty() && !qo.empty() && qo.scales[0] != 0.0f &&
            q1.scales[0] * q2.scales[0] / qo.scales[0] >= 1.0f) {
          return 3;
        }
        return 2;
      }
      return 1;
    case OpType::kReshape:
    case OpType::kHardSwish:
      return 1;
  }
  return 0;
}

}  // namespace harness::quant
