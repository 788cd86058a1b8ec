// SUB: float32 and int32 with a fused clamp, int8 / int16 with TFLite's input rescaling; the
// multipliers and the activation range are computed once here. The op's descriptor registers it
// in the op table.
#include "harness/runtime/ops/sub.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "kernels/reference/sub.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

// TFLite's CalculateActivationRange for int32 tensors.
ref::SubClampParams<int32_t> Int32Range(model::Activation activation) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  switch (activation) {
    case model::Activation::kRelu:
      return {0, kMax};
    case model::Activation::kRelu6:
      return {0, 6};
    case model::Activation::kReluN1To1:
      return {-1, 1};
    default:
      return {kMin, kMax};
  }
}

// Every scale positive and finite, and the output multiplier below 1 (the kernel applies its
// exponent as a right shift), with the kernel's own float expression.
void CheckScales(const OpContext& ctx, float scale1, float scale2, float output_scale,
                 const ref::SubQuantizedParams& params) {
  for (const auto& [scale, role] : {std::pair{scale1, "input1"}, std::pair{scale2, "input2"},
                                    std::pair{output_scale, "output"}}) {
    if (!(scale > 0.0f) || !std::isfinite(scale)) {
      throw ctx.Fail(std::string(role) + " scale " + std::to_string(scale) +
                     " is not positive and finite");
    }
  }
  if (params.output_shift > 0 || params.output_multiplier == 0) {
    throw ctx.Fail("output scale " + std::to_string(output_scale) +
                   " does not suit the input scales: the output multiplier must lie in "
                   "(2^-31, 1)");
  }
}

std::unique_ptr<OpKernel> MakeSub(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const BinaryTensors tensors = PrepareBinary(ctx);
  const model::Activation activation = ctx.options<SubOptions>().activation;
  ExpectClampableActivation(ctx, activation);

  switch (tensors.type) {
    case model::DataType::kFloat32: {
      const FloatActivationRange range = FloatRange(activation);
      BinaryKernel<float, ref::SubClampParams<float>>::Function sub = &ref::Sub;
      return std::make_unique<BinaryKernel<float, ref::SubClampParams<float>>>(
          sub, ref::SubClampParams<float>{range.min, range.max}, tensors);
    }
    case model::DataType::kInt32: {
      BinaryKernel<int32_t, ref::SubClampParams<int32_t>>::Function sub = &ref::Sub;
      return std::make_unique<BinaryKernel<int32_t, ref::SubClampParams<int32_t>>>(
          sub, Int32Range(activation), tensors);
    }
    case model::DataType::kInt8:
    case model::DataType::kInt16: {
      const auto [scale1, zero1] = ctx.PerTensorQuantization(ctx.input(0), "input1");
      const auto [scale2, zero2] = ctx.PerTensorQuantization(ctx.input(1), "input2");
      const auto [output_scale, output_zero] = ctx.PerTensorQuantization(ctx.output(0), "output");
      const IntActivationRange range =
          QuantizedRange(activation, tensors.type, output_scale, output_zero);
      const bool is_int16 = tensors.type == model::DataType::kInt16;
      const ref::SubQuantizedParams params = ref::MakeSubQuantizedParams(
          scale1, zero1, scale2, zero2, output_scale, output_zero, is_int16, range.min, range.max);
      CheckScales(ctx, scale1, scale2, output_scale, params);
      if (is_int16) {
        BinaryKernel<int16_t, ref::SubQuantizedParams>::Function sub = &ref::Sub;
        return std::make_unique<BinaryKernel<int16_t, ref::SubQuantizedParams>>(sub, params,
                                                                                tensors);
      }
      BinaryKernel<int8_t, ref::SubQuantizedParams>::Function sub = &ref::Sub;
      return std::make_unique<BinaryKernel<int8_t, ref::SubQuantizedParams>>(sub, params, tensors);
    }
    default:
      throw UnsupportedTypes(ctx);
  }
}

model::OpOptions ReadSubOptions(const fb::Operator& op, const std::string& place) {
  SubOptions options;
  if (const auto* o = model::OptionsAs<fb::SubOptions>(op, fb::BuiltinOptions::SubOptions, place)) {
    options.activation = model::ReadActivation(o->fused_activation_function(), place);
    options.pot_scale_int16 = o->pot_scale_int16();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteSubOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<SubOptions>(op, place);
  return {fb::BuiltinOptions::SubOptions,
          fb::CreateSubOptions(builder, model::WriteActivation(o.activation), o.pot_scale_int16)
              .Union()};
}

// TFLite's op_version.cc: 5 for int16 with general scaling, 3 for a broadcast over more than four
// dimensions, 2 for int8, else 1.
int32_t SubVersion(const model::Graph& graph, const model::Op& op) {
  if (InputType(graph, op, 0) == model::DataType::kInt16 && !op.options.empty()) {
    if (const auto* o = op.options.get_if<SubOptions>(); o && !o->pot_scale_int16) return 5;
  }
  if (op.inputs.size() == 2) {
    const auto& shape1 = graph.tensor(op.inputs[0]).shape;
    const auto& shape2 = graph.tensor(op.inputs[1]).shape;
    if (shape1 != shape2 && std::max(shape1.size(), shape2.size()) > 4) return 3;
  }
  return InputType(graph, op, 0) == model::DataType::kInt8 ? 2 : 1;
}

const model::OpDescriptor kDescriptor{
    .type = kSub,
    .name = "SUB",
    .read_options = &ReadSubOptions,
    .write_options = &WriteSubOptions,
    .make_kernel = &MakeSub,
    .version = &SubVersion,
    .quant = OwnOutputRule(/*int16x8=*/true),
    // TfLiteSubParams {activation, pot_scale_int16}; OpDataSub: requires_broadcast and twelve
    // multipliers, shifts, offsets and activation bounds.
    .arena = {.builtin_data_bytes = 8,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 13); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddSub",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
