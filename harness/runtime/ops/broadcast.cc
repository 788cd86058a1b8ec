#include "harness/runtime/ops/broadcast.h"

#include "kernels/reference/binary_broadcast.h"

namespace harness::runtime::ops {

kernels::Shape CheckedShape(const OpContext& ctx, const model::Tensor& t, const char* role) {
  if (t.shape.size() > static_cast<size_t>(kernels::Shape::kMaxRank)) {
    throw ctx.Fail(std::string(role) + " tensor '" + t.name + "' has shape " +
                   model::ShapeToString(t.shape) + ", rank above " +
                   std::to_string(kernels::Shape::kMaxRank) + " is not supported");
  }
  for (int32_t d : t.shape) {
    if (d < 0) {
      throw ctx.Fail(std::string(role) + " tensor '" + t.name + "' has shape " +
                     model::ShapeToString(t.shape) + " with a negative dimension");
    }
  }
  return ShapeOf(t);
}

void ExpectClampableActivation(const OpContext& ctx, model::Activation activation) {
  switch (activation) {
    case model::Activation::kNone:
    case model::Activation::kRelu:
    case model::Activation::kReluN1To1:
    case model::Activation::kRelu6:
      return;
    default:
      throw ctx.Fail(std::string("fused activation ") + model::ToString(activation) +
                     " is not supported");
  }
}

void ExpectSameQuantization(const OpContext& ctx, const model::Tensor& a, const char* role_a,
                            const model::Tensor& b, const char* role_b) {
  const auto [scale_a, zero_a] = ctx.PerTensorQuantization(a, role_a);
  const auto [scale_b, zero_b] = ctx.PerTensorQuantization(b, role_b);
  if (scale_a != scale_b || zero_a != zero_b) {
    throw ctx.Fail(std::string(role_a) + " tensor '" + a.name + "' (scale " +
                   std::to_string(scale_a) + ", zero point " + std::to_string(zero_a) + ") and " +
                   role_b + " tensor '" + b.name + "' (scale " + std::to_string(scale_b) +
                   ", zero point " + std::to_string(zero_b) +
                   ") must have the same quantization");
  }
}

Error UnsupportedTypes(const OpContext& ctx) {
  std::string types;
  for (size_t i = 0; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) continue;
    if (!types.empty()) types += ", ";
    types += model::ToString(ctx.input(i).type);
  }
  types += " -> ";
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    if (i > 0) types += ", ";
    types += model::ToString(ctx.output(i).type);
  }
  return ctx.Fail("unsupported type combination " + types);
}

BinaryTensors PrepareBinary(const OpContext& ctx) {
  ctx.ExpectCounts(2, 2, 1);
  BinaryTensors t;
  t.input1 = ctx.input_index(0);
  t.input2 = ctx.input_index(1);
  t.output = ctx.output_index(0);
  const model::Tensor& input1 = ctx.input(0);
  const model::Tensor& input2 = ctx.input(1);
  const model::Tensor& output = ctx.output(0);
  if (input1.type != input2.type || input1.type != output.type) throw UnsupportedTypes(ctx);
  t.type = output.type;
  t.shape1 = CheckedShape(ctx, input1, "input1");
  t.shape2 = CheckedShape(ctx, input2, "input2");
  const kernels::Shape output_shape = CheckedShape(ctx, output, "output");
  kernels::Shape broadcast;
  if (!kernels::reference::BroadcastShapes(t.shape1, t.shape2, &broadcast)) {
    throw ctx.Fail("input shapes " + model::ShapeToString(input1.shape) + " and " +
                   model::ShapeToString(input2.shape) + " do not broadcast");
  }
  if (!(broadcast == output_shape)) {
    const auto dims = broadcast.dims();
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(std::vector<int32_t>(dims.begin(), dims.end())));
  }
  return t;
}

}  // namespace harness::runtime::ops
