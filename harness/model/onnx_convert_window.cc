// Kernel windows of Conv and the pooling nodes: strides, dilations and pads, matched to
// TFLite's SAME / VALID padding or made explicit with a PAD op.
#include "harness/model/onnx_import_context.h"

#include <algorithm>

namespace harness::model::onnx_import {

namespace layout = onnx_layout;

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

}  // namespace harness::model::onnx_import
