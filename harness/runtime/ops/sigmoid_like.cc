// LOGISTIC and TANH: float32, int8 and int16. Int8 squashes its input through a fixed-point
// function on F4 inputs (gemmlowp's logistic / tanh), int16 through TFLite's interpolated sigmoid
// table, so the two ops share their glue: the integer output quantization is fixed by the TFLite
// spec (int8 LOGISTIC 1/256, -128; int8 TANH 1/128, 0; int16 both 2^-15, 0) and checked, and
// the input scaling is precomputed once.
#include <cmath>
#include <string>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/reference/logistic.h"
#include "kernels/reference/sigmoid_like_int16.h"
#include "kernels/reference/tanh.h"

namespace harness::runtime::ops {
namespace {

using FloatFunction = void (*)(int64_t size, const float* input, float* output);
using Int8Function = void (*)(const kernels::reference::Int8ToF4Params& params, int64_t size,
                              const int8_t* input, int8_t* output);
using Int16Function = void (*)(const kernels::reference::SigmoidLikeInt16Params& params,
                               int64_t size, const int16_t* input, int16_t* output);

struct SigmoidLikeOp {
  FloatFunction float_function;
  Int8Function int8_function;
  int32_t inverse_output_scale;  // the spec's int8 output scale is 1 / this
  int32_t output_zero_point;
  Int16Function int16_function;
  kernels::reference::SigmoidLikeFunction int16_prepare;
};

class FloatKernel final : public OpKernel {
 public:
  FloatKernel(FloatFunction function, int32_t input, int32_t output, int64_t size)
      : function_(function), input_(input), output_(output), size_(size) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    function_(size_, tensors.in<float>(input_), tensors.out<float>(output_));
  }

 private:
  FloatFunction function_;
  int32_t input_, output_;
  int64_t size_;
};

class Int8Kernel final : public OpKernel {
 public:
  Int8Kernel(Int8Function function, int32_t input, int32_t output, int64_t size,
             kernels::reference::Int8ToF4Params params)
      : function_(function), input_(input), output_(output), size_(size), params_(params) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    function_(params_, size_, tensors.in<int8_t>(input_), tensors.out<int8_t>(output_));
  }

 private:
  Int8Function function_;
  int32_t input_, output_;
  int64_t size_;
  kernels::reference::Int8ToF4Params params_;
};

class Int16Kernel final : public OpKernel {
 public:
  Int16Kernel(Int16Function function, int32_t input, int32_t output, int64_t size,
              kernels::reference::SigmoidLikeInt16Params params)
      : function_(function), input_(input), output_(output), size_(size), params_(params) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    function_(params_, size_, tensors.in<int16_t>(input_), tensors.out<int16_t>(output_));
  }

 private:
  Int16Function function_;
  int32_t input_, output_;
  int64_t size_;
  kernels::reference::SigmoidLikeInt16Params params_;
};

// TFLite-Micro's int16 checks: symmetric input and output, output scale 2^-15 (to 1e-3 in
// log2), and an input scale small enough that the kernel's int32 rescale cannot overflow
// (TFLite-Micro only debug-checks the multiplier against 32767).
std::unique_ptr<OpKernel> MakeInt16Kernel(const OpContext& ctx, const SigmoidLikeOp& op,
                                          int64_t size) {
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  ctx.ExpectType(output, model::DataType::kInt16, "output");
  const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(input, "input");
  const auto [output_scale, output_zero_point] = ctx.PerTensorQuantization(output, "output");
  if (input_zero_point != 0) {
    throw ctx.Fail("input tensor '" + input.name + "' has zero point " +
                   std::to_string(input_zero_point) + ", expected 0 for int16");
  }
  int output_scale_log2 = 0;
  if (output_zero_point != 0 ||
      !kernels::reference::CheckedLog2(output_scale, &output_scale_log2) ||
      output_scale_log2 != -15) {
    throw ctx.Fail("output tensor '" + output.name + "' has scale " + std::to_string(output_scale) +
                   " and zero point " + std::to_string(output_zero_point) +
                   ", expected scale 2^-15 and zero point 0 "
                   "(fixed by the TFLite quantization spec)");
  }
  const auto params = kernels::reference::PrepareSigmoidLikeInt16(op.int16_prepare, input_scale);
  if (params.input_multiplier > 32767) {
    throw ctx.Fail("input tensor '" + input.name + "' has scale " + std::to_string(input_scale) +
                   ", too large for the int16 kernel (at most 32767 / 12288)");
  }
  return std::make_unique<Int16Kernel>(op.int16_function, ctx.input_index(0), ctx.output_index(0),
                                       size, params);
}

std::unique_ptr<OpKernel> MakeSigmoidLike(const model::Graph& graph, int op_index,
                                          const SigmoidLikeOp& op) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 1, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (input.shape != output.shape) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected the input's " +
                   model::ShapeToString(input.shape));
  }
  const int64_t size = model::ElementCount(input.shape);
  if (input.type == model::DataType::kFloat32) {
    ctx.ExpectType(output, model::DataType::kFloat32, "output");
    return std::make_unique<FloatKernel>(op.float_function, ctx.input_index(0),
                                         ctx.output_index(0), size);
  }
  if (input.type == model::DataType::kInt16) return MakeInt16Kernel(ctx, op, size);
  if (input.type != model::DataType::kInt8) {
    throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                   ", expected FLOAT32, INT8 or INT16");
  }
  ctx.ExpectType(output, model::DataType::kInt8, "output");
  const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(input, "input");
  const auto [output_scale, output_zero_point] = ctx.PerTensorQuantization(output, "output");
  const float expected_scale = 1.0f / static_cast<float>(op.inverse_output_scale);
  if (std::abs(output_scale - expected_scale) > 0.001f * expected_scale ||
      output_zero_point != op.output_zero_point) {
    throw ctx.Fail("output tensor '" + output.name + "' has scale " + std::to_string(output_scale) +
                   " and zero point " + std::to_string(output_zero_point) + ", expected scale 1/" +
                   std::to_string(op.inverse_output_scale) + " and zero point " +
                   std::to_string(op.output_zero_point) +
                   " (fixed by the TFLite quantization spec)");
  }
  // PrepareInt8ToF4 turns input scale * 2^27 (the input in Q4.27) into a multiplier and a left
  // shift.
  ExpectRepresentableMultiplier(ctx, static_cast<double>(input_scale) * double{1 << 27},
                                "input scale * 2^27");
  return std::make_unique<Int8Kernel>(op.int8_function, ctx.input_index(0), ctx.output_index(0),
                                      size,
                                      kernels::reference::PrepareInt8ToF4(input_scale, input_zero_point));
}

}  // namespace

std::unique_ptr<OpKernel> MakeLogistic(const model::Graph& graph, int op_index) {
  return MakeSigmoidLike(graph, op_index,
                         {kernels::reference::LogisticFloat, kernels::reference::LogisticInt8, 256, -128,
                          kernels::reference::LogisticInt16,
                          kernels::reference::SigmoidLikeFunction::kLogistic});
}

std::unique_ptr<OpKernel> MakeTanh(const model::Graph& graph, int op_index) {
  return MakeSigmoidLike(graph, op_index,
                         {kernels::reference::TanhFloat, kernels::reference::TanhInt8, 128, 0,
                          kernels::reference::TanhInt16,
                          kernels::reference::SigmoidLikeFunction::kTanh});
}

namespace {

int32_t SigmoidLikeVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType in = InputType(graph, op, 0);
  if (in == model::DataType::kInt16 && OutputType(graph, op) == model::DataType::kInt16) return 3;
  return in == model::DataType::kInt8 ? 2 : 1;
}

// TFLite's spec fixes the outputs: int16 1/32768 for both (16x8 operator properties).
model::QuantRule FixedOutputRule(model::FixedParams int8) {
  return {.weights = std::nullopt,
          .output = model::OutputParams::kFixed,
          .fixed_int8 = int8,
          .fixed_int16 = model::FixedParams{1.0f / 32768.0f, 0},
          .inputs_share_output_params = false,
          .int16x8 = true,
          .moves_data = false};
}

model::ArenaNeeds SigmoidLikeArena() {
  return {.builtin_data_bytes = 0,
          .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 8); },
          .persistent_arrays = &model::NoPersistentArrays,
          .scratch_bytes = &model::NoScratch,
          .output_aliases_input = false};
}

const model::OpDescriptor kLogistic{
    .type = model::OpType::kLogistic,
    .name = "LOGISTIC",
    .read_options = &model::ReadNoOptions,
    .write_options = &model::WriteNoOptions,
    .make_kernel = &MakeLogistic,
    .version = &SigmoidLikeVersion,
    .quant = FixedOutputRule({1.0f / 256.0f, -128}),
    .arena = SigmoidLikeArena(),
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddLogistic",
};
const model::OpRegistration kLogisticRegistration(kLogistic);

const model::OpDescriptor kTanh{
    .type = model::OpType::kTanh,
    .name = "TANH",
    .read_options = &model::ReadNoOptions,
    .write_options = &model::WriteNoOptions,
    .make_kernel = &MakeTanh,
    .version = &SigmoidLikeVersion,
    .quant = FixedOutputRule({1.0f / 128.0f, 0}),
    .arena = SigmoidLikeArena(),
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddTanh",
};
const model::OpRegistration kTanhRegistration(kTanh);

}  // namespace

}  // namespace harness::runtime::ops
