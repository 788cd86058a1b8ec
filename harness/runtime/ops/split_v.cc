// SPLIT_V: inputs (data, size_splits, axis); the extents are the output tensors' (TFLite-Micro
// does not read size_splits), so a constant size_splits must agree with them. The op's
// descriptor registers it in the op table.
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_util.h"
#include "harness/runtime/ops/split.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;

// size_splits, when constant, lists each output's extent, one of them possibly -1 (the rest).
void CheckSizeSplits(const OpContext& ctx, const std::vector<int32_t>& extents) {
  const model::Tensor& sizes = ctx.input(1);
  if (!sizes.is_constant()) return;
  if (sizes.type != model::DataType::kInt32 ||
      model::ElementCount(sizes.shape) != static_cast<int64_t>(extents.size())) {
    throw ctx.Fail("size_splits tensor '" + sizes.name + "' is not an INT32 vector of " +
                   std::to_string(extents.size()) + " (one per output)");
  }
  std::vector<int32_t> values(extents.size());
  std::memcpy(values.data(), ctx.ConstantData(1, "size_splits").data(),
              values.size() * sizeof(int32_t));
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != -1 && values[i] != extents[i]) {
      throw ctx.Fail("size_splits tensor '" + sizes.name + "' gives output " + std::to_string(i) +
                     " " + std::to_string(values[i]) + " elements, output tensor '" +
                     ctx.output(i).name + "' has " + std::to_string(extents[i]));
    }
  }
}

std::unique_ptr<OpKernel> MakeSplitV(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(3, 3, ctx.num_outputs());
  auto kernel = MakeSplitKernel(ctx, /*data_input=*/0, /*axis_input=*/2,
                                ctx.options<SplitVOptions>().num_splits, /*equal_parts=*/false);
  // The axis is valid now; read each output's extent along it.
  int32_t axis = 0;
  std::memcpy(&axis, ctx.ConstantData(2, "axis").data(), sizeof(axis));
  if (axis < 0) axis += static_cast<int32_t>(ctx.input(0).shape.size());
  std::vector<int32_t> extents;
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    extents.push_back(ctx.output(i).shape[static_cast<size_t>(axis)]);
  }
  CheckSizeSplits(ctx, extents);
  return kernel;
}

model::OpOptions ReadSplitVOptions(const fb::Operator& op, const std::string& place) {
  SplitVOptions options;
  if (const auto* o =
          model::OptionsAs<fb::SplitVOptions>(op, fb::BuiltinOptions::SplitVOptions, place)) {
    options.num_splits = o->num_splits();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteSplitVOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<SplitVOptions>(op, place);
  return {fb::BuiltinOptions::SplitVOptions,
          fb::CreateSplitVOptions(builder, o.num_splits).Union()};
}

// TFLite's op_version.cc: 2 for int8, else 1 (int16 included).
int32_t SplitVVersion(const model::Graph& graph, const model::Op& op) {
  return InputType(graph, op, 0) == model::DataType::kInt8 ? 2 : 1;
}

const model::OpDescriptor kDescriptor{
    .type = kSplitV,
    .name = "SPLIT_V",
    .read_options = &ReadSplitVOptions,
    .write_options = &WriteSplitVOptions,
    .make_kernel = &MakeSplitV,
    .version = &SplitVVersion,
    .quant = SharedOutputRule(/*moves_data=*/true),
    // TfLiteSplitVParams {num_splits}; no OpData.
    .arena = {.builtin_data_bytes = 4,
              .op_data_bytes = &model::NoOpData,
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddSplitV",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
