// Activations (fused into the op before them where TFLite fuses them), Add and Mul, Softmax.
#include "harness/model/onnx_import_context.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace harness::model::onnx_import {

namespace layout = onnx_layout;

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

}  // namespace harness::model::onnx_import
