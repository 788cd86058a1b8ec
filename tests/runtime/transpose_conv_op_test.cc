// TRANSPOSE_CONV's glue: the output shape is the output tensor's, a constant output-shape input
// must agree with it, and what TFLite-Micro does not run is refused naming the op and tensor.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/ops/transpose_conv.h"
#include "tests/runtime/single_op_graph.h"

namespace harness::runtime {
namespace {

using model::DataType;

// x [1, 1, 2, 1] -> y [1, 1, 4, 1], filter [1, 1, 2, 1] = {10, 1}, stride 2, VALID.
model::Graph Graph(std::vector<int32_t> shape_values, DataType filter_type = DataType::kFloat32) {
  model::Graph g;
  const int32_t shape = test::AddConstant(g, "output_shape", DataType::kInt32, {4}, shape_values);
  int32_t w = 0;
  if (filter_type == DataType::kFloat32) {
    w = test::AddConstant(g, "filter", DataType::kFloat32, {1, 1, 2, 1}, std::vector<float>{10, 1});
  } else {
    w = test::AddConstant(g, "filter", DataType::kInt8, {1, 1, 2, 1}, std::vector<int8_t>{10, 1},
                          test::PerTensor(0.1f, 0));
  }
  const int32_t x = test::AddTensor(g, "x", DataType::kFloat32, {1, 1, 2, 1});
  const int32_t y = test::AddTensor(g, "y", DataType::kFloat32, {1, 1, 4, 1});
  ops::TransposeConvOptions options;
  options.padding = model::Padding::kValid;
  options.stride_h = options.stride_w = 2;
  model::Op op;
  op.type = ops::kTransposeConv;
  op.inputs = {shape, w, x};
  op.outputs = {y};
  op.options = options;
  g.ops.push_back(op);
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

TEST(TransposeConvOp, RunsAFloatGraph) {
  const CompiledModel model(Graph({1, 1, 4, 1}));
  auto session = model.NewSession();
  const std::vector<float> x = {1, 2};
  std::memcpy(session->input(0).data(), x.data(), sizeof(float) * x.size());
  session->Invoke();
  std::vector<float> y(4);
  std::memcpy(y.data(), session->output(0).data(), sizeof(float) * y.size());
  EXPECT_EQ(y, (std::vector<float>{10, 1, 20, 2}));
}

TEST(TransposeConvOp, RefusesAnOutputShapeInputThatDisagreesAndHybridModels) {
  const std::string shape = ErrorOf(Graph({1, 1, 5, 1}));
  EXPECT_NE(shape.find("TRANSPOSE_CONV"), std::string::npos) << shape;
  EXPECT_NE(shape.find("output-shape tensor 'output_shape' holds [1, 1, 5, 1]"), std::string::npos)
      << shape;
  const std::string hybrid = ErrorOf(Graph({1, 1, 4, 1}, DataType::kInt8));
  EXPECT_NE(hybrid.find("hybrid"), std::string::npos) << hybrid;
}

}  // namespace
}  // namespace harness::runtime
