// Nodes with weights: Conv (CONV_2D or DEPTHWISE_CONV_2D), Gemm and MatMul
// (FULLY_CONNECTED), and BatchNormalization folded into the layer before it.
#include "harness/model/onnx_import_context.h"

#include <algorithm>
#include <cmath>

namespace harness::model::onnx_import {

namespace layout = onnx_layout;

void Importer::ConvertConv(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0);
  if (x.shape.size() != 4) throw Fail(node, "only 2-D convolutions (4-D input) are supported");
  const OnnxConstant& weights = ConstantInput(node, 1, true);
  if (weights.shape.size() != 4) throw Fail(node, "weights must be 4-D");
  const int64_t out_channels = weights.shape[0];
  const int64_t in_channels = x.shape[1];
  const int64_t group = IntAttr(node, "group", 1);
  std::vector<float> bias(static_cast<size_t>(out_channels), 0.0f);
  if (HasInput(node, 2)) {
    const OnnxConstant& b = ConstantInput(node, 2, true);
    if (b.count() != out_channels) throw Fail(node, "bias size does not match the output channels");
    bias = b.floats;
  }
  const Shape kernel = IntsAttr(node, "kernel_shape", {weights.shape[2], weights.shape[3]});
  if (kernel != Shape{weights.shape[2], weights.shape[3]}) {
    throw Fail(node, "kernel_shape does not match the weights");
  }
  const Window w = ReadWindow(node, x.shape, kernel);
  const Shape out_shape = WindowOutput(node, x.shape, w, out_channels);

  int32_t input_tensor = x.tensor;
  std::optional<Padding> padding = MatchPadding(x.shape, w);
  if (!padding) {
    input_tensor = PadActivation(node, x, w);
    padding = Padding::kValid;
  }
  const std::string& name = node.output(0);
  const int32_t bias_tensor = AddFloatConstant(name + "/bias", {out_channels}, bias);
  if (group == 1) {
    if (weights.shape[1] != in_channels) throw Fail(node, "weights do not match the input channels");
    const int32_t filter = AddFloatConstant(
        name + "/filter", {out_channels, kernel[0], kernel[1], in_channels},
        layout::OihwToOhwi(weights.floats, weights.shape));
    Conv2DOptions o;
    o.padding = *padding;
    o.stride_h = static_cast<int32_t>(w.stride_h);
    o.stride_w = static_cast<int32_t>(w.stride_w);
    o.dilation_h = static_cast<int32_t>(w.dilation_h);
    o.dilation_w = static_cast<int32_t>(w.dilation_w);
    Emit(node, OpType::kConv2D, {input_tensor, filter, bias_tensor}, name, out_shape, o);
  } else if (group == in_channels && weights.shape[1] == 1 && out_channels % in_channels == 0) {
    const int32_t filter = AddFloatConstant(name + "/filter", {1, kernel[0], kernel[1], out_channels},
                                            layout::DepthwiseToTflite(weights.floats, weights.shape));
    DepthwiseConv2DOptions o;
    o.padding = *padding;
    o.stride_h = static_cast<int32_t>(w.stride_h);
    o.stride_w = static_cast<int32_t>(w.stride_w);
    o.dilation_h = static_cast<int32_t>(w.dilation_h);
    o.dilation_w = static_cast<int32_t>(w.dilation_w);
    o.depth_multiplier = static_cast<int32_t>(out_channels / in_channels);
    Emit(node, OpType::kDepthwiseConv2D, {input_tensor, filter, bias_tensor}, name, out_shape, o);
  } else {
    throw Fail(node, "grouped convolution with group " + std::to_string(group) + " over " +
                         std::to_string(in_channels) +
                         " channels is not supported (only group 1 and depthwise, group = channels)");
  }
}

void Importer::EmitFullyConnected(const onnx::NodeProto& node, const Value& input,
                                  std::vector<float> weights, int64_t units, int64_t depth,
                                  std::vector<float> bias) {
  if (input.shape.empty() || input.shape.back() != depth) {
    throw Fail(node, "input's last dimension does not match the weights (" + std::to_string(depth) + ")");
  }
  if (input.flattened_chw) {
    const auto& chw = *input.flattened_chw;
    weights = layout::PermuteColumnsChwToHwc(weights, units, chw[0], chw[1], chw[2]);
  }
  const std::string& name = node.output(0);
  const int32_t filter = AddFloatConstant(name + "/weights", {units, depth}, weights);
  const int32_t bias_tensor = AddFloatConstant(name + "/bias", {units}, bias);
  Shape out_shape = input.shape;
  out_shape.back() = units;
  if (out_shape.size() == 4) throw Fail(node, "a 4-D (NCHW) input is not supported");
  FullyConnectedOptions o;
  o.keep_num_dims = out_shape.size() != 2;
  Emit(node, OpType::kFullyConnected, {input.tensor, filter, bias_tensor}, name, out_shape, o);
}

void Importer::ConvertGemm(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& a = ActivationInput(node, 0, true);
  if (a.shape.size() != 2) throw Fail(node, "input A must be 2-D");
  if (IntAttr(node, "transA", 0) != 0) throw Fail(node, "transA = 1 is not supported");
  const OnnxConstant& b = ConstantInput(node, 1, true);
  if (b.shape.size() != 2) throw Fail(node, "B must be a 2-D constant");
  const bool trans_b = IntAttr(node, "transB", 0) != 0;
  const float alpha = FloatAttr(node, "alpha", 1.0f);
  const float beta = FloatAttr(node, "beta", 1.0f);
  // FULLY_CONNECTED wants [units, depth]: B itself when transposed, else B transposed.
  std::vector<float> weights = trans_b ? b.floats : layout::Transpose(b.floats, b.shape, {1, 0}, nullptr);
  const int64_t units = trans_b ? b.shape[0] : b.shape[1];
  const int64_t depth = trans_b ? b.shape[1] : b.shape[0];
  for (float& v : weights) v *= alpha;
  std::vector<float> bias(static_cast<size_t>(units), 0.0f);
  if (HasInput(node, 2)) {
    const OnnxConstant& c = ConstantInput(node, 2, true);
    // A bias per unit (shape [units], [1, units] or a scalar) is all FC can add.
    const bool per_unit = c.count() == units && (c.shape.empty() || c.shape.back() == units);
    if (!per_unit && c.count() != 1) throw Fail(node, "C must broadcast along the rows (one value per unit)");
    for (int64_t u = 0; u < units; ++u) {
      bias[static_cast<size_t>(u)] = beta * c.floats[per_unit ? static_cast<size_t>(u) : 0];
    }
  }
  EmitFullyConnected(node, a, std::move(weights), units, depth, std::move(bias));
}

void Importer::ConvertMatMul(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& a = ActivationInput(node, 0, true);
  if (a.shape.size() < 2) throw Fail(node, "input A must have rank 2 or more");
  const OnnxConstant& b = ConstantInput(node, 1, true);
  if (b.shape.size() != 2) throw Fail(node, "B must be a 2-D constant");
  std::vector<float> weights = layout::Transpose(b.floats, b.shape, {1, 0}, nullptr);
  EmitFullyConnected(node, a, std::move(weights), b.shape[1], b.shape[0],
                     std::vector<float>(static_cast<size_t>(b.shape[1]), 0.0f));
}

void Importer::ConvertBatchNormalization(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0, true);
  if (IntAttr(node, "training_mode", 0) != 0) throw Fail(node, "training mode is not supported");
  if (x.shape.size() < 2) throw Fail(node, "input must have a channel axis");
  const int64_t channels = x.shape[1];
  const OnnxConstant* params[4];
  for (int i = 0; i < 4; ++i) {
    params[i] = &ConstantInput(node, i + 1, true);
    if (params[i]->count() != channels) throw Fail(node, "parameters must hold one value per channel");
  }
  const double epsilon = static_cast<double>(FloatAttr(node, "epsilon", 1e-5f));
  Op* producer = SoleProducer(node, x);
  const Activation* fused = producer != nullptr ? ActivationOf(*producer) : nullptr;
  const bool foldable = fused != nullptr && *fused == Activation::kNone && !x.flattened_chw &&
                        (producer->type == OpType::kConv2D || producer->type == OpType::kDepthwiseConv2D ||
                         producer->type == OpType::kFullyConnected);
  if (!foldable) {
    throw Fail(node, "batch normalization can only be folded into a Conv/Gemm/MatMul whose output "
                     "feeds nothing else");
  }
  if (producer->type == OpType::kFullyConnected && x.shape.size() != 2) {
    throw Fail(node, "batch normalization after a MatMul of rank above 2 is not supported");
  }
  // y = (x - mean) / sqrt(var + eps) * gamma + beta, folded as x * scale + shift with the
  // scale and shift computed in double, so folding adds no more than one float rounding.
  Tensor& filter = graph_.tensor(producer->inputs[1]);
  Tensor& bias = graph_.tensor(producer->inputs[2]);
  auto& filter_bytes = graph_.buffers[static_cast<size_t>(filter.buffer)];
  auto& bias_bytes = graph_.buffers[static_cast<size_t>(bias.buffer)];
  std::vector<float> w = Floats(filter_bytes);
  std::vector<float> b = Floats(bias_bytes);
  if (static_cast<int64_t>(b.size()) != channels) throw Fail(node, "channel count does not match the layer before");
  const bool channel_last = producer->type == OpType::kDepthwiseConv2D;
  const size_t per_channel = w.size() / static_cast<size_t>(channels);
  for (int64_t c = 0; c < channels; ++c) {
    const auto i = static_cast<size_t>(c);
    const double scale = static_cast<double>(params[0]->floats[i]) /
                         std::sqrt(static_cast<double>(params[3]->floats[i]) + epsilon);
    const double shift = static_cast<double>(params[1]->floats[i]) -
                         static_cast<double>(params[2]->floats[i]) * scale;
    for (size_t k = 0; k < per_channel; ++k) {
      const size_t index = channel_last ? k * static_cast<size_t>(channels) + i : i * per_channel + k;
      w[index] = static_cast<float>(static_cast<double>(w[index]) * scale);
    }
    b[i] = static_cast<float>(static_cast<double>(b[i]) * scale + shift);
  }
  filter_bytes = Bytes(w.data(), w.size() * sizeof(float));
  bias_bytes = Bytes(b.data(), b.size() * sizeof(float));
  Rebind(node, x, true);
}

}  // namespace harness::model::onnx_import
