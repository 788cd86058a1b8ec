// SPLIT: inputs (axis, data), num_splits equal parts; and the glue SPLIT_V shares. The op's
// descriptor registers it in the op table.
#include "harness/runtime/ops/split.h"

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "kernels/reference/split.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

class SplitKernel final : public OpKernel {
 public:
  SplitKernel(const ref::SplitGeometry& g, std::vector<int32_t> extents, int32_t input,
              std::vector<int32_t> outputs)
      : geometry_(g), extents_(std::move(extents)), input_(input), outputs_(std::move(outputs)) {}
  size_t ScratchBytes() const override { return outputs_.size() * sizeof(std::byte*); }
  void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const override {
    auto* pointers = reinterpret_cast<std::byte**>(scratch.data());
    for (size_t i = 0; i < outputs_.size(); ++i) pointers[i] = tensors.out<std::byte>(outputs_[i]);
    ref::Split(geometry_, extents_, tensors.in<std::byte>(input_), {pointers, outputs_.size()});
  }

 private:
  ref::SplitGeometry geometry_;
  std::vector<int32_t> extents_;
  int32_t input_;
  std::vector<int32_t> outputs_;
};

}  // namespace

std::unique_ptr<OpKernel> MakeSplitKernel(const OpContext& ctx, size_t data_input,
                                          size_t axis_input, int32_t num_splits, bool equal_parts) {
  const model::Tensor& input = ctx.input(data_input);
  const model::Tensor& axis_tensor = ctx.input(axis_input);
  if (!axis_tensor.is_constant()) {
    throw ctx.Fail("axis tensor '" + axis_tensor.name +
                   "' is not constant; TFLite-Micro needs a constant axis");
  }
  if (axis_tensor.type != model::DataType::kInt32 || model::ElementCount(axis_tensor.shape) != 1) {
    throw ctx.Fail("axis tensor '" + axis_tensor.name + "' is not one INT32 value");
  }
  int32_t axis = 0;
  std::memcpy(&axis, ctx.ConstantData(axis_input, "axis").data(), sizeof(axis));
  const auto rank = static_cast<int32_t>(input.shape.size());
  const int32_t resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 0 || resolved >= rank) {
    throw ctx.Fail("axis " + std::to_string(axis) + " is outside input tensor '" + input.name +
                   "' of " + std::to_string(rank) + " dimensions");
  }
  if (num_splits != static_cast<int32_t>(ctx.num_outputs())) {
    throw ctx.Fail("num_splits " + std::to_string(num_splits) + " but the op has " +
                   std::to_string(ctx.num_outputs()) + " outputs");
  }
  switch (input.type) {  // TFLite-Micro's SPLIT and SPLIT_V types
    case model::DataType::kFloat32:
    case model::DataType::kInt8:
    case model::DataType::kInt16:
    case model::DataType::kInt32:
      break;
    default:
      throw UnsupportedTypes(ctx);
  }
  const auto a = static_cast<size_t>(resolved);
  std::vector<int32_t> extents, outputs;
  int64_t total = 0;
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    const model::Tensor& t = ctx.output(i);
    if (t.type != input.type) throw UnsupportedTypes(ctx);
    bool same_elsewhere = t.shape.size() == input.shape.size();
    for (size_t d = 0; same_elsewhere && d < t.shape.size(); ++d) {
      same_elsewhere = d == a || t.shape[d] == input.shape[d];
    }
    if (!same_elsewhere || t.shape[a] < 0 ||
        (equal_parts && int64_t{t.shape[a]} * num_splits != input.shape[a])) {
      throw ctx.Fail("output tensor '" + t.name + "' has shape " + model::ShapeToString(t.shape) +
                     ", not " + (equal_parts ? "an equal part" : "a part") + " of input '" +
                     input.name + "' " + model::ShapeToString(input.shape) + " along axis " +
                     std::to_string(resolved));
    }
    total += t.shape[a];
    extents.push_back(t.shape[a]);
    outputs.push_back(ctx.output_index(i));
  }
  if (total != input.shape[a]) {
    throw ctx.Fail("the outputs' extents along axis " + std::to_string(resolved) + " add up to " +
                   std::to_string(total) + ", input tensor '" + input.name + "' has " +
                   std::to_string(input.shape[a]));
  }
  ref::SplitGeometry g;
  for (size_t d = 0; d < a; ++d) g.outer_size *= input.shape[d];
  for (size_t d = a + 1; d < input.shape.size(); ++d) g.inner_size *= input.shape[d];
  g.element_size = model::ElementSize(input.type);
  return std::make_unique<SplitKernel>(g, std::move(extents), ctx.input_index(data_input),
                                       std::move(outputs));
}

namespace {

std::unique_ptr<OpKernel> MakeSplit(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(2, 2, ctx.num_outputs());
  return MakeSplitKernel(ctx, /*data_input=*/1, /*axis_input=*/0,
                         ctx.options<SplitOptions>().num_splits, /*equal_parts=*/true);
}

model::OpOptions ReadSplitOptions(const fb::Operator& op, const std::string& place) {
  SplitOptions options;
  if (const auto* o =
          model::OptionsAs<fb::SplitOptions>(op, fb::BuiltinOptions::SplitOptions, place)) {
    options.num_splits = o->num_splits();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteSplitOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<SplitOptions>(op, place);
  return {fb::BuiltinOptions::SplitOptions, fb::CreateSplitOptions(builder, o.num_splits).Union()};
}

// TFLite's op_version.cc, by the data input (1): 4 for int16, 3 for int32, 2 for int8, else 1.
int32_t SplitVersion(const model::Graph& graph, const model::Op& op) {
  switch (InputType(graph, op, 1)) {
    case model::DataType::kInt16:
      return 4;
    case model::DataType::kInt32:
      return 3;
    case model::DataType::kInt8:
      return 2;
    default:
      return 1;
  }
}

const model::OpDescriptor kDescriptor{
    .type = kSplit,
    .name = "SPLIT",
    .read_options = &ReadSplitOptions,
    .write_options = &WriteSplitOptions,
    .make_kernel = &MakeSplit,
    .version = &SplitVersion,
    // Every output carries the data input's parameters (the first non-constant input).
    .quant = SharedOutputRule(/*moves_data=*/true),
    // TfLiteSplitParams {num_splits}; no OpData.
    .arena = {.builtin_data_bytes = 4,
              .op_data_bytes = &model::NoOpData,
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddSplit",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
