// SPLIT (axis first, data second) and SPLIT_V through the int8 and int16x8 quantizer: every
// output carries the data input's parameters, so each part is the quantized input exactly
// (within one step of float).
#include <vector>

#include "harness/runtime/ops/split.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant {
namespace {

model::Graph FloatSplitGraph(bool split_v) {
  model::Graph g;
  const int32_t x = testing::AddFloatTensor(g, "x", {1, 4, 6});
  const int32_t axis = testing::AddInt32Constant(g, "axis", {-1});
  model::Op op;
  if (split_v) {
    const int32_t sizes = testing::AddInt32Constant(g, "size_splits", {1, 5});
    op.outputs = {testing::AddFloatTensor(g, "a", {1, 4, 1}),
                  testing::AddFloatTensor(g, "b", {1, 4, 5})};
    op.type = runtime::ops::kSplitV;
    op.inputs = {x, sizes, axis};
    op.options = runtime::ops::SplitVOptions{2};
  } else {
    op.outputs = {testing::AddFloatTensor(g, "a", {1, 4, 2}),
                  testing::AddFloatTensor(g, "b", {1, 4, 2}),
                  testing::AddFloatTensor(g, "c", {1, 4, 2})};
    op.type = runtime::ops::kSplit;
    op.inputs = {axis, x};
    op.options = runtime::ops::SplitOptions{3};
  }
  g.inputs = {x};
  g.outputs = op.outputs;
  g.ops.push_back(op);
  return g;
}

TEST(SplitQuant, Int8) {
  testing::CheckQuantizedOp(FloatSplitGraph(false), runtime::ops::kSplit, false, 2, 1.0);
}
TEST(SplitQuant, Int16x8) {
  testing::CheckQuantizedOp(FloatSplitGraph(false), runtime::ops::kSplit, true, 4, 1.0);
}
TEST(SplitVQuant, Int8) {
  testing::CheckQuantizedOp(FloatSplitGraph(true), runtime::ops::kSplitV, false, 2, 1.0);
}
TEST(SplitVQuant, Int16x8) {
  testing::CheckQuantizedOp(FloatSplitGraph(true), runtime::ops::kSplitV, true, 1, 1.0);
}

}  // namespace
}  // namespace harness::quant
