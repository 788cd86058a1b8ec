// PRELU: float32, int8 (int8 alpha) and int16 (int8 alpha), TFLite-Micro's types, alpha broadcast
// against the input up to rank 4; the two requantization multipliers are computed here once.
#include "harness/runtime/ops/prelu.h"

#include <memory>
#include <string>

#include "harness/model/op_registry.h"
#include "harness/runtime/op_kernel.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "kernels/reference/prelu.h"

namespace harness::runtime::ops {
namespace {

namespace ref = kernels::reference;

// TFLite-Micro's kernel broadcasts in four dimensions.
constexpr size_t kMaxRank = 4;

template <class T>
class PreluKernel final : public OpKernel {
 public:
  PreluKernel(const BinaryTensors& tensors, const ref::PreluParams& params)
      : tensors_(tensors), params_(params) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    if constexpr (std::is_same_v<T, float>) {
      ref::Prelu(tensors_.shape1, tensors.in<float>(tensors_.input1), tensors_.shape2,
                 tensors.in<float>(tensors_.input2), tensors.out<float>(tensors_.output));
    } else {
      ref::Prelu(params_, tensors_.shape1, tensors.in<T>(tensors_.input1), tensors_.shape2,
                 tensors.in<int8_t>(tensors_.input2), tensors.out<T>(tensors_.output));
    }
  }

 private:
  BinaryTensors tensors_;
  ref::PreluParams params_;
};

template <class T>
std::unique_ptr<OpKernel> MakeQuantized(const OpContext& ctx, const BinaryTensors& tensors) {
  const auto [in_scale, in_zero] = ctx.PerTensorQuantization(ctx.input(0), "input");
  const auto [alpha_scale, alpha_zero] = ctx.PerTensorQuantization(ctx.input(1), "alpha");
  const auto [out_scale, out_zero] = ctx.PerTensorQuantization(ctx.output(0), "output");
  ExpectRepresentableMultiplier(ctx, static_cast<double>(in_scale) / static_cast<double>(out_scale),
                                "input scale / output scale");
  ExpectRepresentableMultiplier(ctx,
                                static_cast<double>(in_scale) * static_cast<double>(alpha_scale) /
                                    static_cast<double>(out_scale),
                                "input scale * alpha scale / output scale");
  return std::make_unique<PreluKernel<T>>(
      tensors, ref::PreparePrelu(in_scale, in_zero, alpha_scale, alpha_zero, out_scale, out_zero));
}

std::unique_ptr<OpKernel> MakePrelu(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(2, 2, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& alpha = ctx.input(1);
  const model::Tensor& output = ctx.output(0);
  ctx.ExpectType(output, input.type, "output");
  for (const model::Tensor* t : {&input, &alpha, &output}) {
    if (t->shape.size() > kMaxRank) {
      throw ctx.Fail("tensor '" + t->name + "' has shape " + model::ShapeToString(t->shape) +
                     "; TFLite-Micro's PRELU broadcasts up to rank 4");
    }
  }
  const model::DataType alpha_type =
      input.type == model::DataType::kFloat32 ? model::DataType::kFloat32 : model::DataType::kInt8;
  ctx.ExpectType(alpha, alpha_type, "alpha");
  BinaryTensors tensors;
  tensors.input1 = ctx.input_index(0);
  tensors.input2 = ctx.input_index(1);
  tensors.output = ctx.output_index(0);
  tensors.shape1 = CheckedShape(ctx, input, "input");
  tensors.shape2 = CheckedShape(ctx, alpha, "alpha");
  tensors.type = input.type;
  kernels::Shape broadcast;
  if (!kernels::reference::BroadcastShapes(tensors.shape1, tensors.shape2, &broadcast) ||
      !(broadcast == CheckedShape(ctx, output, "output"))) {
    throw ctx.Fail("input tensor '" + input.name + "' " + model::ShapeToString(input.shape) +
                   " and alpha tensor '" + alpha.name + "' " + model::ShapeToString(alpha.shape) +
                   " do not broadcast to output tensor '" + output.name + "' " +
                   model::ShapeToString(output.shape));
  }
  switch (input.type) {
    case model::DataType::kFloat32:
      return std::make_unique<PreluKernel<float>>(tensors, ref::PreluParams{});
    case model::DataType::kInt8:
      return MakeQuantized<int8_t>(ctx, tensors);
    case model::DataType::kInt16:
      return MakeQuantized<int16_t>(ctx, tensors);
    default:
      throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                     ", expected FLOAT32, INT8 or INT16");
  }
}

const model::OpDescriptor kDescriptor{
    .type = kPrelu,
    .name = "PRELU",
    .read_options = &model::ReadNoOptions,
    .write_options = &model::WriteNoOptions,
    .make_kernel = &MakePrelu,
    .version = &VersionOne,  // TFLite's op_version.cc has one version
    // TFLite's quantizer: input and alpha quantized as activations (int8, per tensor), the output
    // calibrated on its own. TFLite-Micro's int16 kernel wants an int8 alpha, which the int16x8
    // mode's int16 operands are not: int16x8 keeps PRELU out.
    .quant = OwnOutputRule(/*int16x8=*/false),
    // PreluParams from Init: three offsets, two multipliers, two shifts.
    .arena = {.builtin_data_bytes = 0,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 7); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &OutputElements,  // at most one multiply per output element
    .micro_resolver_call = "AddPrelu",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
