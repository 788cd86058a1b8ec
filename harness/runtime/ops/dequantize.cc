// DEQUANTIZE: int8 / uint8 / int16 -> float32 (scale * (q - zero_point), per tensor), and
// float16 -> float32, which is how the TFLite converter stores fp16 weights: a constant
// FLOAT16 tensor feeding a DEQUANTIZE op.
#include "harness/model/op_registry.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/reference/quantize.h"

namespace harness::runtime::ops {
namespace {

template <class In>
class DequantizeKernel final : public OpKernel {
 public:
  DequantizeKernel(int32_t input, int32_t output, int64_t size, float scale, int32_t zero_point)
      : input_(input), output_(output), size_(size), scale_(scale), zero_point_(zero_point) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    kernels::reference::Dequantize(scale_, zero_point_, size_, tensors.in<In>(input_),
                                   tensors.out<float>(output_));
  }

 private:
  int32_t input_, output_;
  int64_t size_;
  float scale_;
  int32_t zero_point_;
};

class DequantizeFloat16Kernel final : public OpKernel {
 public:
  DequantizeFloat16Kernel(int32_t input, int32_t output, int64_t size)
      : input_(input), output_(output), size_(size) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    kernels::reference::DequantizeFloat16(size_, tensors.in<uint16_t>(input_),
                                          tensors.out<float>(output_));
  }

 private:
  int32_t input_, output_;
  int64_t size_;
};

}  // namespace

std::unique_ptr<OpKernel> MakeDequantize(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 1, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  ctx.ExpectType(output, model::DataType::kFloat32, "output");
  if (model::ElementCount(input.shape) != model::ElementCount(output.shape)) {
    throw ctx.Fail("input tensor '" + input.name + "' " + model::ShapeToString(input.shape) +
                   " and output tensor '" + output.name + "' " +
                   model::ShapeToString(output.shape) + " have different element counts");
  }
  const int64_t size = model::ElementCount(output.shape);
  const int32_t in = ctx.input_index(0), out = ctx.output_index(0);
  if (input.type == model::DataType::kFloat16) {
    return std::make_unique<DequantizeFloat16Kernel>(in, out, size);
  }
  if (input.quantization.per_axis()) {
    throw ctx.Fail("input tensor '" + input.name +
                   "' is quantized per axis; only per-tensor quantization is supported");
  }
  const auto [scale, zero_point] = ctx.PerTensorQuantization(input, "input");
  switch (input.type) {
    case model::DataType::kInt8:
      return std::make_unique<DequantizeKernel<int8_t>>(in, out, size, scale, zero_point);
    case model::DataType::kUInt8:
      return std::make_unique<DequantizeKernel<uint8_t>>(in, out, size, scale, zero_point);
    case model::DataType::kInt16:
      return std::make_unique<DequantizeKernel<int16_t>>(in, out, size, scale, zero_point);
    default:
      throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                     ", expected FLOAT16, INT8, UINT8 or INT16");
  }
}

namespace {

int32_t DequantizeVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType in = InputType(graph, op, 0);
  if (in == model::DataType::kInt16 || in == model::DataType::kFloat16) return 3;
  if (in == model::DataType::kInt8) {
    return graph.tensor(op.inputs[0]).quantization.scales.size() > 1 ? 5 : 2;
  }
  return 1;
}

const model::OpDescriptor kDequantize{
    .type = model::OpType::kDequantize,
    .name = "DEQUANTIZE",
    .read_options = &model::ReadEmptyOptions<::tflite::BuiltinOptions::DequantizeOptions>,
    .write_options = &model::WriteEmptyOptions<::tflite::BuiltinOptions::DequantizeOptions>,
    .make_kernel = &MakeDequantize,
    .version = &DequantizeVersion,
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
    .micro_resolver_call = "AddDequantize",
};
const model::OpRegistration kRegistration(kDequantize);

}  // namespace

}  // namespace harness::runtime::ops
