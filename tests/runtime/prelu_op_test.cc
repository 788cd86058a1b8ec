// PRELU through the runtime: int8 with a broadcast per-channel alpha, int16 with an int8 alpha,
// and the refusals (alpha type, shapes that do not broadcast, rank above 4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/prelu.h"
#include "tests/runtime/graph_builder.h"
#include "tests/runtime/run_graph.h"

namespace harness::test {
namespace {

using model::DataType;
using runtime::ops::kPrelu;
using ::testing::ElementsAre;

model::Graph PreluGraph(DataType type, DataType alpha_type, std::vector<int32_t> x_shape,
                        std::vector<int32_t> alpha_shape, const std::vector<int8_t>& alpha,
                        std::vector<int32_t> y_shape) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", type, x_shape, 0.5f, 0);
  const int32_t a = b.Constant<int8_t>("alpha", alpha_type, alpha_shape, alpha, 0.25f, 0);
  const int32_t y = b.Tensor("y", type, y_shape, 0.5f, 0);
  b.Op(kPrelu, {x, a}, {y});
  return b.Build({x}, {y});
}

TEST(PreluOp, Int8PerChannelAlpha) {
  // alpha reals 0.25 and -0.5; negative inputs of channel 0 shrink, of channel 1 flip sign.
  const model::Graph g =
      PreluGraph(DataType::kInt8, DataType::kInt8, {1, 2, 2}, {1, 1, 2}, {1, -2}, {1, 2, 2});
  EXPECT_THAT(RunGraph<int8_t>(g, std::vector<int8_t>{-8, -8, 8, 0}), ElementsAre(-2, 4, 8, 0));
}

TEST(PreluOp, Int16InputWithInt8Alpha) {
  const model::Graph g =
      PreluGraph(DataType::kInt16, DataType::kInt8, {4}, {1}, {2}, {4});  // alpha 0.5
  EXPECT_THAT(RunGraph<int16_t>(g, std::vector<int16_t>{-32768, -4, 4, 32767}),
              ElementsAre(-16384, -2, 4, 32767));
}

TEST(PreluOp, Refusals) {
  ExpectCompileError(PreluGraph(DataType::kInt16, DataType::kInt16, {4}, {1}, {2, 0}, {4}),
                     {"PRELU", "alpha", "INT8"});
  ExpectCompileError(PreluGraph(DataType::kInt8, DataType::kInt8, {2, 3}, {2}, {1, 1}, {2, 3}),
                     {"PRELU", "do not broadcast"});
  ExpectCompileError(
      PreluGraph(DataType::kInt8, DataType::kInt8, {1, 1, 1, 1, 2}, {1}, {1}, {1, 1, 1, 1, 2}),
      {"PRELU", "up to rank 4"});
}

}  // namespace
}  // namespace harness::test
