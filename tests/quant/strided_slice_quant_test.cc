// STRIDED_SLICE through the int8 and int16x8 quantizer: the output shares the input's
// parameters, so the slice of the quantized input is exact (within one input step of float).
#include <vector>

#include "harness/runtime/ops/strided_slice.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant {
namespace {

model::Graph FloatStridedSliceGraph() {
  model::Graph g;
  const int32_t x = testing::AddFloatTensor(g, "x", {1, 4, 6, 4});
  const int32_t begin = testing::AddInt32Constant(g, "begin", {0, 1, -1, 0});
  const int32_t end = testing::AddInt32Constant(g, "end", {1, 4, 0, 4});
  const int32_t strides = testing::AddInt32Constant(g, "strides", {1, 2, -2, 1});
  const int32_t y = testing::AddFloatTensor(g, "y", {1, 2, 3, 4});
  model::Op op;
  op.type = runtime::ops::kStridedSlice;
  op.inputs = {x, begin, end, strides};
  op.outputs = {y};
  op.options = runtime::ops::StridedSliceOptions{};
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

TEST(StridedSliceQuant, Int8) {
  testing::CheckQuantizedOp(FloatStridedSliceGraph(), runtime::ops::kStridedSlice, false, 2, 1.0);
}
TEST(StridedSliceQuant, Int16x8) {
  testing::CheckQuantizedOp(FloatStridedSliceGraph(), runtime::ops::kStridedSlice, true, 1, 1.0);
}

}  // namespace
}  // namespace harness::quant
