// AVERAGE_POOL_2D and MAX_POOL_2D: the padding, the output size check and the activation range
// are computed once here; integer pooling needs input and output to share their quantization
// (the kernels do not rescale, as in TFLite-Micro).
#include "kernels/reference/pooling.h"

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "kernels/reference/pooling.h"

namespace harness::runtime::ops {
namespace {

namespace ref = kernels::reference;

template <class T>
class PoolKernel final : public OpKernel {
 public:
  using Function = void (*)(const ref::PoolParams&, const kernels::Shape&, const T*,
                            const kernels::Shape&, T*);

  PoolKernel(Function function, const ref::PoolParams& params, int32_t input, int32_t output,
             const kernels::Shape& input_shape, const kernels::Shape& output_shape)
      : function_(function),
        params_(params),
        input_(input),
        output_(output),
        input_shape_(input_shape),
        output_shape_(output_shape) {}

  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    function_(params_, input_shape_, tensors.in<T>(input_), output_shape_,
              tensors.out<T>(output_));
  }

 private:
  Function function_;
  ref::PoolParams params_;
  int32_t input_, output_;
  kernels::Shape input_shape_, output_shape_;
};

enum class PoolKind { kAverage, kMax };

template <class T>
std::unique_ptr<OpKernel> MakePoolKernel(PoolKind kind, const OpContext& ctx,
                                         const ref::PoolParams& params) {
  typename PoolKernel<T>::Function function = nullptr;
  if (kind == PoolKind::kAverage) {
    function = &ref::AveragePool;
  } else {
    function = &ref::MaxPool;
  }
  return std::make_unique<PoolKernel<T>>(function, params, ctx.input_index(0),
                                         ctx.output_index(0), ShapeOf(ctx.input(0)),
                                         ShapeOf(ctx.output(0)));
}

std::unique_ptr<OpKernel> MakePool(PoolKind kind, const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  ctx.ExpectCounts(1, 1, 1);
  const auto& options = ctx.options<model::Pool2DOptions>();
  const model::Tensor& input = ctx.input(0);
  const model::Tensor& output = ctx.output(0);
  ctx.ExpectRank(input, 4, "input");
  ctx.ExpectRank(output, 4, "output");
  if (input.type != output.type) throw UnsupportedTypes(ctx);
  ExpectClampableActivation(ctx, options.activation);
  if (options.stride_h < 1 || options.stride_w < 1 || options.filter_height < 1 ||
      options.filter_width < 1) {
    throw ctx.Fail("strides and filter sizes must be positive");
  }

  const PaddedDim height = ComputePadding(options.padding, input.shape[1],
                                          options.filter_height, options.stride_h, 1);
  const PaddedDim width = ComputePadding(options.padding, input.shape[2], options.filter_width,
                                         options.stride_w, 1);
  const std::vector<int32_t> expected = {input.shape[0], height.output, width.output,
                                         input.shape[3]};
  if (output.shape != expected || height.output < 1 || width.output < 1) {
    throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                   model::ShapeToString(output.shape) + ", expected " +
                   model::ShapeToString(expected));
  }

  ref::PoolParams params;
  params.stride_height = options.stride_h;
  params.stride_width = options.stride_w;
  params.filter_height = options.filter_height;
  params.filter_width = options.filter_width;
  params.padding_height = height.padding;
  params.padding_width = width.padding;
  switch (input.type) {
    case model::DataType::kFloat32: {
      const FloatActivationRange range = FloatRange(options.activation);
      params.float_activation_min = range.min;
      params.float_activation_max = range.max;
      return MakePoolKernel<float>(kind, ctx, params);
    }
    case model::DataType::kInt8:
    case model::DataType::kInt16: {
      ExpectSameQuantization(ctx, input, "input", output, "output");
      const auto [scale, zero_point] = ctx.PerTensorQuantization(output, "output");
      const IntActivationRange range =
          QuantizedRange(options.activation, output.type, scale, zero_point);
      params.quantized_activation_min = range.min;
      params.quantized_activation_max = range.max;
      if (input.type == model::DataType::kInt16) return MakePoolKernel<int16_t>(kind, ctx, params);
      return MakePoolKernel<int8_t>(kind, ctx, params);
    }
    default:
      throw UnsupportedTypes(ctx);
  }
}

}  // namespace

std::unique_ptr<OpKernel> MakeAveragePool2D(const model::Graph& graph, int op_index) {
  return MakePool(PoolKind::kAverage, graph, op_index);
}

std::unique_ptr<OpKernel> MakeMaxPool2D(const model::Graph& graph, int op_index) {
  return MakePool(PoolKind::kMax, graph, op_index);
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadPool2DOptions(const fb::Operator& op, const std::string& place) {
  model::Pool2DOptions options;
  if (const auto* o =
          model::OptionsAs<fb::Pool2DOptions>(op, fb::BuiltinOptions::Pool2DOptions, place)) {
    options.padding = model::ReadPadding(o->padding(), place);
    options.stride_w = o->stride_w();
    options.stride_h = o->stride_h();
    options.filter_width = o->filter_width();
    options.filter_height = o->filter_height();
    options.activation = model::ReadActivation(o->fused_activation_function(), place);
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WritePool2DOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::Pool2DOptions>(op, place);
  return {
      fb::BuiltinOptions::Pool2DOptions,
      fb::CreatePool2DOptions(builder, model::WritePadding(o.padding), o.stride_w, o.stride_h,
                              o.filter_width, o.filter_height, model::WriteActivation(o.activation))
          .Union()};
}

int32_t PoolVersion(const model::Graph& graph, const model::Op& op) {
  const model::DataType in = InputType(graph, op, 0);
  if (in == model::DataType::kInt16 && OutputType(graph, op) == model::DataType::kInt16) return 3;
  return in == model::DataType::kInt8 ? 2 : 1;
}

model::ArenaNeeds PoolArena() {
  return {.builtin_data_bytes = 48,  // six ints + computed TfLitePaddingValues (six ints)
                                     // padding values, int and float activation range
          .op_data_bytes = [](size_t p) { return model::StructBytes(p, 0, 6 + 4); },
          .persistent_arrays = &model::NoPersistentArrays,
          .scratch_bytes = &model::NoScratch,
          .output_aliases_input = false};
}

const model::OpDescriptor kAveragePool2D{
    .type = model::OpType::kAveragePool2D,
    .name = "AVERAGE_POOL_2D",
    .read_options = &ReadPool2DOptions,
    .write_options = &WritePool2DOptions,
    .make_kernel = &MakeAveragePool2D,
    .version = &PoolVersion,
    // Averaging computes new values: it is not mere data movement for mixed precision.
    .quant = SharedOutputRule(/*moves_data=*/false),
    .arena = PoolArena(),
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddAveragePool2D",
};
const model::OpRegistration kAveragePoolRegistration(kAveragePool2D);

const model::OpDescriptor kMaxPool2D{
    .type = model::OpType::kMaxPool2D,
    .name = "MAX_POOL_2D",
    .read_options = &ReadPool2DOptions,
    .write_options = &WritePool2DOptions,
    .make_kernel = &MakeMaxPool2D,
    .version = &PoolVersion,
    .quant = SharedOutputRule(/*moves_data=*/true),
    .arena = PoolArena(),
    .macs = &model::NoMacs,
    .micro_resolver_call = "AddMaxPool2D",
};
const model::OpRegistration kMaxPoolRegistration(kMaxPool2D);

}  // namespace

}  // namespace harness::runtime::ops
