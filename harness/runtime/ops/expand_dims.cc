// EXPAND_DIMS: float32, int8 and int16 (TFLite-Micro's types); the data is copied and the
// output's shape must be the input's with a 1 inserted at the constant INT32 axis (negative
// counts from the end of the output), as TFLite-Micro's Prepare verifies.
#include <memory>
#include <string>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/copy_kernel.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/int_constant.h"
#include "harness/runtime/ops/shape_ops.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;

std::unique_ptr<OpKernel> MakeExpandDims(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(2, 2, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (input.type != model::DataType::kFloat32 && input.type != model::DataType::kInt8 &&
      input.type != model::DataType::kInt16) {
    throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                   ", expected FLOAT32, INT8 or INT16");
  }
  ctx.ExpectType(output, input.type, "output");
  const std::vector<int64_t> axis = ReadIntConstant(ctx, 1, "axis", /*int64_allowed=*/false);
  const model::Tensor& axis_tensor = ctx.input(1);
  if (axis.size() != 1 || axis_tensor.shape.size() > 1) {
    throw ctx.Fail("axis tensor '" + axis_tensor.name + "' has shape " +
                   model::ShapeToString(axis_tensor.shape) + ", expected one element");
  }
  const auto rank = static_cast<int64_t>(input.shape.size());
  const int64_t position = axis[0] < 0 ? axis[0] + rank + 1 : axis[0];
  if (position < 0 || position > rank) {
    throw ctx.Fail("axis tensor '" + axis_tensor.name + "' holds " + std::to_string(axis[0]) +
                   ", outside [" + std::to_string(-rank - 1) + ", " + std::to_string(rank) + "]");
  }
  std::vector<int32_t> expected = input.shape;
  expected.insert(expected.begin() + position, 1);
  if (output.shape != expected) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected));
  }
  const auto bytes =
      static_cast<size_t>(model::ElementCount(input.shape)) * model::ElementSize(input.type);
  return std::make_unique<CopyKernel>(ctx.input_index(0), ctx.output_index(0), bytes);
}

const model::OpDescriptor kDescriptor{
    .type = kExpandDims,
    .name = "EXPAND_DIMS",
    .read_options = &model::ReadEmptyOptions<fb::BuiltinOptions::ExpandDimsOptions>,
    .write_options = &model::WriteEmptyOptions<fb::BuiltinOptions::ExpandDimsOptions>,
    .make_kernel = &MakeExpandDims,
    .version = &VersionOne,  // TFLite's op_version.cc has one version
    .quant = SharedOutputRule(/*moves_data=*/true),
    .arena = NoArenaNeeds(),  // no builtin data, no Init
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddExpandDims",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
