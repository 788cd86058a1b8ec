// UNPACK and PACK through the int8 and int16x8 quantizer: UNPACK's outputs all share its input's
// parameters; PACK's inputs are given the output's (requantized where they differ), since both
// kernels copy bytes. Each stays within one output step of float.
#include <string>
#include <vector>

#include "harness/runtime/ops/pack.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant {
namespace {

// x [1, 4, 3] unpacked along axis -1 into three [1, 4]; with `repack`, packed again along axis 0.
model::Graph FloatGraph(bool repack) {
  model::Graph g;
  const int32_t x = testing::AddFloatTensor(g, "x", {1, 4, 3});
  std::vector<int32_t> parts;
  for (const char* name : {"p0", "p1", "p2"})
    parts.push_back(testing::AddFloatTensor(g, name, {1, 4}));
  model::Op unpack;
  unpack.type = runtime::ops::kUnpack;
  unpack.inputs = {x};
  unpack.outputs = parts;
  unpack.options = runtime::ops::UnpackOptions{3, -1};
  g.ops.push_back(unpack);
  g.inputs = {x};
  g.outputs = parts;
  if (repack) {
    const int32_t y = testing::AddFloatTensor(g, "y", {3, 1, 4});
    model::Op pack;
    pack.type = runtime::ops::kPack;
    pack.inputs = parts;
    pack.outputs = {y};
    pack.options = runtime::ops::PackOptions{3, 0};
    g.ops.push_back(pack);
    g.outputs = {y};
  }
  return g;
}

TEST(UnpackQuant, Int8) {
  testing::CheckQuantizedOp(FloatGraph(false), runtime::ops::kUnpack, false, 2, 1.0);
}
TEST(UnpackQuant, Int16x8) {
  testing::CheckQuantizedOp(FloatGraph(false), runtime::ops::kUnpack, true, 4, 1.0);
}
TEST(PackQuant, Int8) {
  testing::CheckQuantizedOp(FloatGraph(true), runtime::ops::kPack, false, 2, 1.0);
}
TEST(PackQuant, Int16x8) {
  testing::CheckQuantizedOp(FloatGraph(true), runtime::ops::kPack, true, 3, 1.0);
}

}  // namespace
}  // namespace harness::quant
