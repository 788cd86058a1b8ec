// LEAKY_RELU: float32, int8 and int16 (16x8), elementwise; the int multipliers are computed here
// once. The op's descriptor registers it in the op table.
#include "harness/runtime/ops/leaky_relu.h"

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/op_kernel.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/reference/leaky_relu.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

template <class T>
class LeakyReluKernel final : public OpKernel {
 public:
  LeakyReluKernel(const OpContext& ctx, float alpha) : alpha_(alpha) {
    input_ = ctx.input_index(0);
    output_ = ctx.output_index(0);
    size_ = model::ElementCount(ctx.output(0).shape);
    if constexpr (!std::is_same_v<T, float>) {
      const auto [in_scale, in_zero_point] = ctx.PerTensorQuantization(ctx.input(0), "input");
      const auto [out_scale, out_zero_point] = ctx.PerTensorQuantization(ctx.output(0), "output");
      // The same float expressions as PrepareLeakyRelu: hostile scales or alpha must not reach
      // the kernel as a shift of 32 bits or more.
      ExpectRepresentableMultiplier(ctx, static_cast<double>(in_scale * alpha / out_scale),
                                    "alpha * input scale / output scale");
      ExpectRepresentableMultiplier(ctx, static_cast<double>(in_scale / out_scale),
                                    "input scale / output scale");
      params_ = ref::PrepareLeakyRelu(in_scale, in_zero_point, out_scale, out_zero_point, alpha);
    }
  }

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    if constexpr (std::is_same_v<T, float>) {
      ref::LeakyReluFloat(alpha_, size_, tensors.in<float>(input_), tensors.out<float>(output_));
    } else {
      ref::LeakyReluQuantized(params_, size_, tensors.in<T>(input_), tensors.out<T>(output_));
    }
  }

 private:
  float alpha_;
  int32_t input_ = 0, output_ = 0;
  int64_t size_ = 0;
  ref::LeakyReluParams params_;
};

std::unique_ptr<OpKernel> MakeLeakyRelu(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 1, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (input.shape != output.shape) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected the input's " +
                   model::ShapeToString(input.shape));
  }
  ctx.ExpectType(output, input.type, "output");
  const float alpha = ctx.options<LeakyReluOptions>().alpha;
  switch (input.type) {
    case model::DataType::kFloat32:
      return std::make_unique<LeakyReluKernel<float>>(ctx, alpha);
    case model::DataType::kInt8:
      return std::make_unique<LeakyReluKernel<int8_t>>(ctx, alpha);
    case model::DataType::kInt16:
      return std::make_unique<LeakyReluKernel<int16_t>>(ctx, alpha);
    default:
      throw ctx.Fail("input tensor '" + input.name + "' has type " + model::ToString(input.type) +
                     ", expected FLOAT32, INT8 or INT16");
  }
}

model::OpOptions ReadLeakyReluOptions(const fb::Operator& op, const std::string& place) {
  LeakyReluOptions options;
  if (const auto* o =
          model::OptionsAs<fb::LeakyReluOptions>(op, fb::BuiltinOptions::LeakyReluOptions, place)) {
    options.alpha = o->alpha();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteLeakyReluOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<LeakyReluOptions>(op, place);
  return {fb::BuiltinOptions::LeakyReluOptions,
          fb::CreateLeakyReluOptions(builder, o.alpha).Union()};
}

// TFLite's op_version.cc: version 2 for int16, else 1.
int32_t LeakyReluVersion(const model::Graph& graph, const model::Op& op) {
  return InputType(graph, op, 0) == model::DataType::kInt16 ? 2 : 1;
}

const model::OpDescriptor kDescriptor{
    .type = kLeakyRelu,
    .name = "LEAKY_RELU",
    .read_options = &ReadLeakyReluOptions,
    .write_options = &WriteLeakyReluOptions,
    .make_kernel = &MakeLeakyRelu,
    .version = &LeakyReluVersion,
    .quant = OwnOutputRule(/*int16x8=*/true),
    // TfLiteLeakyReluParams {alpha}; LeakyReluOpData: two multipliers, two shifts, two zero
    // points.
    .arena = {.builtin_data_bytes = 4,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 6); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddLeakyRelu",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
