// TRANSPOSE through the runtime: the op table builds it from a graph, and bad graphs are refused
// with the op and tensor named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/transpose.h"
#include "tests/runtime/graph_builder.h"
#include "tests/runtime/run_graph.h"

namespace harness::test {
namespace {

using model::DataType;
using runtime::ops::kTranspose;
using ::testing::ElementsAre;

TEST(TransposeOp, Int8KeepsBytesAndNegativeValues) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt8, {2, 1, 3}, 0.5f, -3);
  const int32_t perm = b.Constant<int32_t>("perm", DataType::kInt32, {3}, {2, 0, 1});
  const int32_t y = b.Tensor("y", DataType::kInt8, {3, 2, 1}, 0.5f, -3);
  b.Op(kTranspose, {x, perm}, {y});
  EXPECT_THAT(RunGraph<int8_t>(b.Build({x}, {y}), std::vector<int8_t>{-128, 1, 2, 3, 4, 127}),
              ElementsAre(-128, 3, 1, 4, 2, 127));
}

TEST(TransposeOp, DescriptorFacts) {
  const model::OpDescriptor& d = model::GetOp(kTranspose);
  EXPECT_STREQ(*d.name, "TRANSPOSE");
  EXPECT_STREQ(*d.micro_resolver_call, "AddTranspose");
  EXPECT_EQ(*d.quant.output, model::OutputParams::kSharesInput);
  EXPECT_TRUE(*d.quant.int16x8);
}

model::Graph TransposeGraph(std::vector<int32_t> perm_values, std::vector<int32_t> in_shape,
                            std::vector<int32_t> out_shape, bool constant_perm = true) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, in_shape);
  const auto rank = static_cast<int32_t>(perm_values.size());
  const int32_t perm = constant_perm
                           ? b.Constant<int32_t>("perm", DataType::kInt32, {rank}, perm_values)
                           : b.Tensor("perm", DataType::kInt32, {rank});
  const int32_t y = b.Tensor("y", DataType::kFloat32, out_shape);
  b.Op(kTranspose, {x, perm}, {y});
  return b.Build({x}, {y});
}

TEST(TransposeOp, RefusesBadPermutations) {
  ExpectCompileError(TransposeGraph({0, 0}, {2, 3}, {2, 2}), {"TRANSPOSE", "perm", "entry 1"});
  ExpectCompileError(TransposeGraph({0, 2}, {2, 3}, {2, 3}), {"perm", "permutation of 0..1"});
  ExpectCompileError(TransposeGraph({1, 0}, {2, 3}, {2, 3}), {"output tensor 'y'", "[3, 2]"});
  ExpectCompileError(TransposeGraph({1, 0}, {2, 3}, {3, 2}, false), {"perm", "constant"});
}

TEST(TransposeOp, RefusesRankSixAsTfliteMicroDoes) {
  ExpectCompileError(TransposeGraph({0, 1, 2, 3, 4, 5}, {1, 1, 1, 1, 1, 2}, {1, 1, 1, 1, 1, 2}),
                     {"TRANSPOSE", "ranks 1 to 5"});
}

}  // namespace
}  // namespace harness::test
