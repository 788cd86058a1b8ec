// QUANTIZE: float32 -> int8 / uint8 / int16 (round half away from zero, as TFLite's
// AffineQuantize; vectorized where the selected kernel variant allows), and requantization
// int8/int16 -> int8/int16, uint8 -> int8 (a uint8 model input, as TFLite-Micro runs it) and
// int8 -> uint8, with a multiplier computed here once from input_scale / output_scale.
// Per-tensor quantization only, as TFLite-Micro.
#include "kernels/reference/quantize.h"

#include <type_traits>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/optimized/affine_quantize.h"
#include "kernels/reference/quantize.h"

namespace harness::runtime::ops {
namespace {

template <class Out>
class AffineQuantizeKernel final : public OpKernel {
 public:
  AffineQuantizeKernel(int32_t input, int32_t output, int64_t size, float scale,
                       int32_t zero_point)
      : input_(input), output_(output), size_(size), scale_(scale), zero_point_(zero_point),
        variant_(kernels::optimized::SelectedVariant()) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    // Bit-identical to the reference loop in every variant (the reference variant runs it).
    kernels::optimized::AffineQuantize(variant_, scale_, zero_point_, size_,
                                       tensors.in<float>(input_), tensors.out<Out>(output_));
  }

 private:
  int32_t input_, output_;
  int64_t size_;
  float scale_;
  int32_t zero_point_;
  kernels::optimized::KernelVariant variant_;
};

template <class In, class Out>
class RequantizeKernel final : public OpKernel {
 public:
  RequantizeKernel(int32_t input, int32_t output, int64_t size,
                   kernels::QuantizedMultiplier multiplier, int32_t input_zero_point,
                   int32_t output_zero_point)
      : input_(input), output_(output), size_(size), multiplier_(multiplier),
        input_zero_point_(input_zero_point), output_zero_point_(output_zero_point) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    kernels::reference::Requantize(multiplier_, input_zero_point_, output_zero_point_, size_,
                                   tensors.in<In>(input_), tensors.out<Out>(output_));
  }

 private:
  int32_t input_, output_;
  int64_t size_;
  kernels::QuantizedMultiplier multiplier_;
  int32_t input_zero_point_, output_zero_point_;
};

void ExpectPerTensor(const OpContext& ctx, const model::Tensor& t, const char* role) {
  if (t.quantization.per_axis()) {
    throw ctx.Fail(std::string(role) + " tensor '" + t.name +
                   "' is quantized per axis; only per-tensor quantization is supported");
  }
}

template <class In>
std::unique_ptr<OpKernel> MakeRequantize(const OpContext& ctx, int64_t size) {
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(input, "input");
  const auto [output_scale, output_zero_point] = ctx.PerTensorQuantization(output, "output");
  ExpectRepresentableMultiplier(
      ctx, static_cast<double>(input_scale) / static_cast<double>(output_scale),
      "input scale / output scale");
  const auto multiplier = kernels::reference::RequantizeMultiplier(input_scale, output_scale);
  const int32_t in = ctx.input_index(0), out = ctx.output_index(0);
  if (output.type == model::DataType::kInt8) {
    return std::make_unique<RequantizeKernel<In, int8_t>>(in, out, size, multiplier,
                                                          input_zero_point, output_zero_point);
  }
  // TFLite-Micro's requantizations: uint8 goes to int8 only, int8 also to uint8.
  if constexpr (std::is_same_v<In, uint8_t>) {
    throw ctx.Fail("output tensor '" + output.name + "' has type " + model::ToString(output.type) +
                   ", expected INT8 for a UINT8 input");
  } else {
    if (output.type == model::DataType::kInt16) {
      return std::make_unique<RequantizeKernel<In, int16_t>>(in, out, size, multiplier,
                                                             input_zero_point, output_zero_point);
    }
    if (std::is_same_v<In, int8_t> && output.type == model::DataType::kUInt8) {
      return std::make_unique<RequantizeKernel<int8_t, uint8_t>>(
          in, out, size, multiplier, input_zero_point, output_zero_point);
    }
    throw ctx.Fail("output tensor '" + output.name + "' has type " + model::ToString(output.type) +
                   ", expected " +
                   (std::is_same_v<In, int8_t> ? "INT8, UINT8 or INT16" : "INT8 or INT16") +
                   " for a requantization");
  }
}

}  // namespace

std::unique_ptr<OpKernel> MakeQuantize(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 1, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (model::ElementCount(input.shape) != model::ElementCount(output.shape)) {
    throw ctx.Fail("input tensor '" + input.name + "' " + model::ShapeToString(input.shape) +
                   " and output tensor '" + output.name + "' " +
                   model::ShapeToString(output.shape) + " have different element counts");
  }
  ExpectPerTensor(ctx, output, "output");
  const int64_t size = model::ElementCount(output.shape);
  const int32_t in = ctx.input_index(0), out = ctx.output_index(0);

  switch (input.type) {
    case model::DataType::kFloat32: {
      const auto [scale, zero_point] = ctx.PerTensorQuantization(output, "output");
      switch (output.type) {
        case model::DataType::kInt8:
          return std::make_unique<AffineQuantizeKernel<int8_t>>(in, out, size, scale, zero_point);
        case model::DataType::kUInt8:
          return std::make_unique<AffineQuantizeKernel<uint8_t>>(in, out, size, scale, zero_point);
        case model::DataType::kInt16:
          return std::make_unique<AffineQuantizeKernel<int16_t>>(in, out, size, scale, zero_point);
        default:
          throw ctx.Fail("output tensor '" + output.name + "' has type " +
                         model::ToString(output.type) + ", expected INT8, UINT8 or INT16");
      }
    }
    case model::DataType::kInt8:
      ExpectPerTensor(ctx, input, "input");
      return MakeRequantize<int8_t>(ctx, size);
    case model::DataType::kInt16:
      ExpectPerTensor(ctx, input, "input");
      return MakeRequantize<int16_t>(ctx, size);
    case model::DataType::kUInt8:
      ExpectPerTensor(ctx, input, "input");
      return MakeRequantize<uint8_t>(ctx, size);
    default:
      throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                     ", expected FLOAT32, INT8, UINT8 or INT16");
  }
}

namespace {

int32_t QuantizeVersion(const model::Graph& graph, const model::Op& op) {
  if (graph.tensor(op.outputs[0]).quantization.scales.size() > 1) return 3;
  return OutputType(graph, op) == model::DataType::kInt16 ? 2 : 1;
}

const model::OpDescriptor kQuantize{
    .type = model::OpType::kQuantize,
    .name = "QUANTIZE",
    .read_options = &model::ReadEmptyOptions<::tflite::BuiltinOptions::QuantizeOptions>,
    .write_options = &model::WriteEmptyOptions<::tflite::BuiltinOptions::QuantizeOptions>,
    .make_kernel = &MakeQuantize,
    .version = &QuantizeVersion,
    .quant = {.weights = std::nullopt,
              .output = model::OutputParams::kConversion,
              .fixed_int8 = std::nullopt,
              .fixed_int16 = std::nullopt,
              .inputs_share_output_params = false,
              .int16x8 = true,
              .moves_data = true},
    .arena = {.builtin_data_bytes = 0,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 8); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddQuantize",
};
const model::OpRegistration kRegistration(kQuantize);

}  // namespace

}  // namespace harness::runtime::ops
