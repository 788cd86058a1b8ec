// PACK and UNPACK glue: negative axes resolve against the packed rank, a graph unpacking and
// re-packing along another axis transposes, and inconsistent counts, axes and shapes are refused
// naming the op.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/ops/pack.h"
#include "tests/runtime/single_op_graph.h"

namespace harness::runtime {
namespace {

using model::DataType;

// x [2, 3] -> UNPACK(axis) -> PACK(axis') -> y.
model::Graph Transpose(int32_t unpack_axis, int32_t pack_axis, std::vector<int32_t> parts_shape,
                       std::vector<int32_t> y_shape, int32_t num = 3) {
  model::Graph g;
  const int32_t x = test::AddTensor(g, "x", DataType::kFloat32, {2, 3});
  std::vector<int32_t> parts;
  for (int32_t i = 0; i < num; ++i) {
    parts.push_back(
        test::AddTensor(g, "part" + std::to_string(i), DataType::kFloat32, parts_shape));
  }
  const int32_t y = test::AddTensor(g, "y", DataType::kFloat32, std::move(y_shape));
  model::Op unpack;
  unpack.type = ops::kUnpack;
  unpack.inputs = {x};
  unpack.outputs = parts;
  unpack.options = ops::UnpackOptions{num, unpack_axis};
  model::Op pack;
  pack.type = ops::kPack;
  pack.inputs = parts;
  pack.outputs = {y};
  pack.options = ops::PackOptions{num, pack_axis};
  g.ops = {unpack, pack};
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

std::string ErrorOf(model::Graph g) {
  try {
    CompiledModel model(std::move(g));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(PackOp, UnpackingColumnsAndPackingThemAsRowsTransposes) {
  const CompiledModel model(Transpose(-1, 0, {2}, {3, 2}));
  auto session = model.NewSession();
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  std::memcpy(session->input(0).data(), x.data(), sizeof(float) * x.size());
  session->Invoke();
  std::vector<float> y(6);
  std::memcpy(y.data(), session->output(0).data(), sizeof(float) * y.size());
  EXPECT_EQ(y, (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(PackOp, RefusesInconsistentCountsAxesAndShapes) {
  const std::string num = ErrorOf(Transpose(0, 0, {3}, {2, 3}, 3));
  EXPECT_NE(num.find("UNPACK"), std::string::npos) << num;
  EXPECT_NE(num.find("has 2 elements"), std::string::npos) << num;
  const std::string axis = ErrorOf(Transpose(2, 0, {2}, {3, 2}));
  EXPECT_NE(axis.find("axis 2 is outside"), std::string::npos) << axis;
  const std::string shape = ErrorOf(Transpose(-1, 1, {2}, {3, 2}));
  EXPECT_NE(shape.find("PACK"), std::string::npos) << shape;
  EXPECT_NE(shape.find("expected [2, 3]"), std::string::npos) << shape;
}

}  // namespace
}  // namespace harness::runtime
