// SHAPE: the input's dimensions as an INT32 vector, the only output type TFLite-Micro writes;
// the input may have any type. The result is known when the model is compiled, so Eval only
// copies it. The op's descriptor registers it in the op table.
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/op_kernel.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_util.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;

constexpr model::OpType kShape = static_cast<model::OpType>(77);

class ShapeKernel final : public OpKernel {
 public:
  ShapeKernel(std::vector<int32_t> dims, int32_t output)
      : dims_(std::move(dims)), output_(output) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    if (dims_.empty()) return;
    std::memcpy(tensors.out<int32_t>(output_), dims_.data(), dims_.size() * sizeof(int32_t));
  }

 private:
  std::vector<int32_t> dims_;
  int32_t output_;
};

std::unique_ptr<OpKernel> MakeShape(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 1, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (output.type != model::DataType::kInt32) {
    throw ctx.Fail("output tensor '" + output.name + "' has type " + model::ToString(output.type) +
                   "; TFLite-Micro's SHAPE writes INT32 only");
  }
  const std::vector<int32_t> expected = {static_cast<int32_t>(input.shape.size())};
  if (output.shape != expected) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected) + " (the rank of input '" + input.name + "')");
  }
  return std::make_unique<ShapeKernel>(input.shape, ctx.output_index(0));
}

// ShapeOptions.out_type is read (to refuse INT64, which TFLite-Micro does not write) and written
// as INT32, the only value harness runs.
model::OpOptions ReadShapeOptions(const fb::Operator& op, const std::string& place) {
  if (const auto* o =
          model::OptionsAs<fb::ShapeOptions>(op, fb::BuiltinOptions::ShapeOptions, place)) {
    if (o->out_type() != fb::TensorType::INT32) {
      throw Error(place, std::string("SHAPE out_type ") + fb::EnumNameTensorType(o->out_type()) +
                             " is not INT32, the only type TFLite-Micro's SHAPE writes");
    }
  }
  return {};
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteShapeOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& /*op*/,
    const std::string& /*place*/) {
  return {fb::BuiltinOptions::ShapeOptions,
          fb::CreateShapeOptions(builder, fb::TensorType::INT32).Union()};
}

const model::OpDescriptor kDescriptor{
    .type = kShape,
    .name = "SHAPE",
    .read_options = &ReadShapeOptions,
    .write_options = &WriteShapeOptions,
    .make_kernel = &MakeShape,
    .version = &VersionOne,  // TFLite's op_version.cc: 1 (2 only for an INT64 out_type)
    .quant = {.weights = std::nullopt,
              .output = model::OutputParams::kIndex,
              .fixed_int8 = std::nullopt,
              .fixed_int16 = std::nullopt,
              .inputs_share_output_params = false,
              .int16x8 = true,
              .moves_data = true},
    .arena = NoArenaNeeds(),  // no builtin data, no OpData
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddShape",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
