// SOFTMAX: float32 -> float32, int8 -> int8, int8 -> int16 and int16 -> int16 (16x8 mode) over
// the last dimension. The integer output quantization is fixed by the TFLite spec (int8 1/256,
// -128; int8 -> int16 1/65536, -32768; int16 -> int16 1/32768, 0) and checked here, since the
// integer algorithms produce exactly that encoding whatever the tensor claims.
#include <cmath>
#include <type_traits>
#include <utility>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/reference/softmax.h"
#include "kernels/reference/softmax_int16.h"

namespace harness::runtime::ops {
namespace {

class SoftmaxFloatKernel final : public OpKernel {
 public:
  SoftmaxFloatKernel(int32_t input, int32_t output, kernels::Shape shape, float beta)
      : input_(input), output_(output), shape_(shape), beta_(beta) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    kernels::reference::SoftmaxFloat(beta_, shape_, tensors.in<float>(input_),
                                     tensors.out<float>(output_));
  }

 private:
  int32_t input_, output_;
  kernels::Shape shape_;
  float beta_;
};

template <class Output>
class SoftmaxInt8Kernel final : public OpKernel {
 public:
  SoftmaxInt8Kernel(int32_t input, int32_t output, kernels::Shape shape,
                    kernels::reference::SoftmaxInt8Params params)
      : input_(input), output_(output), shape_(shape), params_(params) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    if constexpr (std::is_same_v<Output, int8_t>) {
      kernels::reference::SoftmaxInt8(params_, shape_, tensors.in<int8_t>(input_),
                                      tensors.out<int8_t>(output_));
    } else {
      kernels::reference::SoftmaxInt8ToInt16(params_, shape_, tensors.in<int8_t>(input_),
                                             tensors.out<int16_t>(output_));
    }
  }

 private:
  int32_t input_, output_;
  kernels::Shape shape_;
  kernels::reference::SoftmaxInt8Params params_;
};

class SoftmaxInt16Kernel final : public OpKernel {
 public:
  SoftmaxInt16Kernel(int32_t input, int32_t output, kernels::Shape shape,
                     kernels::reference::SoftmaxInt16Params params)
      : input_(input), output_(output), shape_(shape), params_(std::move(params)) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    kernels::reference::SoftmaxInt16(params_, shape_, tensors.in<int16_t>(input_),
                                     tensors.out<int16_t>(output_));
  }

 private:
  int32_t input_, output_;
  kernels::Shape shape_;
  kernels::reference::SoftmaxInt16Params params_;  // holds the exp and reciprocal tables
};

// TFLite's check: the scale within 0.1 % of the fixed one, the zero point exact.
void ExpectOutputQuantization(const OpContext& ctx, const model::Tensor& output,
                              int32_t inverse_scale, int32_t zero_point) {
  const auto [scale, actual_zero_point] = ctx.PerTensorQuantization(output, "output");
  const float expected_scale = 1.0f / static_cast<float>(inverse_scale);
  if (std::abs(scale - expected_scale) > 0.001f * expected_scale ||
      actual_zero_point != zero_point) {
    throw ctx.Fail("output tensor '" + output.name + "' has scale " + std::to_string(scale) +
                   " and zero point " + std::to_string(actual_zero_point) +
                   ", expected scale 1/" + std::to_string(inverse_scale) + " and zero point " +
                   std::to_string(zero_point) + " (fixed by the TFLite quantization spec)");
  }
}

}  // namespace

std::unique_ptr<OpKernel> MakeSoftmax(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 1, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (input.shape.empty()) throw ctx.Fail("input tensor '" + input.name + "' must have rank >= 1");
  if (input.shape != output.shape) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected the input's " +
                   model::ShapeToString(input.shape));
  }
  const float beta = ctx.options<model::SoftmaxOptions>().beta;
  const kernels::Shape shape = ShapeOf(input);
  const int32_t in = ctx.input_index(0), out = ctx.output_index(0);

  if (input.type == model::DataType::kFloat32) {
    ctx.ExpectType(output, model::DataType::kFloat32, "output");
    return std::make_unique<SoftmaxFloatKernel>(in, out, shape, beta);
  }
  if (input.type == model::DataType::kInt16) {
    // TFLite-Micro checks only the output here; the input's zero point cancels in x - max.
    ctx.ExpectType(output, model::DataType::kInt16, "output");
    ExpectOutputQuantization(ctx, output, 32768, 0);
    if (input.shape.back() > 65536) {
      throw ctx.Fail("input tensor '" + input.name + "' has " + std::to_string(input.shape.back()) +
                     " classes; the int16 softmax sums a row's exps in int32 and allows 65536");
    }
    const float input_scale = ctx.PerTensorQuantization(input, "input").first;
    // The rescale PrepareSoftmaxInt16 quantizes: beta * input scale / (10 / 65535).
    ExpectRepresentableMultiplier(
        ctx, static_cast<double>(input_scale) * static_cast<double>(beta) / (10.0 / 65535.0),
        "beta * input scale / (10 / 65535)");
    return std::make_unique<SoftmaxInt16Kernel>(
        in, out, shape, kernels::reference::PrepareSoftmaxInt16(beta, input_scale));
  }
  if (input.type != model::DataType::kInt8) {
    throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                   ", expected FLOAT32, INT8 or INT16");
  }
  const float input_scale = ctx.PerTensorQuantization(input, "input").first;
  const auto params = kernels::reference::PrepareSoftmaxInt8(static_cast<double>(beta),
                                                             static_cast<double>(input_scale));
  if (!params) {
    throw ctx.Fail("beta * input scale of input tensor '" + input.name +
                   "' is too small for the integer softmax (needs beta * scale > 2^-26)");
  }
  if (output.type == model::DataType::kInt16) {
    ExpectOutputQuantization(ctx, output, 65536, -32768);
    return std::make_unique<SoftmaxInt8Kernel<int16_t>>(in, out, shape, *params);
  }
  ctx.ExpectType(output, model::DataType::kInt8, "output");
  ExpectOutputQuantization(ctx, output, 256, -128);
  return std::make_unique<SoftmaxInt8Kernel<int8_t>>(in, out, shape, *params);
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadSoftmaxOptions(const fb::Operator& op, const std::string& place) {
  model::SoftmaxOptions options;
  if (const auto* o =
          model::OptionsAs<fb::SoftmaxOptions>(op, fb::BuiltinOptions::SoftmaxOptions, place)) {
    options.beta = o->beta();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteSoftmaxOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::SoftmaxOptions>(op, place);
  return {fb::BuiltinOptions::SoftmaxOptions, fb::CreateSoftmaxOptions(builder, o.beta).Union()};
}

// TFLite-Micro's SoftmaxPrepare (softmax_common.cc) allocates, for an int16 input, two persistent
// lookup tables of 513 int16 entries (kInt16LUTArraySize): exp_lut and one_over_one_plus_x_lut.
// int8 and float softmax allocate nothing besides SoftmaxParams.
constexpr size_t kInt16LutBytes = 513 * sizeof(int16_t);

std::vector<size_t> SoftmaxPersistentArrays(const model::Graph& graph, const model::Op& op) {
  if (InputType(graph, op, 0) != model::DataType::kInt16) return {};
  return {kInt16LutBytes, kInt16LutBytes};
}

const model::OpDescriptor kSoftmax{
    .type = model::OpType::kSoftmax,
    .name = "SOFTMAX",
    .read_options = &ReadSoftmaxOptions,
    .write_options = &WriteSoftmaxOptions,
    .make_kernel = &MakeSoftmax,
    .version = &VersionByActivationType,
    .quant = {.weights = std::nullopt,
              .output = model::OutputParams::kFixed,
              .fixed_int8 = model::FixedParams{1.0f / 256.0f, -128},
              .fixed_int16 = model::FixedParams{1.0f / 32768.0f, 0},
              .inputs_share_output_params = false,
              .int16x8 = true,
              .moves_data = false},
    .arena = {.builtin_data_bytes =
                  4,  // beta
                      // SoftmaxParams: beta (double), fixed-point fields, LUT pointers
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 4, 12); },
              .persistent_arrays = &SoftmaxPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddSoftmax",
};
const model::OpRegistration kRegistration(kSoftmax);

}  // namespace

}  // namespace harness::runtime::ops
