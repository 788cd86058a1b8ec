// ARG_MAX and ARG_MIN: float32 and int8 input (TFLite-Micro's types), a constant INT32 axis of
// one element (negative counts from the end), an INT32 index output (TFLite-Micro writes no
// INT64 index). The output is an index, not an activation: the quantizer leaves it INT32.
#include "harness/runtime/ops/arg_min_max.h"

#include <memory>
#include <string>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/op_kernel.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/int_constant.h"
#include "kernels/reference/arg_min_max.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

template <class T, bool kMax>
class ArgMinMaxKernel final : public OpKernel {
 public:
  ArgMinMaxKernel(const kernels::Shape& shape, int axis, int32_t input, int32_t output)
      : shape_(shape), axis_(axis), input_(input), output_(output) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    ref::ArgMinMax<T, kMax>(shape_, tensors.in<T>(input_), axis_, tensors.out<int32_t>(output_));
  }

 private:
  kernels::Shape shape_;
  int axis_;
  int32_t input_, output_;
};

template <bool kMax>
std::unique_ptr<OpKernel> MakeArgMinMax(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(2, 2, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (output.type != model::DataType::kInt32) {
    throw ctx.Fail("output tensor '" + output.name + "' has type " + model::ToString(output.type) +
                   "; TFLite-Micro writes INT32 indices only");
  }
  const kernels::Shape shape = CheckedShape(ctx, input, "input");
  const std::vector<int64_t> axis = ReadIntConstant(ctx, 1, "axis", /*int64_allowed=*/false);
  const model::Tensor& axis_tensor = ctx.input(1);
  const auto rank = static_cast<int64_t>(input.shape.size());
  if (axis.size() != 1) {
    throw ctx.Fail("axis tensor '" + axis_tensor.name + "' has shape " +
                   model::ShapeToString(axis_tensor.shape) + ", expected one element");
  }
  const int64_t resolved = axis[0] < 0 ? axis[0] + rank : axis[0];
  if (resolved < 0 || resolved >= rank) {
    throw ctx.Fail("axis tensor '" + axis_tensor.name + "' holds " + std::to_string(axis[0]) +
                   ", outside [" + std::to_string(-rank) + ", " + std::to_string(rank - 1) + "]");
  }
  if (input.shape[static_cast<size_t>(resolved)] == 0) {
    throw ctx.Fail("input tensor '" + input.name + "' has shape " +
                   model::ShapeToString(input.shape) + ": no index along an empty axis");
  }
  std::vector<int32_t> expected = input.shape;
  expected.erase(expected.begin() + resolved);
  if (output.shape != expected) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected));
  }
  const int a = static_cast<int>(resolved);
  switch (input.type) {
    case model::DataType::kFloat32:
      return std::make_unique<ArgMinMaxKernel<float, kMax>>(shape, a, ctx.input_index(0),
                                                            ctx.output_index(0));
    case model::DataType::kInt8:
      return std::make_unique<ArgMinMaxKernel<int8_t, kMax>>(shape, a, ctx.input_index(0),
                                                             ctx.output_index(0));
    default:
      throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                     "; TFLite-Micro's kernel takes FLOAT32 or INT8");
  }
}

// The index type of the options table; INT64 is kept so a file round-trips, anything else
// (an absent table reads FLOAT32) is the INT32 TFLite-Micro writes.
model::DataType IndexType(fb::TensorType type) {
  return type == fb::TensorType::INT64 ? model::DataType::kInt64 : model::DataType::kInt32;
}

model::OpOptions ReadArgMaxOptions(const fb::Operator& op, const std::string& place) {
  ArgMinMaxOptions options;
  if (const auto* o =
          model::OptionsAs<fb::ArgMaxOptions>(op, fb::BuiltinOptions::ArgMaxOptions, place)) {
    options.output_type = IndexType(o->output_type());
  }
  return options;
}

model::OpOptions ReadArgMinOptions(const fb::Operator& op, const std::string& place) {
  ArgMinMaxOptions options;
  if (const auto* o =
          model::OptionsAs<fb::ArgMinOptions>(op, fb::BuiltinOptions::ArgMinOptions, place)) {
    options.output_type = IndexType(o->output_type());
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteArgMaxOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<ArgMinMaxOptions>(op, place);
  return {fb::BuiltinOptions::ArgMaxOptions,
          fb::CreateArgMaxOptions(builder, static_cast<fb::TensorType>(o.output_type)).Union()};
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteArgMinOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<ArgMinMaxOptions>(op, place);
  return {fb::BuiltinOptions::ArgMinOptions,
          fb::CreateArgMinOptions(builder, static_cast<fb::TensorType>(o.output_type)).Union()};
}

// TFLite's op_version.cc: 2 for int8, else 1 (3 is bool, which harness does not hold).
int32_t ArgMinMaxVersion(const model::Graph& graph, const model::Op& op) {
  return InputType(graph, op, 0) == model::DataType::kInt8 ? 2 : 1;
}

// The index output is not quantized; TFLite-Micro has no int16 kernel.
constexpr model::QuantRule kIndexRule{.weights = std::nullopt,
                                      .output = model::OutputParams::kIndex,
                                      .fixed_int8 = std::nullopt,
                                      .fixed_int16 = std::nullopt,
                                      .inputs_share_output_params = false,
                                      .int16x8 = false,
                                      .moves_data = false};

// TfLiteArgMaxParams / TfLiteArgMinParams: the output type; no Init.
constexpr model::ArenaNeeds kArena{.builtin_data_bytes = 4,
                                   .op_data_bytes = &model::NoOpData,
                                   .persistent_arrays = &model::NoPersistentArrays,
                                   .scratch_bytes = &model::NoScratch,
                                   .output_aliases_input = false};

const model::OpDescriptor kArgMaxDescriptor{
    .type = kArgMax,
    .name = "ARG_MAX",
    .read_options = &ReadArgMaxOptions,
    .write_options = &WriteArgMaxOptions,
    .make_kernel = &MakeArgMinMax<true>,
    .version = &ArgMinMaxVersion,
    .quant = kIndexRule,
    .arena = kArena,
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddArgMax",
};
const model::OpRegistration kArgMaxRegistration(kArgMaxDescriptor);

const model::OpDescriptor kArgMinDescriptor{
    .type = kArgMin,
    .name = "ARG_MIN",
    .read_options = &ReadArgMinOptions,
    .write_options = &WriteArgMinOptions,
    .make_kernel = &MakeArgMinMax<false>,
    .version = &ArgMinMaxVersion,
    .quant = kIndexRule,
    .arena = kArena,
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddArgMin",
};
const model::OpRegistration kArgMinRegistration(kArgMinDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
