// Nodes that move or name data: Flatten, Reshape, Concat, Pad, Transpose, Identity, Constant,
// and the Shape / Gather / Unsqueeze chains PyTorch emits around a flatten.
#include <algorithm>
#include <functional>
#include <sstream>

#include "harness/model/onnx_import_context.h"

namespace harness::model::onnx_import {

namespace layout = onnx_layout;

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
  // The size first: for a rank-0 input the loop below checks nothing.
  if (static_cast<int>(sorted.size()) != rank) {
    throw Fail(node, "perm has " + std::to_string(sorted.size()) + " axes, the input has rank " +
                         std::to_string(rank));
  }
  for (int i = 0; i < rank; ++i) {
    if (sorted[static_cast<size_t>(i)] != i)
      throw Fail(node, "perm is not a permutation of the axes");
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

}  // namespace harness::model::onnx_import
