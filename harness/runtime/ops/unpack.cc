// UNPACK: the input split along an axis into `num` tensors without it; the int kernels copy
// bytes, so every output carries the input's quantization. The op's descriptor registers it in
// the op table.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/pack.h"
#include "kernels/reference/pack.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

class UnpackKernel final : public OpKernel {
 public:
  UnpackKernel(const ref::PackGeometry& g, int32_t input, std::vector<int32_t> outputs)
      : geometry_(g), input_(input), outputs_(std::move(outputs)) {}
  size_t ScratchBytes() const override { return outputs_.size() * sizeof(std::byte*); }
  void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const override {
    auto* pointers = reinterpret_cast<std::byte**>(scratch.data());
    for (size_t i = 0; i < outputs_.size(); ++i) pointers[i] = tensors.out<std::byte>(outputs_[i]);
    ref::Unpack(geometry_, tensors.in<std::byte>(input_), {pointers, outputs_.size()});
  }

 private:
  ref::PackGeometry geometry_;
  int32_t input_;
  std::vector<int32_t> outputs_;
};

std::unique_ptr<OpKernel> MakeUnpack(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const auto& options = ctx.options<UnpackOptions>();
  ctx.ExpectCounts(1, 1, ctx.num_outputs());
  const model::Tensor& input = ctx.input(0);
  const auto rank = static_cast<int32_t>(input.shape.size());
  const int32_t axis = options.axis < 0 ? options.axis + rank : options.axis;
  if (axis < 0 || axis >= rank) {
    throw ctx.Fail("axis " + std::to_string(options.axis) + " is outside the input's " +
                   std::to_string(rank) + " dimensions");
  }
  const int32_t num = input.shape[static_cast<size_t>(axis)];
  if (options.num != num || ctx.num_outputs() != static_cast<size_t>(num)) {
    throw ctx.Fail("num " + std::to_string(options.num) + " and " +
                   std::to_string(ctx.num_outputs()) + " outputs, but dimension " +
                   std::to_string(axis) + " of input tensor '" + input.name + "' has " +
                   std::to_string(num) + " elements");
  }
  switch (input.type) {  // TFLite-Micro's UNPACK types
    case model::DataType::kFloat32:
    case model::DataType::kInt8:
    case model::DataType::kInt16:
    case model::DataType::kInt32:
      break;
    default:
      throw UnsupportedTypes(ctx);
  }
  std::vector<int32_t> expected = input.shape;
  expected.erase(expected.begin() + axis);
  std::vector<int32_t> outputs;
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    const model::Tensor& t = ctx.output(i);
    if (t.type != input.type) throw UnsupportedTypes(ctx);
    if (t.shape != expected) {
      throw ctx.Fail("output tensor '" + t.name + "' has shape " + model::ShapeToString(t.shape) +
                     ", expected " + model::ShapeToString(expected));
    }
    outputs.push_back(ctx.output_index(i));
  }
  ref::PackGeometry g;
  for (int32_t d = 0; d < axis; ++d) g.outer_size *= input.shape[static_cast<size_t>(d)];
  for (int32_t d = axis + 1; d < rank; ++d) g.copy_size *= input.shape[static_cast<size_t>(d)];
  g.element_size = model::ElementSize(input.type);
  return std::make_unique<UnpackKernel>(g, ctx.input_index(0), std::move(outputs));
}

model::OpOptions ReadUnpackOptions(const fb::Operator& op, const std::string& place) {
  UnpackOptions options;
  if (const auto* o =
          model::OptionsAs<fb::UnpackOptions>(op, fb::BuiltinOptions::UnpackOptions, place)) {
    options.num = o->num();
    options.axis = o->axis();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteUnpackOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<UnpackOptions>(op, place);
  return {fb::BuiltinOptions::UnpackOptions,
          fb::CreateUnpackOptions(builder, o.num, o.axis).Union()};
}

// TFLite's op_version.cc: 4 for int16, 2 for int8, else 1.
int32_t UnpackVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType type = InputType(graph, op, 0);
  if (type == model::DataType::kInt16) return 4;
  return type == model::DataType::kInt8 ? 2 : 1;
}

const model::OpDescriptor kDescriptor{
    .type = kUnpack,
    .name = "UNPACK",
    .read_options = &ReadUnpackOptions,
    .write_options = &WriteUnpackOptions,
    .make_kernel = &MakeUnpack,
    .version = &UnpackVersion,
    .quant = SharedOutputRule(/*moves_data=*/true),
    // TfLiteUnpackParams {num, axis}; no OpData.
    .arena = {.builtin_data_bytes = 8,
              .op_data_bytes = &model::NoOpData,
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddUnpack",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
