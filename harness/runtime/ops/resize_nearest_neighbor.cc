// RESIZE_NEAREST_NEIGHBOR: float32, int8 and int16, TFLite-Micro's types; pixels are copied, so
// the output keeps the input's quantization parameters.
#include "kernels/reference/resize_nearest_neighbor.h"

#include <memory>
#include <string>

#include "harness/model/op_registry.h"
#include "harness/runtime/op_kernel.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/resize.h"
#include "harness/runtime/ops/resize_common.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

class ResizeNearestNeighborKernel final : public OpKernel {
 public:
  ResizeNearestNeighborKernel(const ref::ResizeParams& params, const ResizeTensors& shapes,
                              int32_t input, int32_t output)
      : params_(params), shapes_(shapes), input_(input), output_(output) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    ref::ResizeNearestNeighbor(params_, shapes_.input_shape, tensors.in<std::byte>(input_),
                               model::ElementSize(shapes_.type), shapes_.output_shape,
                               tensors.out<std::byte>(output_));
  }

 private:
  ref::ResizeParams params_;
  ResizeTensors shapes_;
  int32_t input_, output_;
};

std::unique_ptr<OpKernel> MakeResizeNearestNeighbor(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const ResizeTensors shapes = PrepareResize(ctx);
  if (shapes.type != model::DataType::kFloat32 && shapes.type != model::DataType::kInt8 &&
      shapes.type != model::DataType::kInt16) {
    throw ctx.Fail("input tensor '" + ctx.input(0).name + "' has type " +
                   model::ToString(shapes.type) + ", expected FLOAT32, INT8 or INT16");
  }
  const auto options = ctx.options<ResizeOptions>();
  return std::make_unique<ResizeNearestNeighborKernel>(
      ref::ResizeParams{options.align_corners, options.half_pixel_centers}, shapes,
      ctx.input_index(0), ctx.output_index(0));
}

model::OpOptions ReadResizeNearestNeighborOptions(const fb::Operator& op,
                                                  const std::string& place) {
  ResizeOptions options;
  if (const auto* o = model::OptionsAs<fb::ResizeNearestNeighborOptions>(
          op, fb::BuiltinOptions::ResizeNearestNeighborOptions, place)) {
    options.align_corners = o->align_corners();
    options.half_pixel_centers = o->half_pixel_centers();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteResizeNearestNeighborOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<ResizeOptions>(op, place);
  return {fb::BuiltinOptions::ResizeNearestNeighborOptions,
          fb::CreateResizeNearestNeighborOptions(builder, o.align_corners, o.half_pixel_centers)
              .Union()};
}

// TFLite's op_version.cc: 4 for int16, 3 with align_corners or half_pixel_centers, 2 for int8.
int32_t ResizeNearestNeighborVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType type = InputType(graph, op, 0);
  if (type == model::DataType::kInt16) return 4;
  const auto* options = op.options.get_if<ResizeOptions>();
  if (options != nullptr && (options->align_corners || options->half_pixel_centers)) return 3;
  return type == model::DataType::kInt8 ? 2 : 1;
}

const model::OpDescriptor kDescriptor{
    .type = kResizeNearestNeighbor,
    .name = "RESIZE_NEAREST_NEIGHBOR",
    .read_options = &ReadResizeNearestNeighborOptions,
    .write_options = &WriteResizeNearestNeighborOptions,
    .make_kernel = &MakeResizeNearestNeighbor,
    .version = &ResizeNearestNeighborVersion,
    // TFLite's quantizer: restrict_same_input_output_scale; TFLite-Micro has an int16 kernel.
    .quant = SharedOutputRule(/*moves_data=*/true),
    // TfLiteResizeNearestNeighborParams {align_corners, half_pixel_centers}; no Init.
    .arena = {.builtin_data_bytes = 2,
              .op_data_bytes = &model::NoOpData,
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddResizeNearestNeighbor",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
