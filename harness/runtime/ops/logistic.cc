// LOGISTIC: float32 and int8. The int8 output quantization is fixed by the TFLite spec
// (1/256, -128) and checked; the input scaling is precomputed here once.
#include <cmath>

#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/reference/logistic.h"

namespace harness::runtime::ops {
namespace {

class LogisticFloatKernel final : public OpKernel {
 public:
  LogisticFloatKernel(int32_t input, int32_t output, int64_t size)
      : input_(input), output_(output), size_(size) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    kernels::reference::LogisticFloat(size_, tensors.in<float>(input_), tensors.out<float>(output_));
  }

 private:
  int32_t input_, output_;
  int64_t size_;
};

class LogisticInt8Kernel final : public OpKernel {
 public:
  LogisticInt8Kernel(int32_t input, int32_t output, int64_t size,
                     kernels::reference::Int8ToF4Params params)
      : input_(input), output_(output), size_(size), params_(params) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    kernels::reference::LogisticInt8(params_, size_, tensors.in<int8_t>(input_),
                                     tensors.out<int8_t>(output_));
  }

 private:
  int32_t input_, output_;
  int64_t size_;
  kernels::reference::Int8ToF4Params params_;
};

}  // namespace

std::unique_ptr<OpKernel> MakeLogistic(const model::Graph& graph, int op_index) {
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
    return std::make_unique<LogisticFloatKernel>(ctx.input_index(0), ctx.output_index(0), size);
  }
  if (input.type != model::DataType::kInt8) {
    throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                   ", expected FLOAT32 or INT8");
  }
  ctx.ExpectType(output, model::DataType::kInt8, "output");
  const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(input, "input");
  const auto [output_scale, output_zero_point] = ctx.PerTensorQuantization(output, "output");
  constexpr float kScale = 1.0f / 256.0f;
  if (std::abs(output_scale - kScale) > 0.001f * kScale || output_zero_point != -128) {
    throw ctx.Fail("output tensor '" + output.name + "' has scale " + std::to_string(output_scale) +
                   " and zero point " + std::to_string(output_zero_point) +
                   ", expected scale 1/256 and zero point -128 (fixed by the TFLite quantization "
                   "spec)");
  }
  return std::make_unique<LogisticInt8Kernel>(
      ctx.input_index(0), ctx.output_index(0), size,
      kernels::reference::PrepareInt8ToF4(input_scale, input_zero_point));
}

}  // namespace harness::runtime::ops
