// SQUEEZE: any numeric type (TFLite-Micro copies the bytes of all but strings); the output's
// shape must be the input's without the squeezed dimensions of extent 1 (the listed ones, or
// every one when none is listed), as TFLite-Micro's Prepare verifies, for at most 8 dimensions.
#include <memory>
#include <string>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/copy_kernel.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_util.h"
#include "harness/runtime/ops/shape_ops.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;

// TfLiteSqueezeParams holds at most eight dimensions.
constexpr size_t kMaxSqueezeDims = 8;

std::unique_ptr<OpKernel> MakeSqueeze(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 1, 1);
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  ctx.ExpectType(output, input.type, "output");
  const auto& dims = ctx.options<SqueezeOptions>().squeeze_dims;
  const size_t rank = input.shape.size();
  if (rank > kMaxSqueezeDims || dims.size() > kMaxSqueezeDims) {
    throw ctx.Fail("input tensor '" + input.name + "' has shape " +
                   model::ShapeToString(input.shape) + " and " + std::to_string(dims.size()) +
                   " squeeze_dims; TFLite-Micro's SQUEEZE takes at most 8");
  }
  std::vector<bool> squeeze(rank, dims.empty());
  if (dims.empty()) {
    for (size_t d = 0; d < rank; ++d) squeeze[d] = input.shape[d] == 1;
  }
  for (int32_t dim : dims) {
    const int64_t d = dim < 0 ? static_cast<int64_t>(dim) + static_cast<int64_t>(rank) : dim;
    if (d < 0 || d >= static_cast<int64_t>(rank) || input.shape[static_cast<size_t>(d)] != 1) {
      throw ctx.Fail("squeeze_dims entry " + std::to_string(dim) +
                     " is not a dimension of extent 1 of input tensor '" + input.name + "' " +
                     model::ShapeToString(input.shape));
    }
    squeeze[static_cast<size_t>(d)] = true;
  }
  std::vector<int32_t> expected;
  for (size_t d = 0; d < rank; ++d) {
    if (!squeeze[d]) expected.push_back(input.shape[d]);
  }
  if (output.shape != expected) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected));
  }
  const auto bytes =
      static_cast<size_t>(model::ElementCount(input.shape)) * model::ElementSize(input.type);
  return std::make_unique<CopyKernel>(ctx.input_index(0), ctx.output_index(0), bytes);
}

model::OpOptions ReadSqueezeOptions(const fb::Operator& op, const std::string& place) {
  SqueezeOptions options;
  if (const auto* o =
          model::OptionsAs<fb::SqueezeOptions>(op, fb::BuiltinOptions::SqueezeOptions, place)) {
    if (const auto* dims = o->squeeze_dims())
      options.squeeze_dims.assign(dims->begin(), dims->end());
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteSqueezeOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<SqueezeOptions>(op, place);
  flatbuffers::Offset<flatbuffers::Vector<int32_t>> dims;
  if (!o.squeeze_dims.empty()) dims = builder.CreateVector(o.squeeze_dims);
  return {fb::BuiltinOptions::SqueezeOptions, fb::CreateSqueezeOptions(builder, dims).Union()};
}

const model::OpDescriptor kDescriptor{
    .type = kSqueeze,
    .name = "SQUEEZE",
    .read_options = &ReadSqueezeOptions,
    .write_options = &WriteSqueezeOptions,
    .make_kernel = &MakeSqueeze,
    .version = &VersionOne,  // 2 only for strings, which harness does not hold
    .quant = SharedOutputRule(/*moves_data=*/true),
    // TfLiteSqueezeParams {squeeze_dims[8], num_squeeze_dims}; no Init.
    .arena = {.builtin_data_bytes = 36,
              .op_data_bytes = &model::NoOpData,
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddSqueeze",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
