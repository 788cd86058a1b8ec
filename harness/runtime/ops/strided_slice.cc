// STRIDED_SLICE: begin, end and strides come from constant INT32 tensors and are resolved once
// here, with TFLite-Micro's output-shape check; Eval copies whole elements of any type. The op's
// descriptor registers it in the op table.
#include "harness/runtime/ops/strided_slice.h"

#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "kernels/reference/strided_slice.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

// TFLite-Micro's STRIDED_SLICE maps every input onto its 4-D reference loop.
constexpr int kMaxRank = 4;

class StridedSliceKernel final : public OpKernel {
 public:
  StridedSliceKernel(const ref::StridedSliceParams& params, int32_t input, int32_t output,
                     size_t element_size)
      : params_(params), input_(input), output_(output), element_size_(element_size) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    ref::StridedSlice(params_, tensors.in<std::byte>(input_), element_size_,
                      tensors.out<std::byte>(output_));
  }

 private:
  ref::StridedSliceParams params_;
  int32_t input_, output_;
  size_t element_size_;
};

// Input i: a constant INT32 vector of one entry per input dimension.
std::vector<int32_t> ReadIndices(const OpContext& ctx, size_t i, const char* role, int rank) {
  const model::Tensor& t = ctx.input(i);
  if (t.type != model::DataType::kInt32) {
    throw ctx.Fail(std::string(role) + " tensor '" + t.name + "' has type " +
                   model::ToString(t.type) + ", expected INT32 (as TFLite-Micro reads it)");
  }
  if (model::ElementCount(t.shape) != rank) {
    throw ctx.Fail(std::string(role) + " tensor '" + t.name + "' has shape " +
                   model::ShapeToString(t.shape) + ", expected one entry per input dimension (" +
                   std::to_string(rank) + ")");
  }
  const std::vector<uint8_t>& bytes = ctx.ConstantData(i, role);
  std::vector<int32_t> values(static_cast<size_t>(rank));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(int32_t));
  return values;
}

std::unique_ptr<OpKernel> MakeStridedSlice(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(4, 4, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  const kernels::Shape input_shape = CheckedShape(ctx, input, "input");
  if (input_shape.rank() > kMaxRank) {
    throw ctx.Fail("input tensor '" + input.name + "' has " + std::to_string(input_shape.rank()) +
                   " dimensions; TFLite-Micro's STRIDED_SLICE runs at most " +
                   std::to_string(kMaxRank));
  }
  if (input.type != output.type) throw UnsupportedTypes(ctx);
  const auto& options = ctx.options<StridedSliceOptions>();
  const int rank = input_shape.rank();
  ref::StridedSliceSpec spec;
  spec.begin = ReadIndices(ctx, 1, "begin", rank);
  spec.end = ReadIndices(ctx, 2, "end", rank);
  spec.strides = ReadIndices(ctx, 3, "strides", rank);
  spec.begin_mask = options.begin_mask;
  spec.end_mask = options.end_mask;
  spec.shrink_axis_mask = options.shrink_axis_mask;
  for (int axis = 0; axis < rank; ++axis) {
    const auto a = static_cast<size_t>(axis);
    if (spec.strides[a] == 0) {
      throw ctx.Fail("strides tensor '" + ctx.input(3).name + "' holds 0 for dimension " +
                     std::to_string(axis) + "; strides must be non-zero");
    }
    // A shrunk axis must name an element: TFLite-Micro would size the output for one element
    // and then copy none.
    const int32_t size = input_shape.dim(axis);
    const int32_t begin = spec.begin[a] < 0 ? spec.begin[a] + size : spec.begin[a];
    if ((options.shrink_axis_mask & (1 << axis)) != 0 && (begin < 0 || begin >= size)) {
      throw ctx.Fail("shrink_axis_mask takes element " + std::to_string(spec.begin[a]) +
                     " of dimension " + std::to_string(axis) + ", which has " +
                     std::to_string(size) + " elements");
    }
  }
  const std::vector<int32_t> expected = ref::StridedSliceOutputDims(spec, input_shape);
  if (output.shape != expected) {
    std::string message = "output tensor '" + output.name + "' has shape " +
                          model::ShapeToString(output.shape) + ", expected " +
                          model::ShapeToString(expected);
    if (options.ellipsis_mask != 0 || options.new_axis_mask != 0 || options.offset) {
      message += " (TFLite-Micro ignores ellipsis_mask, new_axis_mask and offset)";
    }
    throw ctx.Fail(message);
  }
  return std::make_unique<StridedSliceKernel>(ref::ResolveStridedSlice(spec, input_shape),
                                              ctx.input_index(0), ctx.output_index(0),
                                              model::ElementSize(input.type));
}

model::OpOptions ReadStridedSliceOptions(const fb::Operator& op, const std::string& place) {
  StridedSliceOptions options;
  if (const auto* o = model::OptionsAs<fb::StridedSliceOptions>(
          op, fb::BuiltinOptions::StridedSliceOptions, place)) {
    options.begin_mask = o->begin_mask();
    options.end_mask = o->end_mask();
    options.ellipsis_mask = o->ellipsis_mask();
    options.new_axis_mask = o->new_axis_mask();
    options.shrink_axis_mask = o->shrink_axis_mask();
    options.offset = o->offset();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteStridedSliceOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<StridedSliceOptions>(op, place);
  return {fb::BuiltinOptions::StridedSliceOptions,
          fb::CreateStridedSliceOptions(builder, o.begin_mask, o.end_mask, o.ellipsis_mask,
                                        o.new_axis_mask, o.shrink_axis_mask, o.offset)
              .Union()};
}

// TFLite's op_version.cc: 8 with offset, 6 with ellipsis or new-axis masks, 4 above four
// dimensions, 2 for int8, else 1 (int16 included; harness has no bool tensors, version 3).
int32_t StridedSliceVersion(const model::Graph& graph, const model::Op& op) {
  StridedSliceOptions o;
  if (const auto* held = op.options.get_if<StridedSliceOptions>()) o = *held;
  if (o.offset) return 8;
  if (o.ellipsis_mask != 0 || o.new_axis_mask != 0) return 6;
  if (!op.inputs.empty() && graph.tensor(op.inputs[0]).shape.size() > 4) return 4;
  return InputType(graph, op, 0) == model::DataType::kInt8 ? 2 : 1;
}

const model::OpDescriptor kDescriptor{
    .type = kStridedSlice,
    .name = "STRIDED_SLICE",
    .read_options = &ReadStridedSliceOptions,
    .write_options = &WriteStridedSliceOptions,
    .make_kernel = &MakeStridedSlice,
    .version = &StridedSliceVersion,
    .quant = SharedOutputRule(/*moves_data=*/true),
    // TfLiteStridedSliceParams: five masks and offset; OpData: StridedSliceParams, three counts
    // and three arrays of five indices, five 16-bit masks and offset (84 bytes).
    .arena = {.builtin_data_bytes = 24,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 21); },
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddStridedSlice",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
