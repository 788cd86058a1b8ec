// SHAPE: the input's dimensions for inputs of any type and rank (a scalar gives an empty vector),
// and refusals of what TFLite-Micro does not write, naming the op and tensor.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/runtime/compiled_model.h"
#include "tests/runtime/single_op_graph.h"

namespace harness::runtime {
namespace {

using model::DataType;

constexpr auto kShape = static_cast<model::OpType>(77);

model::Graph ShapeGraph(DataType input_type, std::vector<int32_t> input_shape,
                        DataType output_type = DataType::kInt32) {
  model::Graph g;
  const auto rank = static_cast<int32_t>(input_shape.size());
  const int32_t x = test::AddTensor(
      g, "x", input_type, std::move(input_shape),
      input_type == DataType::kInt8 ? test::PerTensor(0.5f, 3) : model::Quantization{});
  const int32_t y = test::AddTensor(g, "y", output_type, {rank});
  test::SetSingleOp(g, kShape, {x}, y, {});
  return g;
}

std::vector<int32_t> RunShape(const model::Graph& g) {
  const CompiledModel model(g);
  auto session = model.NewSession();
  session->Invoke();
  std::vector<int32_t> y(model.output_bytes(0) / sizeof(int32_t));
  if (!y.empty()) std::memcpy(y.data(), session->output(0).data(), model.output_bytes(0));
  return y;
}

TEST(ShapeOp, WritesTheInputDimensions) {
  EXPECT_EQ(RunShape(ShapeGraph(DataType::kFloat32, {1, 4, 3})), (std::vector<int32_t>{1, 4, 3}));
  EXPECT_EQ(RunShape(ShapeGraph(DataType::kInt8, {2, 1})), (std::vector<int32_t>{2, 1}));
  EXPECT_EQ(RunShape(ShapeGraph(DataType::kInt16, {7})), (std::vector<int32_t>{7}));
  EXPECT_TRUE(RunShape(ShapeGraph(DataType::kFloat32, {})).empty());
}

TEST(ShapeOp, RefusesAnInt64Output) {
  try {
    CompiledModel model(ShapeGraph(DataType::kFloat32, {1, 4}, DataType::kInt64));
    FAIL() << "an INT64 SHAPE output compiled";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("SHAPE"), std::string::npos) << message;
    EXPECT_NE(message.find("output tensor 'y' has type INT64"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace harness::runtime
