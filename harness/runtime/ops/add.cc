// ADD: float with a fused clamp, int8 / int16 with TFLite's input rescaling; the multipliers
// and the activation range are computed once here.
#include "kernels/reference/add.h"

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "kernels/reference/add.h"

namespace harness::runtime::ops {

namespace ref = kernels::reference;

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
      const ref::AddQuantizedParams params =
          ref::MakeAddQuantizedParams(scale1, zero1, scale2, zero2, output_scale, output_zero,
                                      is_int16, range.min, range.max);
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
