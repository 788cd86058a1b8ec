// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR through the quantizer (see single_op_quant.h). Both
// keep their input's parameters; bilinear's float-free int8 interpolation stays within a step
// and a half of float (input rounding, the 10-bit weights, the output rounding), nearest neighbor
// within the input's half step. TFLite-Micro has no int16 RESIZE_BILINEAR: int16x8 refuses it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/common/error.h"
#include "harness/runtime/ops/resize.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant::testing {
namespace {

using runtime::ops::kResizeBilinear;
using runtime::ops::kResizeNearestNeighbor;
using runtime::ops::ResizeOptions;

SingleOpQuantCase ResizeCase(model::OpType type, ResizeOptions options) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", {1, 3, 4, 2});
  const int32_t size =
      AddConstant(g, "size", {2}, std::vector<int32_t>{5, 7}, model::DataType::kInt32);
  const int32_t y = AddTensor(g, "y", {1, 5, 7, 2});
  model::Op op;
  op.type = type;
  op.inputs = {x, size};
  op.outputs = {y};
  op.options = options;
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  return SingleOpQuantCase{.float_graph = g, .op = type};
}

TEST(ResizeQuant, BilinearInt8) {
  SingleOpQuantCase c = ResizeCase(kResizeBilinear, {.half_pixel_centers = true});
  c.int8_version = 3;  // half_pixel_centers
  c.tolerance_steps = 1.5;
  CheckSingleOpQuantization(c, false);
  c = ResizeCase(kResizeBilinear, {.align_corners = true});
  c.int8_version = 2;
  c.tolerance_steps = 1.5;
  CheckSingleOpQuantization(c, false);
}

TEST(ResizeQuant, BilinearInt16x8IsRefusedNamingTheOp) {
  try {
    CheckSingleOpQuantization(ResizeCase(kResizeBilinear, {}), true);
    ADD_FAILURE() << "int16x8 quantized RESIZE_BILINEAR";
  } catch (const Error& e) {
    EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr("RESIZE_BILINEAR"));
    EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr("no int16x8 kernel"));
  }
}

TEST(ResizeQuant, NearestNeighborInt8AndInt16x8) {
  SingleOpQuantCase c = ResizeCase(kResizeNearestNeighbor, {});
  c.int8_version = 2;
  c.int16_version = 4;
  c.tolerance_steps = 0.5;
  CheckSingleOpQuantization(c, false);
  CheckSingleOpQuantization(c, true);
}

}  // namespace
}  // namespace harness::quant::testing
