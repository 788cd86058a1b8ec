// MUL: float with a fused clamp, int8 / int16 requantizing the product by s1 * s2 / s_out; the
// multiplier and the activation range are computed once here.
#include "kernels/reference/mul.h"

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "kernels/reference/mul.h"

namespace harness::runtime::ops {

namespace ref = kernels::reference;

std::unique_ptr<OpKernel> MakeMul(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const BinaryTensors tensors = PrepareBinary(ctx);
  const model::Activation activation = ctx.options<model::MulOptions>().activation;
  ExpectClampableActivation(ctx, activation);

  switch (tensors.type) {
    case model::DataType::kFloat32: {
      const FloatActivationRange range = FloatRange(activation);
      BinaryKernel<float, ref::MulFloatParams>::Function mul = &ref::Mul;
      return std::make_unique<BinaryKernel<float, ref::MulFloatParams>>(
          mul, ref::MulFloatParams{range.min, range.max}, tensors);
    }
    case model::DataType::kInt8:
    case model::DataType::kInt16: {
      const auto [scale1, zero1] = ctx.PerTensorQuantization(ctx.input(0), "input1");
      const auto [scale2, zero2] = ctx.PerTensorQuantization(ctx.input(1), "input2");
      const auto [output_scale, output_zero] = ctx.PerTensorQuantization(ctx.output(0), "output");
      ExpectRepresentableMultiplier(ctx,
                                    static_cast<double>(scale1) * static_cast<double>(scale2) /
                                        static_cast<double>(output_scale),
                                    "input1 scale * input2 scale / output scale");
      const IntActivationRange range =
          QuantizedRange(activation, tensors.type, output_scale, output_zero);
      const ref::MulQuantizedParams params = ref::MakeMulQuantizedParams(
          scale1, zero1, scale2, zero2, output_scale, output_zero, range.min, range.max);
      if (tensors.type == model::DataType::kInt16) {
        // TFLite's int16 MUL is symmetric; an offset would also risk overflowing the product.
        if (zero1 != 0 || zero2 != 0 || output_zero != 0) {
          throw ctx.Fail("int16 MUL needs zero points of 0");
        }
        BinaryKernel<int16_t, ref::MulQuantizedParams>::Function mul = &ref::Mul;
        return std::make_unique<BinaryKernel<int16_t, ref::MulQuantizedParams>>(mul, params,
                                                                                tensors);
      }
      BinaryKernel<int8_t, ref::MulQuantizedParams>::Function mul = &ref::Mul;
      return std::make_unique<BinaryKernel<int8_t, ref::MulQuantizedParams>>(mul, params, tensors);
    }
    default:
      throw UnsupportedTypes(ctx);
  }
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadMulOptions(const fb::Operator& op, const std::string& place) {
  model::MulOptions options;
  if (const auto* o = model::OptionsAs<fb::MulOptions>(op, fb::BuiltinOptions::MulOptions, place)) {
    options.activation = model::ReadActivation(o->fused_activation_function(), place);
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteMulOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::MulOptions>(op, place);
  return {fb::BuiltinOptions::MulOptions,
          fb::CreateMulOptions(builder, model::WriteActivation(o.activation)).Union()};
}

// MUL v3 (rescale >= 1) depends on scales; a quantized int16 MUL is version 4 (7 is the
// unquantized int16 integer MUL).
int32_t MulVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType in = InputType(graph, op, 0);
  if (in == model::DataType::kInt16) {
    return graph.tensor(op.inputs[0]).quantization.empty() ? 7 : 4;
  }
  if (in == model::DataType::kInt8) {
    const auto& q1 = graph.tensor(op.inputs[0]).quantization;
    const auto& q2 = graph.tensor(op.inputs[1]).quantization;
    const auto& qo = graph.tensor(op.outputs[0]).quantization;
    if (!q1.empty() && !q2.empty() && !qo.empty() && qo.scales[0] != 0.0f &&
        q1.scales[0] * q2.scales[0] / qo.scales[0] >= 1.0f) {
      return 3;
    }
    return 2;
  }
  return 1;
}

const model::OpDescriptor kMul{
    .type = model::OpType::kMul,
    .name = "MUL",
    .read_options = &ReadMulOptions,
    .write_options = &WriteMulOptions,
    .make_kernel = &MakeMul,
    .version = &MulVersion,
    .quant = OwnOutputRule(/*int16x8=*/true),
    .arena = {.builtin_data_bytes = 8,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 16); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &OutputElements,  // one multiply per output element
    .micro_resolver_call = "AddMul",
};
const model::OpRegistration kRegistration(kMul);

}  // namespace

}  // namespace harness::runtime::ops
