// MaxPool, AveragePool, GlobalAveragePool and ReduceMean.
#include "harness/model/onnx_import_context.h"

#include <algorithm>

namespace harness::model::onnx_import {

namespace layout = onnx_layout;

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

}  // namespace harness::model::onnx_import
