#include "harness/model/onnx_importer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include <onnx/onnx_pb.h>

#include "harness/common/error.h"
#include "harness/model/onnx_layout.h"
#include "harness/model/onnx_tensor.h"

namespace harness::model {
namespace {

namespace layout = onnx_layout;
using Shape = std::vector<int64_t>;

constexpr int64_t kMinOpset = 11;
constexpr int64_t kMaxOpset = 17;

// What an ONNX value name stands for while converting.
struct Value {
  Shape shape;  // the ONNX (NCHW) shape
  std::optional<OnnxConstant> constant;
  int32_t tensor = -1;  // graph tensor of an activation
  // Set when this activation is an NCHW tensor [N, C, H, W] flattened to [N, C*H*W] whose data
  // is held in NHWC order ({C, H, W}); only a following Gemm/MatMul can absorb that.
  std::optional<std::array<int64_t, 3>> flattened_chw;
};

std::vector<uint8_t> Bytes(const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  return std::vector<uint8_t>(p, p + size);
}

std::vector<float> Floats(const std::vector<uint8_t>& bytes) {
  std::vector<float> out(bytes.size() / sizeof(float));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

Shape Stored(const Shape& shape) {
  return shape.size() == 4 ? layout::NchwToNhwcShape(shape) : shape;
}

Activation* ActivationOf(Op& op) {
  return std::visit(
      [](auto& o) -> Activation* {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, Conv2DOptions> ||
                      std::is_same_v<T, DepthwiseConv2DOptions> ||
                      std::is_same_v<T, FullyConnectedOptions> ||
                      std::is_same_v<T, AddOptions> || std::is_same_v<T, MulOptions>) {
          return &o.activation;
        } else {
          return nullptr;
        }
      },
      op.options);
}

class Importer {
 public:
  Importer(const onnx::ModelProto& model, std::string path) : model_(model), path_(std::move(path)) {}

  Graph Run();

 private:
  using Converter = void (Importer::*)(const onnx::NodeProto&);

  // ----- places and errors
  std::string NodePlace(const onnx::NodeProto& node) const {
    const std::string name = node.name().empty() ? "#" + std::to_string(node_index_) : node.name();
    return path_ + ": node '" + name + "' (" + node.op_type() + ", opset " +
           std::to_string(opset_) + ")";
  }
  Error Fail(const onnx::NodeProto& node, const std::string& message) const {
    return Error(NodePlace(node), message);
  }

  // ----- attributes
  const onnx::AttributeProto* Attr(const onnx::NodeProto& node, const std::string& name) const {
    for (const auto& a : node.attribute()) {
      if (a.name() == name) return &a;
    }
    return nullptr;
  }
  int64_t IntAttr(const onnx::NodeProto& node, const std::string& name, int64_t fallback) const {
    const auto* a = Attr(node, name);
    return a ? a->i() : fallback;
  }
  float FloatAttr(const onnx::NodeProto& node, const std::string& name, float fallback) const {
    const auto* a = Attr(node, name);
    return a ? a->f() : fallback;
  }
  std::string StringAttr(const onnx::NodeProto& node, const std::string& name,
                         const std::string& fallback) const {
    const auto* a = Attr(node, name);
    return a ? a->s() : fallback;
  }
  Shape IntsAttr(const onnx::NodeProto& node, const std::string& name, Shape fallback) const {
    const auto* a = Attr(node, name);
    return a ? Shape(a->ints().begin(), a->ints().end()) : fallback;
  }

  // ----- inputs
  bool HasInput(const onnx::NodeProto& node, int i) const {
    return i < node.input_size() && !node.input(i).empty();
  }
  const Value& Input(const onnx::NodeProto& node, int i) const {
    if (!HasInput(node, i)) throw Fail(node, "input " + std::to_string(i) + " is missing");
    auto it = values_.find(node.input(i));
    if (it == values_.end()) throw Fail(node, "input '" + node.input(i) + "' is not defined");
    return it->second;
  }
  // An activation input; a flattened NCHW value only where the caller can absorb it.
  const Value& ActivationInput(const onnx::NodeProto& node, int i,
                               bool flattened_ok = false) const {
    const Value& v = Input(node, i);
    if (v.constant) {
      throw Fail(node, "input '" + node.input(i) + "' is a constant; only activations are supported here");
    }
    if (v.flattened_chw && !flattened_ok) {
      throw Fail(node, "input '" + node.input(i) +
                           "' is an NCHW tensor flattened; its NHWC element order differs and only "
                           "a following Gemm/MatMul can absorb that");
    }
    return v;
  }
  const OnnxConstant& ConstantInput(const onnx::NodeProto& node, int i, bool want_float) const {
    const Value& v = Input(node, i);
    if (!v.constant) throw Fail(node, "input '" + node.input(i) + "' must be a constant");
    if (v.constant->is_float != want_float) {
      throw Fail(node, "input '" + node.input(i) + "' must hold " +
                           (want_float ? "float" : "integer") + " data");
    }
    return *v.constant;
  }
  void ExpectOneOutput(const onnx::NodeProto& node) const {
    for (int i = 1; i < node.output_size(); ++i) {
      if (!node.output(i).empty() && consumers_.count(node.output(i)) > 0) {
        throw Fail(node, "output " + std::to_string(i) + " is used; only the first is supported");
      }
    }
    if (node.output_size() < 1 || node.output(0).empty()) throw Fail(node, "has no output");
  }

  // ----- graph building
  int32_t CheckedDim(const onnx::NodeProto* node, int64_t d) const {
    if (d < 1 || d > std::numeric_limits<int32_t>::max()) {
      const std::string message = "dimension " + std::to_string(d) + " is not supported";
      if (node) throw Fail(*node, message);
      throw Error(path_, message);
    }
    return static_cast<int32_t>(d);
  }
  std::vector<int32_t> Dims(const onnx::NodeProto* node, const Shape& shape) const {
    std::vector<int32_t> out;
    for (int64_t d : shape) out.push_back(CheckedDim(node, d));
    return out;
  }
  int32_t AddTensor(const std::string& name, std::vector<int32_t> shape, DataType type,
                    int32_t buffer) {
    Tensor t;
    t.name = name;
    t.type = type;
    t.shape = std::move(shape);
    t.buffer = buffer;
    graph_.tensors.push_back(std::move(t));
    producer_.push_back(-1);
    aliases_.push_back(1);
    return static_cast<int32_t>(graph_.tensors.size() - 1);
  }
  int32_t AddFloatConstant(const std::string& name, const Shape& shape,
                           const std::vector<float>& data) {
    const int32_t buffer = graph_.AddBuffer(Bytes(data.data(), data.size() * sizeof(float)));
    return AddTensor(name, Dims(nullptr, shape), DataType::kFloat32, buffer);
  }
  int32_t AddInt32Constant(const std::string& name, const std::vector<int32_t>& shape,
                           const std::vector<int32_t>& data) {
    const int32_t buffer = graph_.AddBuffer(Bytes(data.data(), data.size() * sizeof(int32_t)));
    return AddTensor(name, shape, DataType::kInt32, buffer);
  }
  // Adds the op producing the activation `output_name` of ONNX shape `shape` and binds it.
  int32_t Emit(const onnx::NodeProto& node, OpType type, std::vector<int32_t> inputs,
               const std::string& output_name, const Shape& shape, OpOptions options,
               std::optional<std::array<int64_t, 3>> flattened = std::nullopt) {
    const int32_t out = AddTensor(output_name, Dims(&node, Stored(shape)), DataType::kFloat32, -1);
    Op op;
    op.type = type;
    op.inputs = std::move(inputs);
    op.outputs = {out};
    op.options = std::move(options);
    graph_.ops.push_back(std::move(op));
    producer_[static_cast<size_t>(out)] = static_cast<int>(graph_.ops.size() - 1);
    Value v;
    v.shape = shape;
    v.tensor = out;
    v.flattened_chw = flattened;
    values_[output_name] = std::move(v);
    return out;
  }
  // The op that produced `value` if this node is its only user, so the node may be folded
  // into it (batch norm into weights, an activation into the fused activation).
  Op* SoleProducer(const onnx::NodeProto& node, const Value& value) {
    if (value.constant || value.tensor < 0) return nullptr;
    const int op = producer_[static_cast<size_t>(value.tensor)];
    if (op < 0 || consumers_[node.input(0)] != 1 || aliases_[static_cast<size_t>(value.tensor)] != 1) {
      return nullptr;
    }
    return &graph_.ops[static_cast<size_t>(op)];
  }
  // Binds the node's output to its input's tensor (the node was folded away).
  void Rebind(const onnx::NodeProto& node, const Value& value, bool input_dead) {
    Value copy = value;
    if (input_dead) {
      graph_.tensor(value.tensor).name = node.output(0);
    } else {
      ++aliases_[static_cast<size_t>(value.tensor)];
    }
    values_[node.output(0)] = std::move(copy);
  }
  bool InputIsDead(const onnx::NodeProto& node) {
    return consumers_[node.input(0)] == 1;
  }

  // ----- padding
  struct Window {
    int64_t kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w;
    std::array<int64_t, 4> pads;  // top, left, bottom, right
  };
  Window ReadWindow(const onnx::NodeProto& node, const Shape& input, const Shape& kernel) const;
  std::optional<Padding> MatchPadding(const Shape& input, const Window& w) const;
  Shape WindowOutput(const onnx::NodeProto& node, const Shape& input, const Window& w,
                     int64_t channels) const;
  int32_t PadActivation(const onnx::NodeProto& node, const Value& input, const Window& w);

  // ----- converters
  void Convert(const onnx::NodeProto& node);
  void ConvertConv(const onnx::NodeProto& node);
  void ConvertGemm(const onnx::NodeProto& node);
  void ConvertMatMul(const onnx::NodeProto& node);
  void EmitFullyConnected(const onnx::NodeProto& node, const Value& input, std::vector<float> weights,
                          int64_t units, int64_t depth, std::vector<float> bias);
  void ConvertRelu(const onnx::NodeProto& node);
  void ConvertClip(const onnx::NodeProto& node);
  void ConvertActivation(const onnx::NodeProto& node, Activation fused, OpType op);
  void ConvertSigmoid(const onnx::NodeProto& node) { ConvertUnary(node, OpType::kLogistic); }
  void ConvertTanh(const onnx::NodeProto& node) { ConvertUnary(node, OpType::kTanh); }
  void ConvertHardSwish(const onnx::NodeProto& node) { ConvertUnary(node, OpType::kHardSwish); }
  void ConvertUnary(const onnx::NodeProto& node, OpType type);
  void ConvertAdd(const onnx::NodeProto& node) { ConvertBinary(node, OpType::kAdd); }
  void ConvertMul(const onnx::NodeProto& node) { ConvertBinary(node, OpType::kMul); }
  void ConvertBinary(const onnx::NodeProto& node, OpType type);
  void ConvertMaxPool(const onnx::NodeProto& node) { ConvertPool(node, OpType::kMaxPool2D); }
  void ConvertAveragePool(const onnx::NodeProto& node) {
    ConvertPool(node, OpType::kAveragePool2D);
  }
  void ConvertPool(const onnx::NodeProto& node, OpType type);
  void ConvertGlobalAveragePool(const onnx::NodeProto& node);
  void ConvertReduceMean(const onnx::NodeProto& node);
  void EmitMean(const onnx::NodeProto& node, const Value& x, const Shape& axes, bool keep_dims);
  void ConvertFlatten(const onnx::NodeProto& node);
  void ConvertReshape(const onnx::NodeProto& node);
  void EmitReshape(const onnx::NodeProto& node, const Value& x, const Shape& target);
  void ConvertConcat(const onnx::NodeProto& node);
  void ConvertPad(const onnx::NodeProto& node);
  void ConvertSoftmax(const onnx::NodeProto& node);
  void ConvertBatchNormalization(const onnx::NodeProto& node);
  void ConvertTranspose(const onnx::NodeProto& node);
  void ConvertIdentity(const onnx::NodeProto& node);
  void ConvertConstant(const onnx::NodeProto& node);
  void ConvertShape(const onnx::NodeProto& node);
  void ConvertGather(const onnx::NodeProto& node);
  void ConvertUnsqueeze(const onnx::NodeProto& node);

  void ReadInputs();
  void BindOutputs();

  const onnx::ModelProto& model_;
  std::string path_;
  int64_t opset_ = 0;
  int node_index_ = 0;
  Graph graph_;
  std::map<std::string, Value> values_;
  std::map<std::string, int> consumers_;  // node inputs plus graph outputs, per name
  std::vector<int> producer_;             // op index per tensor, -1 for none
  std::vector<int> aliases_;              // live ONNX names per tensor
};

// ----- padding

Importer::Window Importer::ReadWindow(const onnx::NodeProto& node, const Shape& input,
                                      const Shape& kernel) const {
  Window w{};
  if (kernel.size() != 2) throw Fail(node, "only 2-D windows are supported");
  w.kernel_h = kernel[0];
  w.kernel_w = kernel[1];
  const Shape strides = IntsAttr(node, "strides", {1, 1});
  const Shape dilations = IntsAttr(node, "dilations", {1, 1});
  if (strides.size() != 2 || dilations.size() != 2 || strides[0] < 1 || strides[1] < 1 ||
      dilations[0] < 1 || dilations[1] < 1) {
    throw Fail(node, "strides and dilations must be two positive values");
  }
  w.stride_h = strides[0];
  w.stride_w = strides[1];
  w.dilation_h = dilations[0];
  w.dilation_w = dilations[1];
  const std::string auto_pad = StringAttr(node, "auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") {
    const Shape pads = IntsAttr(node, "pads", {0, 0, 0, 0});
    if (pads.size() != 4) throw Fail(node, "pads must hold 4 values");
    for (int64_t p : pads) {
      if (p < 0) throw Fail(node, "negative pads are not supported");
    }
    // ONNX order: begin of H, begin of W, end of H, end of W.
    w.pads = {pads[0], pads[1], pads[2], pads[3]};
  } else if (auto_pad == "VALID") {
    w.pads = {0, 0, 0, 0};
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    const int64_t in[2] = {input[2], input[3]};
    const int64_t eff[2] = {(w.kernel_h - 1) * w.dilation_h + 1, (w.kernel_w - 1) * w.dilation_w + 1};
    const int64_t stride[2] = {w.stride_h, w.stride_w};
    for (int i = 0; i < 2; ++i) {
      const int64_t out = (in[i] + stride[i] - 1) / stride[i];
      const int64_t total = std::max<int64_t>((out - 1) * stride[i] + eff[i] - in[i], 0);
      const int64_t small = total / 2;
      // SAME_UPPER puts the odd pixel at the end (TFLite's rule), SAME_LOWER at the start.
      w.pads[static_cast<size_t>(i)] = auto_pad == "SAME_UPPER" ? small : total - small;
      w.pads[static_cast<size_t>(i + 2)] = total - w.pads[static_cast<size_t>(i)];
    }
  } else {
    throw Fail(node, "auto_pad '" + auto_pad + "' is not supported");
  }
  return w;
}

// TFLite's padding that gives exactly these pads, if any: VALID when there are none, SAME when
// they are TFLite's SAME pads (the odd pixel at the end).
std::optional<Padding> Importer::MatchPadding(const Shape& input, const Window& w) const {
  if (w.pads == std::array<int64_t, 4>{0, 0, 0, 0}) return Padding::kValid;
  const int64_t in[2] = {input[2], input[3]};
  const int64_t eff[2] = {(w.kernel_h - 1) * w.dilation_h + 1, (w.kernel_w - 1) * w.dilation_w + 1};
  const int64_t stride[2] = {w.stride_h, w.stride_w};
  for (int i = 0; i < 2; ++i) {
    const int64_t out = (in[i] + stride[i] - 1) / stride[i];
    const int64_t total = std::max<int64_t>((out - 1) * stride[i] + eff[i] - in[i], 0);
    if (w.pads[static_cast<size_t>(i)] != total / 2 ||
        w.pads[static_cast<size_t>(i + 2)] != total - total / 2) {
      return std::nullopt;
    }
  }
  return Padding::kSame;
}

// ONNX's output size with explicit pads (floor mode), as [N, channels, H, W].
Shape Importer::WindowOutput(const onnx::NodeProto& node, const Shape& input, const Window& w,
                             int64_t channels) const {
  const int64_t eff_h = (w.kernel_h - 1) * w.dilation_h + 1;
  const int64_t eff_w = (w.kernel_w - 1) * w.dilation_w + 1;
  const int64_t span_h = input[2] + w.pads[0] + w.pads[2] - eff_h;
  const int64_t span_w = input[3] + w.pads[1] + w.pads[3] - eff_w;
  if (span_h < 0 || span_w < 0) throw Fail(node, "the window is larger than the padded input");
  return {input[0], channels, span_h / w.stride_h + 1, span_w / w.stride_w + 1};
}

// A PAD op (zeros) in front of a VALID window op; returns the padded tensor.
int32_t Importer::PadActivation(const onnx::NodeProto& node, const Value& input, const Window& w) {
  const std::vector<int32_t> paddings = {0, 0,
                                         static_cast<int32_t>(w.pads[0]), static_cast<int32_t>(w.pads[2]),
                                         static_cast<int32_t>(w.pads[1]), static_cast<int32_t>(w.pads[3]),
                                         0, 0};
  const std::string name = node.output(0) + "/pad";
  const int32_t pads = AddInt32Constant(name + "/paddings", {4, 2}, paddings);
  const Shape padded = {input.shape[0], input.shape[1], input.shape[2] + w.pads[0] + w.pads[2],
                        input.shape[3] + w.pads[1] + w.pads[3]};
  const Value saved = values_[node.output(0)];  // Emit binds the name; restore below
  const int32_t out = Emit(node, OpType::kPad, {input.tensor, pads}, name, padded, std::monostate{});
  values_.erase(name);
  (void)saved;
  return out;
}

// ----- converters

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

void Importer::ConvertActivation(const onnx::NodeProto& node, Activation fused, OpType type) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0, true);
  if (Op* producer = SoleProducer(node, x)) {
    Activation* slot = ActivationOf(*producer);
    if (slot != nullptr && *slot == Activation::kNone) {
      *slot = fused;
      Rebind(node, x, true);
      return;
    }
  }
  Emit(node, type, {x.tensor}, node.output(0), x.shape, std::monostate{}, x.flattened_chw);
}

void Importer::ConvertRelu(const onnx::NodeProto& node) {
  ConvertActivation(node, Activation::kRelu, OpType::kRelu);
}

void Importer::ConvertClip(const onnx::NodeProto& node) {
  float low = -std::numeric_limits<float>::infinity();
  float high = std::numeric_limits<float>::infinity();
  if (opset_ < 11) {
    low = FloatAttr(node, "min", low);
    high = FloatAttr(node, "max", high);
  } else {
    for (int i = 1; i <= 2; ++i) {
      if (!HasInput(node, i)) continue;
      const OnnxConstant& c = ConstantInput(node, i, true);
      if (c.count() != 1) throw Fail(node, "min and max must be scalars");
      (i == 1 ? low : high) = c.floats[0];
    }
  }
  if (low == 0.0f && high == 6.0f) return ConvertActivation(node, Activation::kRelu6, OpType::kRelu6);
  if (low == 0.0f && std::isinf(high) && high > 0) {
    return ConvertActivation(node, Activation::kRelu, OpType::kRelu);
  }
  std::ostringstream range;
  range << "[" << low << ", " << high << "]";
  throw Fail(node, "clip range " + range.str() + " is not supported (only [0, 6] and [0, inf])");
}

void Importer::ConvertUnary(const onnx::NodeProto& node, OpType type) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0, true);
  Emit(node, type, {x.tensor}, node.output(0), x.shape, std::monostate{}, x.flattened_chw);
}

void Importer::ConvertBinary(const onnx::NodeProto& node, OpType type) {
  ExpectOneOutput(node);
  const Value& a = Input(node, 0);
  const Value& b = Input(node, 1);
  if (a.constant && b.constant) throw Fail(node, "both inputs are constants (fold them before export)");
  const bool a_is_activation = !a.constant;
  const Value& x = a_is_activation ? a : b;
  const Value& other = a_is_activation ? b : a;
  if (x.flattened_chw || other.flattened_chw) {
    throw Fail(node, "an input is an NCHW tensor flattened; its NHWC element order differs");
  }
  Shape out_shape;
  if (!layout::BroadcastShapes(x.shape, other.shape, &out_shape)) {
    throw Fail(node, "input shapes do not broadcast");
  }
  int32_t other_tensor = other.tensor;
  if (other.constant) {
    if (!other.constant->is_float) throw Fail(node, "constant operand must be float");
    if (other.shape.size() > x.shape.size()) throw Fail(node, "constant operand has a higher rank than the activation");
    // The constant at the activation's rank, then in its stored layout.
    Shape expanded(x.shape.size() - other.shape.size(), 1);
    expanded.insert(expanded.end(), other.shape.begin(), other.shape.end());
    std::vector<float> data = other.constant->floats;
    Shape stored = expanded;
    if (expanded.size() == 4) data = layout::Transpose(data, expanded, {0, 2, 3, 1}, &stored);
    other_tensor = AddFloatConstant(node.output(0) + "/operand", stored, data);
  } else if ((x.shape.size() == 4) != (other.shape.size() == 4)) {
    throw Fail(node, "a 4-D (NCHW) activation meets one of another rank");
  }
  OpOptions options;
  if (type == OpType::kAdd) options = AddOptions{};
  else options = MulOptions{};
  const int32_t first = a_is_activation ? x.tensor : other_tensor;
  const int32_t second = a_is_activation ? other_tensor : x.tensor;
  Emit(node, type, {first, second}, node.output(0), out_shape, options);
}

void Importer::ConvertPool(const onnx::NodeProto& node, OpType type) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0);
  if (x.shape.size() != 4) throw Fail(node, "only 2-D pooling (4-D input) is supported");
  const Window w = ReadWindow(node, x.shape, IntsAttr(node, "kernel_shape", {}));
  if (w.dilation_h != 1 || w.dilation_w != 1) throw Fail(node, "dilated pooling is not supported");
  const Shape out_shape = WindowOutput(node, x.shape, w, x.shape[1]);
  if (IntAttr(node, "ceil_mode", 0) != 0) {
    const Window ceil = w;
    const int64_t span_h = x.shape[2] + w.pads[0] + w.pads[2] - w.kernel_h;
    const int64_t span_w = x.shape[3] + w.pads[1] + w.pads[3] - w.kernel_w;
    if (span_h % w.stride_h != 0 || span_w % w.stride_w != 0) {
      throw Fail(node, "ceil_mode = 1 changes the output size here, which TFLite cannot express");
    }
    (void)ceil;
  }
  std::optional<Padding> padding = MatchPadding(x.shape, w);
  int32_t input_tensor = x.tensor;
  if (type == OpType::kAveragePool2D && IntAttr(node, "count_include_pad", 0) != 0 &&
      padding == Padding::kSame) {
    padding = std::nullopt;  // TFLite's SAME average leaves the pads out of the count
  }
  if (!padding) {
    // Zeros are only right for an average that counts them; a max pool would take them as
    // values, and an average that leaves them out cannot be rebuilt from a padded input.
    if (type != OpType::kAveragePool2D || IntAttr(node, "count_include_pad", 0) == 0) {
      throw Fail(node, "pads that are neither TFLite's SAME nor VALID are not supported here");
    }
    input_tensor = PadActivation(node, x, w);
    padding = Padding::kValid;
  }
  Pool2DOptions o;
  o.padding = *padding;
  o.stride_h = static_cast<int32_t>(w.stride_h);
  o.stride_w = static_cast<int32_t>(w.stride_w);
  o.filter_height = static_cast<int32_t>(w.kernel_h);
  o.filter_width = static_cast<int32_t>(w.kernel_w);
  Emit(node, type, {input_tensor}, node.output(0), out_shape, o);
}

void Importer::EmitMean(const onnx::NodeProto& node, const Value& x, const Shape& axes,
                        bool keep_dims) {
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  std::vector<bool> reduced(x.shape.size(), false);
  for (int64_t axis : axes) {
    const int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) throw Fail(node, "axis " + std::to_string(axis) + " is out of range");
    reduced[static_cast<size_t>(a)] = true;
  }
  std::vector<int32_t> stored_axes;
  Shape out_shape;
  std::vector<int> kept_positions;  // stored positions of the kept ONNX axes, in ONNX order
  for (int64_t a = 0; a < rank; ++a) {
    const int stored = rank == 4 ? layout::NchwAxisToNhwc(static_cast<int>(a)) : static_cast<int>(a);
    if (reduced[static_cast<size_t>(a)]) {
      stored_axes.push_back(stored);
      if (keep_dims) out_shape.push_back(1);
    } else {
      out_shape.push_back(x.shape[static_cast<size_t>(a)]);
      kept_positions.push_back(stored);
    }
  }
  std::sort(stored_axes.begin(), stored_axes.end());
  if (rank == 4 && !keep_dims && !std::is_sorted(kept_positions.begin(), kept_positions.end())) {
    throw Fail(node, "the kept axes come out in NHWC order, which differs from ONNX's here");
  }
  const int32_t axes_tensor = AddInt32Constant(node.output(0) + "/axes",
                                               {static_cast<int32_t>(stored_axes.size())}, stored_axes);
  ReducerOptions o;
  o.keep_dims = keep_dims;
  Emit(node, OpType::kMean, {x.tensor, axes_tensor}, node.output(0), out_shape, o);
}

void Importer::ConvertGlobalAveragePool(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0);
  if (x.shape.size() != 4) throw Fail(node, "only 4-D inputs are supported");
  EmitMean(node, x, {2, 3}, true);
}

void Importer::ConvertReduceMean(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0);
  Shape axes = IntsAttr(node, "axes", {});
  if (axes.empty()) {
    for (int64_t a = 0; a < static_cast<int64_t>(x.shape.size()); ++a) axes.push_back(a);
  }
  EmitMean(node, x, axes, IntAttr(node, "keepdims", 1) != 0);
}

// A reshape of `x` to the ONNX shape `target` (same element count). NHWC storage keeps the
// NCHW element order when a 4-D tensor has one channel or one pixel; otherwise only the
// flatten to [N, C*H*W] can go on, marked so a following Gemm/MatMul absorbs the order.
void Importer::EmitReshape(const onnx::NodeProto& node, const Value& x, const Shape& target) {
  int64_t count = 1;
  for (int64_t d : target) count *= d;
  int64_t in_count = 1;
  for (int64_t d : x.shape) in_count *= d;
  if (count != in_count) throw Fail(node, "the new shape has another element count");
  if (x.flattened_chw) {
    if (target == x.shape) return Rebind(node, x, InputIsDead(node));
    throw Fail(node, "input is an NCHW tensor flattened; its NHWC element order differs");
  }
  const bool in_agrees = x.shape.size() != 4 || layout::FlattenOrderAgrees(x.shape);
  const bool out_agrees = target.size() != 4 || layout::FlattenOrderAgrees(target);
  std::optional<std::array<int64_t, 3>> flattened;
  if (!in_agrees || !out_agrees) {
    if (in_agrees || target.size() != 2 || target[0] != x.shape[0]) {
      throw Fail(node, "reshape from " + std::to_string(x.shape.size()) + "-D to " +
                           std::to_string(target.size()) +
                           "-D reorders elements between NCHW and NHWC; only the flatten to "
                           "[N, C*H*W] in front of a Gemm/MatMul is supported");
    }
    flattened = std::array<int64_t, 3>{x.shape[1], x.shape[2], x.shape[3]};
  }
  const Shape stored = Stored(target);
  std::vector<int32_t> new_shape = Dims(&node, stored);
  const int32_t shape_tensor = AddInt32Constant(node.output(0) + "/shape",
                                                {static_cast<int32_t>(new_shape.size())}, new_shape);
  ReshapeOptions o;
  o.new_shape = new_shape;
  Emit(node, OpType::kReshape, {x.tensor, shape_tensor}, node.output(0), target, o, flattened);
}

void Importer::ConvertFlatten(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0, true);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  int64_t axis = IntAttr(node, "axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) throw Fail(node, "axis is out of range");
  int64_t outer = 1, inner = 1;
  for (int64_t a = 0; a < rank; ++a) (a < axis ? outer : inner) *= x.shape[static_cast<size_t>(a)];
  EmitReshape(node, x, {outer, inner});
}

void Importer::ConvertReshape(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0, true);
  const OnnxConstant& shape = ConstantInput(node, 1, false);
  if (IntAttr(node, "allowzero", 0) != 0) throw Fail(node, "allowzero = 1 is not supported");
  Shape target;
  int64_t known = 1;
  int infer = -1;
  for (size_t i = 0; i < shape.ints.size(); ++i) {
    int64_t d = shape.ints[i];
    if (d == 0) {
      if (i >= x.shape.size()) throw Fail(node, "0 copies a dimension the input lacks");
      d = x.shape[i];
    }
    if (d == -1) {
      if (infer >= 0) throw Fail(node, "more than one -1 in the shape");
      infer = static_cast<int>(i);
    } else if (d < 1) {
      throw Fail(node, "invalid dimension " + std::to_string(d));
    } else {
      known *= d;
    }
    target.push_back(d);
  }
  int64_t count = 1;
  for (int64_t d : x.shape) count *= d;
  if (infer >= 0) {
    if (count % known != 0) throw Fail(node, "-1 cannot be inferred");
    target[static_cast<size_t>(infer)] = count / known;
  }
  EmitReshape(node, x, target);
}

void Importer::ConvertConcat(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  std::vector<int32_t> inputs;
  Shape out_shape;
  const int64_t axis_attr = IntAttr(node, "axis", 0);
  int64_t axis = 0;
  for (int i = 0; i < node.input_size(); ++i) {
    const Value& x = ActivationInput(node, i);
    if (i == 0) {
      out_shape = x.shape;
      const int64_t rank = static_cast<int64_t>(x.shape.size());
      axis = axis_attr < 0 ? axis_attr + rank : axis_attr;
      if (axis < 0 || axis >= rank) throw Fail(node, "axis is out of range");
    } else {
      if (x.shape.size() != out_shape.size()) throw Fail(node, "inputs differ in rank");
      for (size_t d = 0; d < x.shape.size(); ++d) {
        if (static_cast<int64_t>(d) != axis && x.shape[d] != out_shape[d]) {
          throw Fail(node, "inputs differ outside the concatenation axis");
        }
      }
      out_shape[static_cast<size_t>(axis)] += x.shape[static_cast<size_t>(axis)];
    }
    inputs.push_back(x.tensor);
  }
  ConcatenationOptions o;
  o.axis = static_cast<int32_t>(out_shape.size() == 4 ? layout::NchwAxisToNhwc(static_cast<int>(axis)) : axis);
  Emit(node, OpType::kConcatenation, inputs, node.output(0), out_shape, o);
}

void Importer::ConvertPad(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0);
  if (StringAttr(node, "mode", "constant") != "constant") throw Fail(node, "only constant padding is supported");
  Shape pads;
  float value = 0.0f;
  if (opset_ < 11) {
    pads = IntsAttr(node, "pads", {});
    value = FloatAttr(node, "value", 0.0f);
  } else {
    pads = ConstantInput(node, 1, false).ints;
    if (HasInput(node, 2)) {
      const OnnxConstant& v = ConstantInput(node, 2, true);
      if (v.count() != 1) throw Fail(node, "constant_value must be a scalar");
      value = v.floats[0];
    }
    if (HasInput(node, 3)) throw Fail(node, "the axes input is not supported");
  }
  if (value != 0.0f) throw Fail(node, "only padding with zeros is supported");
  const size_t rank = x.shape.size();
  if (pads.size() != 2 * rank) throw Fail(node, "pads must hold 2 values per dimension");
  for (int64_t p : pads) {
    if (p < 0 || p > std::numeric_limits<int32_t>::max()) throw Fail(node, "negative pads are not supported");
  }
  std::vector<int32_t> paddings(2 * rank);
  Shape out_shape = x.shape;
  for (size_t j = 0; j < rank; ++j) {
    // Stored axis j holds ONNX axis `a`.
    const size_t a = rank == 4 ? static_cast<size_t>(layout::kNchwToNhwc[j]) : j;
    paddings[2 * j] = static_cast<int32_t>(pads[a]);
    paddings[2 * j + 1] = static_cast<int32_t>(pads[a + rank]);
    out_shape[j] += pads[j] + pads[j + rank];
  }
  const int32_t pads_tensor =
      AddInt32Constant(node.output(0) + "/paddings", {static_cast<int32_t>(rank), 2}, paddings);
  Emit(node, OpType::kPad, {x.tensor, pads_tensor}, node.output(0), out_shape, std::monostate{});
}

void Importer::ConvertSoftmax(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = ActivationInput(node, 0, true);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  int64_t axis = IntAttr(node, "axis", opset_ < 13 ? 1 : -1);
  if (axis < 0) axis += rank;
  // Before opset 13 Softmax flattens at `axis`; at the last axis that is the same thing.
  if (axis != rank - 1 || rank == 4) {
    throw Fail(node, "softmax over axis " + std::to_string(axis) + " of a rank " +
                         std::to_string(rank) + " tensor is not supported (only the last axis, not 4-D)");
  }
  SoftmaxOptions o;
  o.beta = 1.0f;
  Emit(node, OpType::kSoftmax, {x.tensor}, node.output(0), x.shape, o, x.flattened_chw);
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

void Importer::ConvertTranspose(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = Input(node, 0);
  const int rank = static_cast<int>(x.shape.size());
  Shape perm64 = IntsAttr(node, "perm", {});
  std::vector<int> perm;
  for (int64_t p : perm64) perm.push_back(static_cast<int>(p));
  if (perm.empty()) {
    for (int i = rank - 1; i >= 0; --i) perm.push_back(i);
  }
  std::vector<int> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < rank; ++i) {
    if (static_cast<int>(sorted.size()) != rank || sorted[static_cast<size_t>(i)] != i) {
      throw Fail(node, "perm is not a permutation of the axes");
    }
  }
  if (x.constant) {
    Value v;
    v.constant = *x.constant;
    if (v.constant->is_float) {
      v.constant->floats = layout::Transpose(x.constant->floats, x.shape, perm, &v.shape);
    } else {
      v.constant->ints = layout::Transpose(x.constant->ints, x.shape, perm, &v.shape);
    }
    v.constant->shape = v.shape;
    values_[node.output(0)] = std::move(v);
    return;
  }
  if (std::is_sorted(perm.begin(), perm.end())) return Rebind(node, x, InputIsDead(node));
  // A permutation that only moves axes of size 1 moves no data: a reshape.
  std::vector<int> moved;
  for (int p : perm) {
    if (x.shape[static_cast<size_t>(p)] != 1) moved.push_back(p);
  }
  if (!std::is_sorted(moved.begin(), moved.end())) {
    throw Fail(node, "a transpose that moves data cannot be absorbed");
  }
  Shape target;
  for (int p : perm) target.push_back(x.shape[static_cast<size_t>(p)]);
  EmitReshape(node, x, target);
}

void Importer::ConvertIdentity(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = Input(node, 0);
  if (x.constant) {
    values_[node.output(0)] = x;
    return;
  }
  Rebind(node, x, InputIsDead(node));
}

void Importer::ConvertConstant(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  Value v;
  if (const auto* a = Attr(node, "value")) {
    v.constant = ReadOnnxTensor(a->t(), NodePlace(node));
  } else if (const auto* f = Attr(node, "value_float")) {
    v.constant = OnnxConstant{{}, true, {f->f()}, {}};
  } else if (const auto* fs = Attr(node, "value_floats")) {
    v.constant = OnnxConstant{{fs->floats_size()}, true, {fs->floats().begin(), fs->floats().end()}, {}};
  } else if (const auto* i = Attr(node, "value_int")) {
    v.constant = OnnxConstant{{}, false, {}, {i->i()}};
  } else if (const auto* is = Attr(node, "value_ints")) {
    v.constant = OnnxConstant{{is->ints_size()}, false, {}, {is->ints().begin(), is->ints().end()}};
  } else {
    throw Fail(node, "only value, value_float(s) and value_int(s) constants are supported");
  }
  v.shape = v.constant->shape;
  values_[node.output(0)] = std::move(v);
}

// Shape, Gather and Unsqueeze on known shapes fold to constants: PyTorch writes them for
// `x.view(x.size(0), -1)`.
void Importer::ConvertShape(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const Value& x = Input(node, 0);
  if (Attr(node, "start") || Attr(node, "end")) throw Fail(node, "start and end are not supported");
  Value v;
  v.constant = OnnxConstant{{static_cast<int64_t>(x.shape.size())}, false, {}, x.shape};
  v.shape = v.constant->shape;
  values_[node.output(0)] = std::move(v);
}

void Importer::ConvertGather(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const OnnxConstant& data = ConstantInput(node, 0, false);
  const OnnxConstant& indices = ConstantInput(node, 1, false);
  if (data.shape.size() != 1 || IntAttr(node, "axis", 0) != 0 || indices.shape.size() > 1) {
    throw Fail(node, "only gathering from a 1-D integer constant is supported");
  }
  Value v;
  v.constant = OnnxConstant{indices.shape, false, {}, {}};
  const auto n = static_cast<int64_t>(data.ints.size());
  for (int64_t i : indices.ints) {
    const int64_t k = i < 0 ? i + n : i;
    if (k < 0 || k >= n) throw Fail(node, "index out of range");
    v.constant->ints.push_back(data.ints[static_cast<size_t>(k)]);
  }
  v.shape = v.constant->shape;
  values_[node.output(0)] = std::move(v);
}

void Importer::ConvertUnsqueeze(const onnx::NodeProto& node) {
  ExpectOneOutput(node);
  const OnnxConstant& data = ConstantInput(node, 0, false);
  const Shape axes = opset_ < 13 ? IntsAttr(node, "axes", {}) : ConstantInput(node, 1, false).ints;
  Value v;
  v.constant = data;
  Shape shape = data.shape;
  const auto rank = static_cast<int64_t>(shape.size() + axes.size());
  Shape sorted;
  for (int64_t a : axes) sorted.push_back(a < 0 ? a + rank : a);
  std::sort(sorted.begin(), sorted.end());
  for (int64_t a : sorted) {
    if (a < 0 || a > static_cast<int64_t>(shape.size())) throw Fail(node, "axis out of range");
    shape.insert(shape.begin() + a, 1);
  }
  v.constant->shape = shape;
  v.shape = shape;
  values_[node.output(0)] = std::move(v);
}

void Importer::Convert(const onnx::NodeProto& node) {
  static const std::map<std::string, Converter> kConverters = {
      {"Conv", &Importer::ConvertConv},
      {"Gemm", &Importer::ConvertGemm},
      {"MatMul", &Importer::ConvertMatMul},
      {"Relu", &Importer::ConvertRelu},
      {"Clip", &Importer::ConvertClip},
      {"Sigmoid", &Importer::ConvertSigmoid},
      {"Tanh", &Importer::ConvertTanh},
      {"HardSwish", &Importer::ConvertHardSwish},
      {"Add", &Importer::ConvertAdd},
      {"Mul", &Importer::ConvertMul},
      {"MaxPool", &Importer::ConvertMaxPool},
      {"AveragePool", &Importer::ConvertAveragePool},
      {"GlobalAveragePool", &Importer::ConvertGlobalAveragePool},
      {"ReduceMean", &Importer::ConvertReduceMean},
      {"Flatten", &Importer::ConvertFlatten},
      {"Reshape", &Importer::ConvertReshape},
      {"Concat", &Importer::ConvertConcat},
      {"Pad", &Importer::ConvertPad},
      {"Softmax", &Importer::ConvertSoftmax},
      {"BatchNormalization", &Importer::ConvertBatchNormalization},
      {"Transpose", &Importer::ConvertTranspose},
      {"Identity", &Importer::ConvertIdentity},
      {"Dropout", &Importer::ConvertIdentity},
      {"Constant", &Importer::ConvertConstant},
      {"Shape", &Importer::ConvertShape},
      {"Gather", &Importer::ConvertGather},
      {"Unsqueeze", &Importer::ConvertUnsqueeze},
  };
  if (!node.domain().empty() && node.domain() != "ai.onnx") {
    throw Fail(node, "operator domain '" + node.domain() + "' is not supported");
  }
  auto it = kConverters.find(node.op_type());
  if (it == kConverters.end()) throw Fail(node, "operator is not supported");
  (this->*(it->second))(node);
}

void Importer::ReadInputs() {
  const onnx::GraphProto& g = model_.graph();
  for (const auto& init : g.initializer()) {
    Value v;
    v.constant = ReadOnnxTensor(init, path_ + ": initializer '" + init.name() + "'");
    v.shape = v.constant->shape;
    values_[init.name()] = std::move(v);
  }
  for (const auto& input : g.input()) {
    if (values_.count(input.name()) > 0) continue;  // an initializer listed as input (IR < 4)
    const std::string place = path_ + ": input '" + input.name() + "'";
    if (!input.type().has_tensor_type() || input.type().tensor_type().elem_type() != onnx::TensorProto::FLOAT) {
      throw Error(place, "only float tensor inputs are supported");
    }
    Shape shape;
    const auto& dims = input.type().tensor_type().shape().dim();
    for (int i = 0; i < dims.size(); ++i) {
      if (dims[i].has_dim_value()) {
        shape.push_back(dims[i].dim_value());
      } else if (i == 0) {
        shape.push_back(1);  // a symbolic batch runs one sample at a time
      } else {
        throw Error(place, "dimension " + std::to_string(i) + " is symbolic; only the batch may be");
      }
    }
    Value v;
    v.shape = shape;
    std::vector<int32_t> stored;
    for (int64_t d : Stored(shape)) {
      if (d < 1 || d > std::numeric_limits<int32_t>::max()) throw Error(place, "invalid dimension");
      stored.push_back(static_cast<int32_t>(d));
    }
    v.tensor = AddTensor(input.name(), stored, DataType::kFloat32, -1);
    graph_.inputs.push_back(v.tensor);
    values_[input.name()] = std::move(v);
  }
}

void Importer::BindOutputs() {
  for (const auto& output : model_.graph().output()) {
    const std::string place = path_ + ": output '" + output.name() + "'";
    auto it = values_.find(output.name());
    if (it == values_.end()) throw Error(place, "is not produced by any node");
    const Value& v = it->second;
    if (v.constant) throw Error(place, "is a constant; only computed outputs are supported");
    if (v.flattened_chw) {
      throw Error(place, "is an NCHW tensor flattened, whose NHWC element order differs");
    }
    graph_.outputs.push_back(v.tensor);
  }
}

Graph Importer::Run() {
  for (const auto& op : model_.opset_import()) {
    if (op.domain().empty() || op.domain() == "ai.onnx") opset_ = op.version();
  }
  if (opset_ < kMinOpset || opset_ > kMaxOpset) {
    throw Error(path_, "ONNX opset " + std::to_string(opset_) + " is not supported (only " +
                           std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset) + ")");
  }
  const onnx::GraphProto& g = model_.graph();
  for (const auto& node : g.node()) {
    for (const auto& name : node.input()) ++consumers_[name];
  }
  for (const auto& output : g.output()) ++consumers_[output.name()];
  ReadInputs();
  for (node_index_ = 0; node_index_ < g.node_size(); ++node_index_) Convert(g.node(node_index_));
  BindOutputs();
  graph_.description = "converted from ONNX (" + model_.producer_name() + " " +
                       model_.producer_version() + ", opset " + std::to_string(opset_) + ")";
  return std::move(graph_);
}

}  // namespace

Graph LoadOnnxFile(const std::string& path) {
  std::error_code status;
  if (!std::filesystem::is_regular_file(path, status)) throw Error(path, "cannot open the file");
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) throw Error(path, "cannot open the file");
  const std::streamoff size = file.tellg();
  if (size < 0 || size > std::numeric_limits<int>::max()) {
    throw Error(path, "cannot read the file, or it is too large for protobuf");
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  file.seekg(0);
  if (size > 0 && !file.read(bytes.data(), static_cast<std::streamsize>(size))) {
    throw Error(path, "cannot read the file");
  }
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw Error(path, "not a valid ONNX model (protobuf parsing failed; truncated or corrupt)");
  }
  if (!model.has_graph()) throw Error(path, "the model has no graph");
  return Importer(model, path).Run();
}

}  // namespace harness::model
