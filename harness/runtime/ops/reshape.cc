// RESHAPE: the data is copied unchanged; the output shape is the output tensor's own (the
// optional shape input and the new_shape option only restate it).
#include <cstring>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"

namespace harness::runtime::ops {
namespace {

class ReshapeKernel final : public OpKernel {
 public:
  ReshapeKernel(int32_t input, int32_t output, size_t bytes)
      : input_(input), output_(output), bytes_(bytes) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    if (bytes_ == 0) return;
    // memmove: a planner may one day alias a reshape's output with its input.
    std::memmove(tensors.out<std::byte>(output_), tensors.in<std::byte>(input_), bytes_);
  }

 private:
  int32_t input_, output_;
  size_t bytes_;
};

}  // namespace

std::unique_ptr<OpKernel> MakeReshape(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 2, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  if (input.type != output.type) throw UnsupportedTypes(ctx);
  const int64_t input_count = model::ElementCount(input.shape);
  const int64_t output_count = model::ElementCount(output.shape);
  if (input_count != output_count) {
    throw ctx.Fail("input tensor '" + input.name + "' " + model::ShapeToString(input.shape) +
                   " and output tensor '" + output.name + "' " +
                   model::ShapeToString(output.shape) + " have different element counts");
  }
  if (!input.quantization.empty() && !output.quantization.empty()) {
    ExpectSameQuantization(ctx, input, "input", output, "output");
  }
  const auto bytes = static_cast<size_t>(output_count) * model::ElementSize(output.type);
  return std::make_unique<ReshapeKernel>(ctx.input_index(0), ctx.output_index(0), bytes);
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadReshapeOptions(const fb::Operator& op, const std::string& place) {
  model::ReshapeOptions options;
  if (const auto* o =
          model::OptionsAs<fb::ReshapeOptions>(op, fb::BuiltinOptions::ReshapeOptions, place)) {
    if (const auto* shape = o->new_shape()) options.new_shape.assign(shape->begin(), shape->end());
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteReshapeOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::ReshapeOptions>(op, place);
  // An absent new_shape makes TFLite take the shape from the second input or the output.
  flatbuffers::Offset<flatbuffers::Vector<int32_t>> new_shape;
  if (!o.new_shape.empty()) new_shape = builder.CreateVector(o.new_shape);
  return {fb::BuiltinOptions::ReshapeOptions, fb::CreateReshapeOptions(builder, new_shape).Union()};
}

const model::OpDescriptor kReshape{
    .type = model::OpType::kReshape,
    .name = "RESHAPE",
    .read_options = &ReadReshapeOptions,
    .write_options = &WriteReshapeOptions,
    .make_kernel = &MakeReshape,
    .version = &VersionOne,
    .quant = SharedOutputRule(/*moves_data=*/true),
    .arena = {.builtin_data_bytes = 36,  // shape[8], num_dimensions
              .op_data_bytes = &model::NoOpData,
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = true},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddReshape",
};
const model::OpRegistration kRegistration(kReshape);

}  // namespace

}  // namespace harness::runtime::ops
