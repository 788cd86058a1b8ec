// TRANSPOSE_CONV through the int8 and int16x8 quantizer: the filter (input 1) becomes per-channel
// int8 along its output channels, the bias (input 3) int32 / int64 at s_input * s_filter, read
// against the activation at input 2 (after the output-shape input).
#include <vector>

#include "harness/runtime/ops/transpose_conv.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant {
namespace {

model::Graph FloatTransposeConvGraph() {
  model::Graph g;
  // [out 3, h 3, w 2, in 2]: distinct per-channel magnitudes.
  std::vector<float> filter(3 * 3 * 2 * 2);
  for (size_t i = 0; i < filter.size(); ++i) {
    const float magnitude = i < 12 ? 0.05f : (i < 24 ? 0.5f : 2.0f);
    filter[i] = magnitude * (static_cast<float>((i * 7) % 11) / 5.0f - 1.0f);
  }
  const std::vector<float> bias = {0.25f, -1.0f, 3.0f};
  const int32_t shape = testing::AddInt32Constant(g, "output_shape", {1, 8, 6, 3});
  const int32_t w = testing::AddFloatTensor(g, "filter", {3, 3, 2, 2}, &filter);
  const int32_t x = testing::AddFloatTensor(g, "x", {1, 4, 3, 2});
  const int32_t b = testing::AddFloatTensor(g, "bias", {3}, &bias);
  const int32_t y = testing::AddFloatTensor(g, "y", {1, 8, 6, 3});
  model::Op op;
  op.type = runtime::ops::kTransposeConv;
  op.inputs = {shape, w, x, b};
  op.outputs = {y};
  runtime::ops::TransposeConvOptions options;
  options.stride_h = options.stride_w = 2;
  options.padding = model::Padding::kSame;
  op.options = options;
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

// Stride 2 with a 3 x 2 filter: an output element sums at most 2 * 1 * 2 = 4 taps, of inputs
// up to 4 in magnitude, each weight off by at most half its channel's step (largest weight 2,
// step 2 / 127). Input rounding and the output's own rounding stay within a few output steps.
constexpr double kWeightBound = 4 * 4.0 * (2.0 / 127) / 2;

TEST(TransposeConvQuant, Int8) {
  testing::CheckQuantizedOp(FloatTransposeConvGraph(), runtime::ops::kTransposeConv, false, 3, 3.0,
                            kWeightBound);
}
TEST(TransposeConvQuant, Int16x8) {
  testing::CheckQuantizedOp(FloatTransposeConvGraph(), runtime::ops::kTransposeConv, true, 3, 3.0,
                            kWeightBound);
}

}  // namespace
}  // namespace harness::quant
