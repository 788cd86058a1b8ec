#include "harness/runtime/ops/resize_common.h"

#include <string>
#include <vector>

#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/int_constant.h"

namespace harness::runtime::ops {

ResizeTensors PrepareResize(const OpContext& ctx) {
  ctx.ExpectCounts(2, 2, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& size = ctx.input(1);
  const model::Tensor& output = ctx.output(0);
  ctx.ExpectRank(input, 4, "input");
  ctx.ExpectType(output, input.type, "output");
  const std::vector<int64_t> hw = ReadIntConstant(ctx, 1, "size", /*int64_allowed=*/false);
  if (size.shape.size() != 1 || hw.size() != 2) {
    throw ctx.Fail("size tensor '" + size.name + "' has shape " + model::ShapeToString(size.shape) +
                   ", expected [2] (height, width)");
  }
  if (hw[0] <= 0 || hw[1] <= 0) {
    throw ctx.Fail("size tensor '" + size.name + "' holds " + std::to_string(hw[0]) + ", " +
                   std::to_string(hw[1]) + "; the output height and width must be positive");
  }
  const std::vector<int32_t> expected = {input.shape[0], static_cast<int32_t>(hw[0]),
                                         static_cast<int32_t>(hw[1]), input.shape[3]};
  if (output.shape != expected) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected));
  }
  // The integer kernel scales coordinates by 1024 in int32: keep 1024 * size within it.
  constexpr int32_t kMaxExtent = 1 << 20;
  for (int32_t extent : {input.shape[1], input.shape[2], expected[1], expected[2]}) {
    if (extent >= kMaxExtent) {
      throw ctx.Fail("height or width " + std::to_string(extent) + " is above " +
                     std::to_string(kMaxExtent - 1));
    }
  }
  return {CheckedShape(ctx, input, "input"), CheckedShape(ctx, output, "output"), input.type};
}

}  // namespace harness::runtime::ops
