// SUB through the int8 and int16x8 quantizer: an activation minus a broadcast float constant.
#include <vector>

#include "harness/runtime/ops/sub.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant {
namespace {

model::Graph FloatSubGraph() {
  model::Graph g;
  const std::vector<float> offsets = {0.5f, -1.25f, 2.0f, 0.0f};
  const int32_t x = testing::AddFloatTensor(g, "x", {1, 4, 4, 4});
  const int32_t c = testing::AddFloatTensor(g, "offsets", {4}, &offsets);
  const int32_t y = testing::AddFloatTensor(g, "y", {1, 4, 4, 4});
  model::Op op;
  op.type = runtime::ops::kSub;
  op.inputs = {x, c};
  op.outputs = {y};
  op.options = runtime::ops::SubOptions{};
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

// Within two output steps: each input is rounded once, then the output.
TEST(SubQuant, Int8) {
  testing::CheckQuantizedOp(FloatSubGraph(), runtime::ops::kSub, false, 2, 2.0);
}
// The options hold the schema's pot_scale_int16 = true: version 1 (TFLite's rule).
TEST(SubQuant, Int16x8) {
  testing::CheckQuantizedOp(FloatSubGraph(), runtime::ops::kSub, true, 1, 2.0);
}

}  // namespace
}  // namespace harness::quant
