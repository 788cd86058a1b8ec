// RELU, RELU6, HARD_SWISH: float32 and int8, elementwise. Int8 parameters (requantization
// multipliers, clamp bounds, HardSwish's Q15 multipliers) are computed here once.
#include <utility>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/reference/activations.h"

namespace harness::runtime::ops {
namespace {

// Applies `apply(size, input, output)` to the whole tensor; `apply` holds the precomputed
// parameters.
template <class T, class Apply>
class ElementwiseKernel final : public OpKernel {
 public:
  ElementwiseKernel(int32_t input, int32_t output, int64_t size, Apply apply)
      : input_(input), output_(output), size_(size), apply_(std::move(apply)) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    apply_(size_, tensors.in<T>(input_), tensors.out<T>(output_));
  }

 private:
  int32_t input_, output_;
  int64_t size_;
  Apply apply_;
};

template <class T, class Apply>
std::unique_ptr<OpKernel> Elementwise(const OpContext& ctx, Apply apply) {
  return std::make_unique<ElementwiseKernel<T, Apply>>(
      ctx.input_index(0), ctx.output_index(0), model::ElementCount(ctx.output(0).shape),
      std::move(apply));
}

// One input, one output of the same shape and of type FLOAT32 or INT8; returns the type.
model::DataType CheckUnaryOp(const OpContext& ctx) {
  ctx.ExpectCounts(1, 1, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (input.shape != output.shape) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected the input's " +
                   model::ShapeToString(input.shape));
  }
  if (input.type != model::DataType::kFloat32 && input.type != model::DataType::kInt8) {
    throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                   ", expected FLOAT32 or INT8");
  }
  ctx.ExpectType(output, input.type, "output");
  return input.type;
}

}  // namespace

std::unique_ptr<OpKernel> MakeRelu(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  if (CheckUnaryOp(ctx) == model::DataType::kFloat32) {
    return Elementwise<float>(ctx, &kernels::reference::ReluFloat);
  }
  const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(ctx.input(0), "input");
  const auto [output_scale, output_zero_point] =
      ctx.PerTensorQuantization(ctx.output(0), "output");
  ExpectRepresentableMultiplier(
      ctx, static_cast<double>(input_scale) / static_cast<double>(output_scale),
      "input scale / output scale");
  const auto params = kernels::reference::PrepareReluInt8(input_scale, input_zero_point,
                                                          output_scale, output_zero_point);
  return Elementwise<int8_t>(ctx, [params](int64_t size, const int8_t* in, int8_t* out) {
    kernels::reference::ReluInt8(params, size, in, out);
  });
}

std::unique_ptr<OpKernel> MakeRelu6(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  if (CheckUnaryOp(ctx) == model::DataType::kFloat32) {
    return Elementwise<float>(ctx, &kernels::reference::Relu6Float);
  }
  // TFLite-Micro clamps in the input's quantization and never looks at the output's.
  const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(ctx.input(0), "input");
  const auto params = kernels::reference::PrepareRelu6Int8(input_scale, input_zero_point);
  return Elementwise<int8_t>(ctx, [params](int64_t size, const int8_t* in, int8_t* out) {
    kernels::reference::Relu6Int8(params, size, in, out);
  });
}

std::unique_ptr<OpKernel> MakeHardSwish(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  if (CheckUnaryOp(ctx) == model::DataType::kFloat32) {
    return Elementwise<float>(ctx, &kernels::reference::HardSwishFloat);
  }
  const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(ctx.input(0), "input");
  const auto [output_scale, output_zero_point] =
      ctx.PerTensorQuantization(ctx.output(0), "output");
  // The same float expressions as PrepareHardSwishInt8 (input scale / 128 over the output scale
  // and over 3 / 32768).
  const float hires_input_scale = (1.0f / 128.0f) * input_scale;
  ExpectRepresentableMultiplier(ctx, static_cast<double>(hires_input_scale / output_scale),
                                "input scale / 128 / output scale");
  ExpectRepresentableMultiplier(ctx, static_cast<double>(hires_input_scale / (3.0f / 32768.0f)),
                                "input scale / 128 / (3 / 32768)");
  const auto params = kernels::reference::PrepareHardSwishInt8(input_scale, input_zero_point,
                                                               output_scale, output_zero_point);
  if (!params) {
    throw ctx.Fail("output tensor '" + ctx.output(0).name + "' has scale " +
                   std::to_string(output_scale) + ", too small for the int8 HARD_SWISH (needs "
                   "input scale / 128 / output scale <= 1)");
  }
  return Elementwise<int8_t>(ctx, [p = *params](int64_t size, const int8_t* in, int8_t* out) {
    kernels::reference::HardSwishInt8(p, size, in, out);
  });
}

namespace {

// The harness kernels of these three are float32 and int8 only.
const model::OpDescriptor kRelu{
    .type = model::OpType::kRelu,
    .name = "RELU",
    .read_options = &model::ReadNoOptions,
    .write_options = &model::WriteNoOptions,
    .make_kernel = &MakeRelu,
    .version = &VersionByActivationType,
    .quant = OwnOutputRule(/*int16x8=*/false),
    .arena = NoArenaNeeds(),
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddRelu",
};
const model::OpRegistration kReluRegistration(kRelu);

const model::OpDescriptor kRelu6{
    .type = model::OpType::kRelu6,
    .name = "RELU6",
    .read_options = &model::ReadNoOptions,
    .write_options = &model::WriteNoOptions,
    .make_kernel = &MakeRelu6,
    .version = &VersionByActivationType,
    .quant = OwnOutputRule(/*int16x8=*/false),
    .arena = NoArenaNeeds(),
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddRelu6",
};
const model::OpRegistration kRelu6Registration(kRelu6);

const model::OpDescriptor kHardSwish{
    .type = model::OpType::kHardSwish,
    .name = "HARD_SWISH",
    .read_options = &model::ReadEmptyOptions<::tflite::BuiltinOptions::HardSwishOptions>,
    .write_options = &model::WriteEmptyOptions<::tflite::BuiltinOptions::HardSwishOptions>,
    .make_kernel = &MakeHardSwish,
    .version = &VersionOne,
    .quant = OwnOutputRule(/*int16x8=*/false),
    .arena = {.builtin_data_bytes = 0,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 8); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddHardSwish",
};
const model::OpRegistration kHardSwishRegistration(kHardSwish);

}  // namespace

}  // namespace harness::runtime::ops
