// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR through the runtime: built from a graph with their
// options and size tensor, and refused as TFLite-Micro refuses them, naming op and tensor.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/resize.h"
#include "tests/runtime/graph_builder.h"
#include "tests/runtime/run_graph.h"

namespace harness::test {
namespace {

using model::DataType;
using runtime::ops::kResizeBilinear;
using runtime::ops::kResizeNearestNeighbor;
using runtime::ops::ResizeOptions;
using ::testing::ElementsAre;

model::Graph ResizeGraph(model::OpType type, DataType dtype, std::vector<int32_t> in_shape,
                         std::vector<int32_t> size, std::vector<int32_t> out_shape,
                         ResizeOptions options = {}, bool constant_size = true) {
  GraphBuilder b;
  const float scale = dtype == DataType::kFloat32 ? 0.0f : 0.25f;
  const int32_t x = b.Tensor("x", dtype, in_shape, scale, 0);
  const auto n = static_cast<int32_t>(size.size());
  const int32_t s = constant_size ? b.Constant<int32_t>("size", DataType::kInt32, {n}, size)
                                  : b.Tensor("size", DataType::kInt32, {n});
  const int32_t y = b.Tensor("y", dtype, out_shape, scale, 0);
  b.Op(type, {x, s}, {y}, options);
  return b.Build({x}, {y});
}

TEST(ResizeOps, BilinearInt8HalfPixelCenters) {
  const model::Graph g = ResizeGraph(kResizeBilinear, DataType::kInt8, {1, 1, 2, 1}, {1, 4},
                                     {1, 1, 4, 1}, {.half_pixel_centers = true});
  EXPECT_THAT(RunGraph<int8_t>(g, std::vector<int8_t>{-10, -20}), ElementsAre(-10, -13, -18, -20));
}

TEST(ResizeOps, NearestNeighborInt16AlignCorners) {
  const model::Graph g = ResizeGraph(kResizeNearestNeighbor, DataType::kInt16, {1, 1, 2, 1}, {1, 3},
                                     {1, 1, 3, 1}, {.align_corners = true});
  EXPECT_THAT(RunGraph<int16_t>(g, std::vector<int16_t>{-300, 300}), ElementsAre(-300, 300, 300));
}

TEST(ResizeOps, RefusedAsTfliteMicroRefuses) {
  ExpectCompileError(ResizeGraph(kResizeBilinear, DataType::kFloat32, {1, 2, 2, 1}, {4, 4},
                                 {1, 4, 4, 1}, {.align_corners = true, .half_pixel_centers = true}),
                     {"RESIZE_BILINEAR", "align_corners and half_pixel_centers"});
  ExpectCompileError(
      ResizeGraph(kResizeBilinear, DataType::kInt16, {1, 2, 2, 1}, {4, 4}, {1, 4, 4, 1}),
      {"RESIZE_BILINEAR", "FLOAT32 or INT8"});
  ExpectCompileError(ResizeGraph(kResizeNearestNeighbor, DataType::kFloat32, {1, 2, 2, 1}, {4, 4},
                                 {1, 4, 4, 1}, {}, /*constant_size=*/false),
                     {"size tensor 'size'", "constant"});
  ExpectCompileError(
      ResizeGraph(kResizeNearestNeighbor, DataType::kFloat32, {1, 2, 2, 1}, {4}, {1, 4, 4, 1}),
      {"size tensor 'size'", "expected [2]"});
  ExpectCompileError(
      ResizeGraph(kResizeNearestNeighbor, DataType::kFloat32, {1, 2, 2, 1}, {0, 4}, {1, 0, 4, 1}),
      {"size tensor 'size'", "positive"});
  ExpectCompileError(
      ResizeGraph(kResizeBilinear, DataType::kFloat32, {1, 2, 2, 1}, {4, 4}, {1, 4, 3, 1}),
      {"output tensor 'y'", "[1, 4, 4, 1]"});
  ExpectCompileError(ResizeGraph(kResizeBilinear, DataType::kFloat32, {2, 2, 1}, {4, 4}, {4, 4, 1}),
                     {"input tensor 'x'", "rank 4"});
}

TEST(ResizeOps, DescriptorFacts) {
  const model::OpDescriptor& bilinear = model::GetOp(kResizeBilinear);
  EXPECT_STREQ(*bilinear.micro_resolver_call, "AddResizeBilinear");
  EXPECT_EQ(*bilinear.quant.output, model::OutputParams::kSharesInput);
  EXPECT_FALSE(*bilinear.quant.int16x8);  // TFLite-Micro's kernel has no int16
  const model::OpDescriptor& nearest = model::GetOp(kResizeNearestNeighbor);
  EXPECT_STREQ(*nearest.micro_resolver_call, "AddResizeNearestNeighbor");
  EXPECT_TRUE(*nearest.quant.int16x8);
  EXPECT_EQ(*bilinear.arena.builtin_data_bytes, 2u);  // two bools
}

}  // namespace
}  // namespace harness::test
