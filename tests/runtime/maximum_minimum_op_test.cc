// MAXIMUM and MINIMUM through the runtime: built from a graph with a broadcast constant, and
// refused with shapes that do not broadcast.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/maximum_minimum.h"
#include "tests/runtime/graph_builder.h"
#include "tests/runtime/run_graph.h"

namespace harness::test {
namespace {

using model::DataType;
using runtime::ops::kMaximum;
using runtime::ops::kMinimum;
using ::testing::ElementsAre;

model::Graph Binary(model::OpType type, DataType dtype, std::vector<int32_t> x_shape,
                    std::vector<int32_t> c_shape, const std::vector<int8_t>& c,
                    std::vector<int32_t> y_shape) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", dtype, x_shape, 0.5f, -3);
  const int32_t k = b.Constant<int8_t>("c", dtype, c_shape, c, 0.5f, -3);
  const int32_t y = b.Tensor("y", dtype, y_shape, 0.5f, -3);
  b.Op(type, {x, k}, {y});
  return b.Build({x}, {y});
}

TEST(MaximumMinimumOp, Int8BroadcastsAConstantRow) {
  EXPECT_THAT(RunGraph<int8_t>(Binary(kMaximum, DataType::kInt8, {2, 2}, {1, 2}, {-3, 10}, {2, 2}),
                               std::vector<int8_t>{-128, 127, 0, 5}),
              ElementsAre(-3, 127, 0, 10));
  EXPECT_THAT(RunGraph<int8_t>(Binary(kMinimum, DataType::kInt8, {2, 2}, {1, 2}, {-3, 10}, {2, 2}),
                               std::vector<int8_t>{-128, 127, 0, 5}),
              ElementsAre(-128, 10, -3, 5));
}

TEST(MaximumMinimumOp, RefusesShapesThatDoNotBroadcast) {
  ExpectCompileError(Binary(kMaximum, DataType::kInt8, {2, 3}, {1, 2}, {0, 0}, {2, 3}),
                     {"MAXIMUM", "do not broadcast"});
}

TEST(MaximumMinimumOp, DescriptorFacts) {
  for (model::OpType type : {kMaximum, kMinimum}) {
    const model::OpDescriptor& d = model::GetOp(type);
    EXPECT_TRUE(*d.quant.inputs_share_output_params);
    EXPECT_TRUE(*d.quant.int16x8);
  }
  EXPECT_STREQ(*model::GetOp(kMinimum).micro_resolver_call, "AddMinimum");
}

}  // namespace
}  // namespace harness::test
