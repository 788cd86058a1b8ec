// RESIZE_BILINEAR: float32 and int8, TFLite-Micro's two types (its kernel has no int16); the
// int8 path is TFLite's float-free ResizeBilinearInteger. The output keeps the input's
// quantization parameters (the TFLite quantizer's restrict_same_input_output_scale).
#include "kernels/reference/resize_bilinear.h"

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

template <class T>
class ResizeBilinearKernel final : public OpKernel {
 public:
  ResizeBilinearKernel(const ref::ResizeParams& params, const ResizeTensors& shapes, int32_t input,
                       int32_t output)
      : params_(params), shapes_(shapes), input_(input), output_(output) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    ref::ResizeBilinear(params_, shapes_.input_shape, tensors.in<T>(input_), shapes_.output_shape,
                        tensors.out<T>(output_));
  }

 private:
  ref::ResizeParams params_;
  ResizeTensors shapes_;
  int32_t input_, output_;
};

std::unique_ptr<OpKernel> MakeResizeBilinear(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const ResizeTensors shapes = PrepareResize(ctx);
  const auto options = ctx.options<ResizeOptions>();
  if (options.align_corners && options.half_pixel_centers) {
    // TFLite-Micro's Prepare refuses the pair.
    throw ctx.Fail("align_corners and half_pixel_centers are both set; TFLite-Micro allows one");
  }
  const ref::ResizeParams params{options.align_corners, options.half_pixel_centers};
  const int32_t input = ctx.input_index(0), output = ctx.output_index(0);
  switch (shapes.type) {
    case model::DataType::kFloat32:
      return std::make_unique<ResizeBilinearKernel<float>>(params, shapes, input, output);
    case model::DataType::kInt8:
      return std::make_unique<ResizeBilinearKernel<int8_t>>(params, shapes, input, output);
    default:
      throw ctx.Fail("input tensor '" + ctx.input(0).name + "' has type " +
                     model::ToString(shapes.type) +
                     "; TFLite-Micro's RESIZE_BILINEAR takes FLOAT32 or INT8");
  }
}

model::OpOptions ReadResizeBilinearOptions(const fb::Operator& op, const std::string& place) {
  ResizeOptions options;
  if (const auto* o = model::OptionsAs<fb::ResizeBilinearOptions>(
          op, fb::BuiltinOptions::ResizeBilinearOptions, place)) {
    options.align_corners = o->align_corners();
    options.half_pixel_centers = o->half_pixel_centers();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteResizeBilinearOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<ResizeOptions>(op, place);
  return {fb::BuiltinOptions::ResizeBilinearOptions,
          fb::CreateResizeBilinearOptions(builder, o.align_corners, o.half_pixel_centers).Union()};
}

// TFLite's op_version.cc: 4 for int16, 3 with half_pixel_centers, 2 for int8, else 1.
int32_t ResizeBilinearVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType type = InputType(graph, op, 0);
  if (type == model::DataType::kInt16) return 4;
  const auto* options = op.options.get_if<ResizeOptions>();
  if (options != nullptr && options->half_pixel_centers) return 3;
  return type == model::DataType::kInt8 ? 2 : 1;
}

const model::OpDescriptor kDescriptor{
    .type = kResizeBilinear,
    .name = "RESIZE_BILINEAR",
    .read_options = &ReadResizeBilinearOptions,
    .write_options = &WriteResizeBilinearOptions,
    .make_kernel = &MakeResizeBilinear,
    .version = &ResizeBilinearVersion,
    // TFLite's quantizer: restrict_same_input_output_scale; TFLite-Micro has no int16 kernel.
    .quant = {.weights = std::nullopt,
              .output = model::OutputParams::kSharesInput,
              .fixed_int8 = std::nullopt,
              .fixed_int16 = std::nullopt,
              .inputs_share_output_params = false,
              .int16x8 = false,
              .moves_data = false},
    // TfLiteResizeBilinearParams {align_corners, half_pixel_centers}: two bools; no Init.
    .arena = {.builtin_data_bytes = 2,
              .op_data_bytes = &model::NoOpData,
              .persistent_arrays = &model::NoPersistentArrays,
              .scratch_bytes = &model::NoScratch,
              .output_aliases_input = false},
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddResizeBilinear",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
