// ADD: float with a fused clamp, int8 / int16 with TFLite's input rescaling; the multipliers
// and the activation range are computed once here.
#include "kernels/reference/add.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "kernels/reference/add.h"

namespace harness::runtime::ops {

namespace ref = kernels::reference;

namespace {

// As TFLite's QuantizeMultiplierSmallerThanOneExp requires: every scale positive and finite, and
// the output multiplier 2 * max(input scales) / (2^left_shift * output scale) below 1 (the
// kernel applies its exponent as a right shift). The expression is the kernel's
// (MakeAddQuantizedParams).
void CheckScales(const OpContext& ctx, float scale1, float scale2, float output_scale,
                 bool is_int16) {
  for (const auto& [scale, role] : {std::pair{scale1, "input1"}, std::pair{scale2, "input2"},
                                    std::pair{output_scale, "output"}}) {
    if (!(scale > 0.0f) || !std::isfinite(scale)) {
      throw ctx.Fail(std::string(role) + " scale " + std::to_string(scale) +
                     " is not positive and finite");
    }
  }
  const double twice_max_input_scale = 2 * static_cast<double>(std::max(scale1, scale2));
  const double output_multiplier =
      twice_max_input_scale / ((1 << (is_int16 ? 15 : 20)) * static_cast<double>(output_scale));
  if (!(output_multiplier < 1.0)) {
    throw ctx.Fail("output scale " + std::to_string(output_scale) +
                   " is too small for the input scales: the output multiplier " +
                   std::to_string(output_multiplier) + " must be below 1");
  }
}

}  // namespace

std::unique_ptr<OpKernel> MakeAdd(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const BinaryTensors tensors = PrepareBinary(ctx);
  const model::Activation activation = ctx.options<model::AddOptions>().activation;
  ExpectClampableActivation(ctx, activation);

  switch (tensors.type) {
    case model::DataType::kFloat32: {
      const FloatActivationRange range = FloatRange(activation);
      BinaryKernel<float, ref::AddFloatParams>::Function add = &ref::Add;
      return std::make_unique<BinaryKernel<float, ref::AddFloatParams>>(
          add, ref::AddFloatParams{range.min, range.max}, tensors);
    }
    case model::DataType::kInt8:
    case model::DataType::kInt16: {
      const auto [scale1, zero1] = ctx.PerTensorQuantization(ctx.input(0), "input1");
      const auto [scale2, zero2] = ctx.PerTensorQuantization(ctx.input(1), "input2");
      const auto [output_scale, output_zero] = ctx.PerTensorQuantization(ctx.output(0), "output");
      const IntActivationRange range =
          QuantizedRange(activation, tensors.type, output_scale, output_zero);
      const bool is_int16 = tensors.type == model::DataType::kInt16;
      CheckScales(ctx, scale1, scale2, output_scale, is_int16);
      const ref::AddQuantizedParams params =
          ref::MakeAddQuantizedParams(scale1, zero1, scale2, zero2, output_scale, output_zero,
                                      is_int16, range.min, range.max);
      if (params.output_shift > 0) {
        throw ctx.Fail("output scale " + std::to_string(output_scale) +
                       " makes the output multiplier round to 1 or more");
      }
      if (is_int16) {
        BinaryKernel<int16_t, ref::AddQuantizedParams>::Function add = &ref::Add;
        return std::make_unique<BinaryKernel<int16_t, ref::AddQuantizedParams>>(add, params,
                                                                                tensors);
      }
      BinaryKernel<int8_t, ref::AddQuantizedParams>::Function add = &ref::Add;
      return std::make_unique<BinaryKernel<int8_t, ref::AddQuantizedParams>>(add, params, tensors);
    }
    default:
      throw UnsupportedTypes(ctx);
  }
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadAddOptions(const fb::Operator& op, const std::string& place) {
  model::AddOptions options;
  if (const auto* o = model::OptionsAs<fb::AddOptions>(op, fb::BuiltinOptions::AddOptions, place)) {
    options.activation = model::ReadActivation(o->fused_activation_function(), place);
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteAddOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::AddOptions>(op, place);
  fb::AddOptionsBuilder options(builder);
  options.add_fused_activation_function(model::WriteActivation(o.activation));
  return {fb::BuiltinOptions::AddOptions, options.Finish().Union()};
}

int32_t AddVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType in = InputType(graph, op, 0);
  // int16 ADD's version depends on pot_scale_int16, which the IR does not hold.
  if (in == model::DataType::kInt16) return 0;
  return in == model::DataType::kInt8 ? 2 : 1;
}

const model::OpDescriptor kAdd{
    .type = model::OpType::kAdd,
    .name = "ADD",
    .read_options = &ReadAddOptions,
    .write_options = &WriteAddOptions,
    .make_kernel = &MakeAdd,
    .version = &AddVersion,
    .quant = OwnOutputRule(/*int16x8=*/true),
    .arena = {.builtin_data_bytes = 8,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 16); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddAdd",
};
const model::OpRegistration kRegistration(kAdd);

}  // namespace

}  // namespace harness::runtime::ops
