// CONCATENATION: the axis is normalized and every shape checked once here; integer inputs must
// share the output's quantization (TFLite-Micro copies bytes, it does not rescale), and only
// NONE is accepted as the fused activation.
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "kernels/reference/concatenation.h"

namespace harness::runtime::ops {
namespace {

class ConcatenationKernel final : public OpKernel {
 public:
  ConcatenationKernel(int axis, std::vector<int32_t> inputs, std::vector<kernels::Shape> shapes,
                      size_t element_size, int32_t output, const kernels::Shape& output_shape)
      : axis_(axis),
        inputs_(std::move(inputs)),
        shapes_(std::move(shapes)),
        element_size_(element_size),
        output_(output),
        output_shape_(output_shape) {}

  // The per-execution array of input pointers lives in the scratch buffer.
  size_t ScratchBytes() const override { return inputs_.size() * sizeof(const void*); }

  void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const override {
    auto* pointers = reinterpret_cast<const void**>(scratch.data());
    for (size_t i = 0; i < inputs_.size(); ++i) pointers[i] = tensors.in<std::byte>(inputs_[i]);
    kernels::reference::Concatenation(axis_, shapes_,
                                      std::span<const void* const>(pointers, inputs_.size()),
                                      element_size_, output_shape_, tensors.out<std::byte>(output_));
  }

 private:
  int axis_;
  std::vector<int32_t> inputs_;
  std::vector<kernels::Shape> shapes_;
  size_t element_size_;
  int32_t output_;
  kernels::Shape output_shape_;
};

bool IsSupported(model::DataType type) {
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

bool IsQuantized(model::DataType type) {
  return type == model::DataType::kInt8 || type == model::DataType::kInt16;
}

}  // namespace

std::unique_ptr<OpKernel> MakeConcatenation(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  if (ctx.num_inputs() < 1 || ctx.num_outputs() != 1) {
    throw ctx.Fail("expected at least 1 input and 1 output, found " +
                   std::to_string(ctx.num_inputs()) + " and " + std::to_string(ctx.num_outputs()));
  }
  const auto& options = ctx.options<model::ConcatenationOptions>();
  if (options.activation != model::Activation::kNone) {
    throw ctx.Fail(std::string("fused activation ") + model::ToString(options.activation) +
                   " is not supported");
  }
  const model::Tensor& output = ctx.output(0);
  const kernels::Shape output_shape = CheckedShape(ctx, output, "output");
  const int rank = output_shape.rank();
  const int axis = options.axis < 0 ? options.axis + rank : options.axis;
  if (axis < 0 || axis >= rank) {
    throw ctx.Fail("axis " + std::to_string(options.axis) + " is out of range for rank " +
                   std::to_string(rank));
  }
  if (!IsSupported(output.type)) throw UnsupportedTypes(ctx);

  std::vector<int32_t> inputs;
  std::vector<kernels::Shape> shapes;
  int64_t axis_total = 0;
  for (size_t i = 0; i < ctx.num_inputs(); ++i) {
    const model::Tensor& input = ctx.input(i);
    if (input.type != output.type) throw UnsupportedTypes(ctx);
    const kernels::Shape shape = CheckedShape(ctx, input, "input");
    bool compatible = shape.rank() == rank;
    for (int d = 0; compatible && d < rank; ++d) {
      compatible = d == axis || shape.dim(d) == output_shape.dim(d);
    }
    if (!compatible) {
      throw ctx.Fail("input tensor '" + input.name + "' has shape " +
                     model::ShapeToString(input.shape) + ", which does not fit output shape " +
                     model::ShapeToString(output.shape) + " on axis " + std::to_string(axis));
    }
    if (IsQuantized(output.type)) ExpectSameQuantization(ctx, input, "input", output, "output");
    axis_total += shape.dim(axis);
    inputs.push_back(ctx.input_index(i));
    shapes.push_back(shape);
  }
  if (axis_total != output_shape.dim(axis)) {
    throw ctx.Fail("input extents on axis " + std::to_string(axis) + " sum to " +
                   std::to_string(axis_total) + ", output tensor '" + output.name + "' has " +
                   std::to_string(output_shape.dim(axis)));
  }
  return std::make_unique<ConcatenationKernel>(axis, std::move(inputs), std::move(shapes),
                                               model::ElementSize(output.type),
                                               ctx.output_index(0), output_shape);
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadConcatenationOptions(const fb::Operator& op, const std::string& place) {
  model::ConcatenationOptions options;
  if (const auto* o = model::OptionsAs<fb::ConcatenationOptions>(
          op, fb::BuiltinOptions::ConcatenationOptions, place)) {
    options.axis = o->axis();
    options.activation = model::ReadActivation(o->fused_activation_function(), place);
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteConcatenationOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::ConcatenationOptions>(op, place);
  return {fb::BuiltinOptions::ConcatenationOptions,
          fb::CreateConcatenationOptions(builder, o.axis, model::WriteActivation(o.activation))
              .Union()};
}

// TFLite-Micro's CONCATENATION (concatenation.cc): Init allocates an OpData holding
// ConcatenationParams (int8 axis, padded to the pointer that follows; input zero-point and scale
// pointers; inputs_count, output zero point and scale); Prepare allocates, for int8, two
// persistent arrays of one 4-byte entry per input (the inputs' scales and zero points).
std::vector<size_t> ConcatenationPersistentArrays(const model::Graph& graph, const model::Op& op) {
  if (InputType(graph, op, 0) != model::DataType::kInt8) return {};
  const size_t bytes = 4 * op.inputs.size();
  return {bytes, bytes};
}

const model::OpDescriptor kConcatenation{
    .type = model::OpType::kConcatenation,
    .name = "CONCATENATION",
    .read_options = &ReadConcatenationOptions,
    .write_options = &WriteConcatenationOptions,
    .make_kernel = &MakeConcatenation,
    .version = &VersionByActivationType,
    // The int8 kernel copies bytes: every input must carry the output's parameters.
    .quant = {.weights = std::nullopt,
              .output = model::OutputParams::kOwn,
              .fixed_int8 = std::nullopt,
              .fixed_int16 = std::nullopt,
              .inputs_share_output_params = true,
              .int16x8 = true,
              .moves_data = false},
    .arena = {.builtin_data_bytes = 8,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 3, 3); },
              .persistent_arrays = &ConcatenationPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddConcatenation",
};
const model::OpRegistration kRegistration(kConcatenation);

}  // namespace

}  // namespace harness::runtime::ops
