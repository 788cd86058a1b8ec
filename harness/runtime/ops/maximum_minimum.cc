// MAXIMUM and MINIMUM: float32, int8, int16, int32 and int64 (TFLite-Micro's types), with
// broadcasting. TFLite-Micro compares raw values without looking at quantization parameters,
// and so does this; TFLite's quantizer gives inputs and output the same parameters.
#include "harness/runtime/ops/maximum_minimum.h"

#include <memory>
#include <string>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "kernels/reference/maximum_minimum.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

struct NoParams {};

template <class T, bool kMax>
void Apply(const NoParams&, const kernels::Shape& s1, const T* a, const kernels::Shape& s2,
           const T* b, T* out) {
  if constexpr (kMax) {
    ref::Maximum(s1, a, s2, b, out);
  } else {
    ref::Minimum(s1, a, s2, b, out);
  }
}

template <class T, bool kMax>
std::unique_ptr<OpKernel> Make(const BinaryTensors& tensors) {
  return std::make_unique<BinaryKernel<T, NoParams>>(&Apply<T, kMax>, NoParams{}, tensors);
}

template <bool kMax>
std::unique_ptr<OpKernel> MakeMaximumMinimum(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const BinaryTensors tensors = PrepareBinary(ctx);
  switch (tensors.type) {
    case model::DataType::kFloat32:
      return Make<float, kMax>(tensors);
    case model::DataType::kInt8:
      return Make<int8_t, kMax>(tensors);
    case model::DataType::kInt16:
      return Make<int16_t, kMax>(tensors);
    case model::DataType::kInt32:
      return Make<int32_t, kMax>(tensors);
    case model::DataType::kInt64:
      return Make<int64_t, kMax>(tensors);
    default:
      throw ctx.Fail("input tensor '" + ctx.input(0).name + "' has type " +
                     model::ToString(tensors.type) +
                     ", expected FLOAT32, INT8, INT16, INT32 or INT64");
  }
}

// TFLite's op_version.cc: 4 for int16, 3 when the inputs broadcast at rank above 4, 2 for int8.
int32_t MaximumMinimumVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType type = InputType(graph, op, 0);
  if (type == model::DataType::kInt16 && OutputType(graph, op) == model::DataType::kInt16) {
    return 4;
  }
  if (op.inputs.size() == 2) {
    const auto& a = graph.tensor(op.inputs[0]).shape;
    const auto& b = graph.tensor(op.inputs[1]).shape;
    if (a != b && std::max(a.size(), b.size()) > 4) return 3;
  }
  return type == model::DataType::kInt8 ? 2 : 1;
}

// TFLite's quantizer: arbitrary inputs, restrict_same_input_output_scale; int16 kernel too.
constexpr model::QuantRule kSharedParams{.weights = std::nullopt,
                                         .output = model::OutputParams::kOwn,
                                         .fixed_int8 = std::nullopt,
                                         .fixed_int16 = std::nullopt,
                                         .inputs_share_output_params = true,
                                         .int16x8 = true,
                                         .moves_data = false};

const model::OpDescriptor kMaximumDescriptor{
    .type = kMaximum,
    .name = "MAXIMUM",
    .read_options = &model::ReadEmptyOptions<fb::BuiltinOptions::MaximumMinimumOptions>,
    .write_options = &model::WriteEmptyOptions<fb::BuiltinOptions::MaximumMinimumOptions>,
    .make_kernel = &MakeMaximumMinimum<true>,
    .version = &MaximumMinimumVersion,
    .quant = kSharedParams,
    .arena = NoArenaNeeds(),  // no builtin data, no Init, no Prepare
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddMaximum",
};
const model::OpRegistration kMaximumRegistration(kMaximumDescriptor);

const model::OpDescriptor kMinimumDescriptor{
    .type = kMinimum,
    .name = "MINIMUM",
    .read_options = &model::ReadEmptyOptions<fb::BuiltinOptions::MaximumMinimumOptions>,
    .write_options = &model::WriteEmptyOptions<fb::BuiltinOptions::MaximumMinimumOptions>,
    .make_kernel = &MakeMaximumMinimum<false>,
    .version = &MaximumMinimumVersion,
    .quant = kSharedParams,
    .arena = NoArenaNeeds(),
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddMinimum",
};
const model::OpRegistration kMinimumRegistration(kMinimumDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
