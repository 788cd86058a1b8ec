// PACK: values_count tensors of one shape stacked along a new output axis; the int kernels copy
// bytes, so every input carries the output's quantization. The op's descriptor registers it in
// the op table.
#include "harness/runtime/ops/pack.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "kernels/reference/pack.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

class PackKernel final : public OpKernel {
 public:
  PackKernel(const ref::PackGeometry& g, std::vector<int32_t> inputs, int32_t output)
      : geometry_(g), inputs_(std::move(inputs)), output_(output) {}
  size_t ScratchBytes() const override { return inputs_.size() * sizeof(const std::byte*); }
  void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const override {
    auto* pointers = reinterpret_cast<const std::byte**>(scratch.data());
    for (size_t i = 0; i < inputs_.size(); ++i) pointers[i] = tensors.in<std::byte>(inputs_[i]);
    ref::Pack(geometry_, {pointers, inputs_.size()}, tensors.out<std::byte>(output_));
  }

 private:
  ref::PackGeometry geometry_;
  std::vector<int32_t> inputs_;
  int32_t output_;
};

// The types TFLite-Micro's PACK copies.
bool Packable(model::DataType type) {
  switch (type) {
    case model::DataType::kFloat32:
    case model::DataType::kInt8:
    case model::DataType::kInt16:
    case model::DataType::kInt32:
    case model::DataType::kInt64:
      return true;
    default:
      return false;
  }
}

std::unique_ptr<OpKernel> MakePack(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const auto& options = ctx.options<PackOptions>();
  if (options.values_count < 1 || ctx.num_inputs() != static_cast<size_t>(options.values_count)) {
    throw ctx.Fail("values_count " + std::to_string(options.values_count) + " but the op has " +
                   std::to_string(ctx.num_inputs()) + " inputs");
  }
  ctx.ExpectCounts(1, ctx.num_inputs(), 1);
  const model::Tensor& first = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (!Packable(output.type)) throw UnsupportedTypes(ctx);
  std::vector<int32_t> inputs;
  for (size_t i = 0; i < ctx.num_inputs(); ++i) {
    const model::Tensor& t = ctx.input(i);
    if (t.type != output.type) throw UnsupportedTypes(ctx);
    if (t.shape != first.shape) {
      throw ctx.Fail("input tensor '" + t.name + "' has shape " + model::ShapeToString(t.shape) +
                     ", expected the first input's " + model::ShapeToString(first.shape));
    }
    inputs.push_back(ctx.input_index(i));
  }
  const auto rank = static_cast<int32_t>(first.shape.size()) + 1;
  const int32_t axis = options.axis < 0 ? options.axis + rank : options.axis;
  if (axis < 0 || axis >= rank) {
    throw ctx.Fail("axis " + std::to_string(options.axis) + " is outside the output's " +
                   std::to_string(rank) + " dimensions");
  }
  std::vector<int32_t> expected = first.shape;
  expected.insert(expected.begin() + axis, options.values_count);
  if (output.shape != expected) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected));
  }
  ref::PackGeometry g;
  for (int32_t d = 0; d < axis; ++d) g.outer_size *= expected[static_cast<size_t>(d)];
  for (int32_t d = axis + 1; d < rank; ++d) g.copy_size *= expected[static_cast<size_t>(d)];
  g.element_size = model::ElementSize(output.type);
  return std::make_unique<PackKernel>(g, std::move(inputs), ctx.output_index(0));
}

model::OpOptions ReadPackOptions(const fb::Operator& op, const std::string& place) {
  PackOptions options;
  if (const auto* o =
          model::OptionsAs<fb::PackOptions>(op, fb::BuiltinOptions::PackOptions, place)) {
    options.values_count = o->values_count();
    options.axis = o->axis();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WritePackOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<PackOptions>(op, place);
  return {fb::BuiltinOptions::PackOptions,
          fb::CreatePackOptions(builder, o.values_count, o.axis).Union()};
}

// TFLite's op_version.cc: 3 for int16, 2 for int8, else 1.
int32_t PackVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType type = InputType(graph, op, 0);
  if (type == model::DataType::kInt16) return 3;
  return type == model::DataType::kInt8 ? 2 : 1;
}

const model::OpDescriptor kDescriptor{
    .type = kPack,
    .name = "PACK",
    .read_options = &ReadPackOptions,
    .write_options = &WritePackOptions,
    .make_kernel = &MakePack,
    .version = &PackVersion,
    // The int kernels copy bytes: every input must carry the output's parameters.
    .quant = {.weights = std::nullopt,
              .output = model::OutputParams::kOwn,
              .fixed_int8 = std::nullopt,
              .fixed_int16 = std::nullopt,
              .inputs_share_output_params = true,
              .int16x8 = true,
              .moves_data = true},
    // TfLitePackParams {values_count, axis}; no OpData.
    .arena = {.builtin_data_bytes = 8,
              .op_data_bytes = &model::NoOpData,
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddPack",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
