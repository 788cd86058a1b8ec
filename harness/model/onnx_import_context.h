#pragma once
// The ONNX importer's working state, shared by the files that convert each family of nodes
// (onnx_convert_*.cc): what every ONNX value name stands for, the graph being built, and the
// helpers that read attributes and inputs, add tensors and ops, and fold a node into the op
// before it. Internal to LoadOnnxFile (onnx_importer.h).

#include <cstring>
#include <limits>
#include <utility>
#include <variant>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "harness/common/error.h"
#include "harness/model/graph.h"
#include "harness/model/onnx_layout.h"
#include "harness/model/onnx_tensor.h"

namespace harness::model::onnx_import {

namespace layout = onnx_layout;
using Shape = std::vector<int64_t>;

inline constexpr int64_t kMinOpset = 11;
inline constexpr int64_t kMaxOpset = 17;

// What an ONNX value name stands for while converting.
struct Value {
  Shape shape;  // the ONNX (NCHW) shape
  std::optional<OnnxConstant> constant;
  int32_t tensor = -1;  // graph tensor of an activation
  // Set when this activation is an NCHW tensor [N, C, H, W] flattened to [N, C*H*W] whose data
  // is held in NHWC order ({C, H, W}); only a following Gemm/MatMul can absorb that.
  std::optional<std::array<int64_t, 3>> flattened_chw;
};

inline std::vector<uint8_t> Bytes(const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  return std::vector<uint8_t>(p, p + size);
}

inline std::vector<float> Floats(const std::vector<uint8_t>& bytes) {
  std::vector<float> out(bytes.size() / sizeof(float));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

inline Shape Stored(const Shape& shape) {
  return shape.size() == 4 ? layout::NchwToNhwcShape(shape) : shape;
}

inline Activation* ActivationOf(Op& op) {
  if (auto* o = op.options.get_if<Conv2DOptions>()) return &o->activation;
  if (auto* o = op.options.get_if<DepthwiseConv2DOptions>()) return &o->activation;
  if (auto* o = op.options.get_if<FullyConnectedOptions>()) return &o->activation;
  if (auto* o = op.options.get_if<AddOptions>()) return &o->activation;
  if (auto* o = op.options.get_if<MulOptions>()) return &o->activation;
  return nullptr;
}

class Importer {
 public:
  Importer(const onnx::ModelProto& model, std::string path) : model_(model), path_(std::move(path)) {}

  Graph Run();

 private:
  using Converter = void (Importer::*)(const onnx::NodeProto&);

  // ----- places and errors
  // "<file>: node '<name>' (<op_type>, opset <n>)"; an unnamed node by its index.
  std::string NodePlace(const onnx::NodeProto& node) const;
  Error Fail(const onnx::NodeProto& node, const std::string& message) const;

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


}  // namespace harness::model::onnx_import
