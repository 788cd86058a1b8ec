// TRANSPOSE_CONV: float32, int8 (per-channel int8 filter, int32 bias) and int16x8 (int64 or int16
// bias), as TFLite-Micro runs it: the output shape is the output tensor's (TFLite-Micro ignores
// the output-shape input 0, which may even be a graph input), the padding is computed as for a
// conv from the output to the input, and the per-channel multipliers once here. The op's
// descriptor registers it in the op table.
#include "harness/runtime/ops/transpose_conv.h"

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/broadcast.h"
#include "harness/runtime/ops/conv_common.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "kernels/reference/transpose_conv.h"

namespace harness::runtime::ops {
namespace {

namespace fb = ::tflite;
namespace ref = kernels::reference;

constexpr size_t kOutputShape = 0, kFilter = 1, kInput = 2, kBias = 3;

struct Tensors {
  int32_t input = 0, filter = 0, output = 0;
  kernels::Shape input_shape, filter_shape, output_shape;
};

class FloatKernel final : public OpKernel {
 public:
  FloatKernel(const ref::TransposeConvParams& params, const Tensors& t, const float* bias)
      : params_(params), t_(t), bias_(bias) {}
  void Eval(const TensorPointers& tensors, std::span<std::byte> /*scratch*/) const override {
    ref::TransposeConv(params_, t_.input_shape, tensors.in<float>(t_.input), t_.filter_shape,
                       tensors.in<float>(t_.filter), bias_, t_.output_shape,
                       tensors.out<float>(t_.output));
  }

 private:
  ref::TransposeConvParams params_;
  Tensors t_;
  const float* bias_;
};

// T: int8_t with int32 accumulators and bias, or int16_t with int64 ones.
template <class T, class Acc>
class QuantizedKernel final : public OpKernel {
 public:
  QuantizedKernel(const ref::TransposeConvParams& params, const Tensors& t,
                  ChannelMultipliers multipliers, std::vector<Acc> bias)
      : params_(params), t_(t), multipliers_(std::move(multipliers)), bias_(std::move(bias)) {}
  size_t ScratchBytes() const override {
    return static_cast<size_t>(t_.output_shape.FlatSize()) * sizeof(Acc);
  }
  void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const override {
    ref::TransposeConvPerChannel(
        params_, multipliers_.multipliers.data(), multipliers_.shifts.data(), t_.input_shape,
        tensors.in<T>(t_.input), t_.filter_shape, tensors.in<int8_t>(t_.filter),
        bias_.empty() ? nullptr : bias_.data(), t_.output_shape, tensors.out<T>(t_.output),
        reinterpret_cast<Acc*>(scratch.data()));
  }

 private:
  ref::TransposeConvParams params_;
  Tensors t_;
  ChannelMultipliers multipliers_;
  std::vector<Acc> bias_;  // widened once (an int16 bias, as TFLite-Micro converts it)
};

// The bias (input 3) as Acc values; empty without one. `allowed` lists the stored types.
template <class Acc>
std::vector<Acc> ReadBias(const OpContext& ctx, int channels,
                          std::initializer_list<model::DataType> allowed) {
  if (!ctx.has_input(kBias)) return {};
  const model::Tensor& bias = ctx.input(kBias);
  bool ok = false;
  std::string names;
  for (model::DataType type : allowed) {
    ok |= bias.type == type;
    names += std::string(names.empty() ? "" : " or ") + model::ToString(type);
  }
  if (!ok) {
    throw ctx.Fail("bias tensor '" + bias.name + "' has type " + model::ToString(bias.type) +
                   ", expected " + names);
  }
  if (model::ElementCount(bias.shape) != channels) {
    throw ctx.Fail("bias tensor '" + bias.name + "' has shape " + model::ShapeToString(bias.shape) +
                   ", expected " + std::to_string(channels) + " elements (one per output channel)");
  }
  const std::vector<uint8_t>& bytes = ctx.ConstantData(kBias, "bias");
  std::vector<Acc> values(static_cast<size_t>(channels));
  for (size_t c = 0; c < values.size(); ++c) {
    switch (bias.type) {
      case model::DataType::kInt16: {
        int16_t v = 0;
        std::memcpy(&v, bytes.data() + c * sizeof(v), sizeof(v));
        values[c] = v;
        break;
      }
      case model::DataType::kInt32: {
        int32_t v = 0;
        std::memcpy(&v, bytes.data() + c * sizeof(v), sizeof(v));
        values[c] = static_cast<Acc>(v);
        break;
      }
      default: {  // kInt64
        int64_t v = 0;
        std::memcpy(&v, bytes.data() + c * sizeof(v), sizeof(v));
        values[c] = static_cast<Acc>(v);
      }
    }
  }
  return values;
}

// Shapes, counts, strides and the output-shape input; fills the padding.
Tensors CheckShapes(const OpContext& ctx, const TransposeConvOptions& options,
                    ref::TransposeConvParams& params) {
  ctx.ExpectCounts(3, 4, 1);
  Tensors t;
  t.input = ctx.input_index(kInput);
  t.filter = ctx.input_index(kFilter);
  t.output = ctx.output_index(0);
  const model::Tensor& input = ctx.input(kInput);
  const model::Tensor& filter = ctx.input(kFilter);
  const model::Tensor& output = ctx.output(0);
  ctx.ExpectRank(input, 4, "input");
  ctx.ExpectRank(filter, 4, "filter");
  ctx.ExpectRank(output, 4, "output");
  t.input_shape = ShapeOf(input);
  t.filter_shape = ShapeOf(filter);
  t.output_shape = ShapeOf(output);
  if (input.shape[3] != filter.shape[3] || output.shape[3] != filter.shape[0] ||
      input.shape[0] != output.shape[0]) {
    throw ctx.Fail("input " + model::ShapeToString(input.shape) + ", filter " +
                   model::ShapeToString(filter.shape) + " [out, h, w, in] and output " +
                   model::ShapeToString(output.shape) + " do not match");
  }
  if (options.stride_w < 1 || options.stride_h < 1) {
    throw ctx.Fail("strides " + std::to_string(options.stride_h) + "x" +
                   std::to_string(options.stride_w) + " must be at least 1");
  }
  // TFLite-Micro never reads input 0; a constant one must still say what the output holds.
  const model::Tensor& shape = ctx.input(kOutputShape);
  if (shape.is_constant()) {
    if (shape.type != model::DataType::kInt32 || model::ElementCount(shape.shape) != 4) {
      throw ctx.Fail("output-shape tensor '" + shape.name + "' is not an INT32 vector of 4");
    }
    std::vector<int32_t> values(4);
    std::memcpy(values.data(), ctx.ConstantData(kOutputShape, "output shape").data(), 16);
    if (values != output.shape) {
      throw ctx.Fail("output-shape tensor '" + shape.name + "' holds " +
                     model::ShapeToString(values) + " but output tensor '" + output.name +
                     "' has shape " + model::ShapeToString(output.shape));
    }
  }
  params.stride_height = options.stride_h;
  params.stride_width = options.stride_w;
  params.pad_height =
      ComputePadding(options.padding, output.shape[1], filter.shape[1], options.stride_h, 1)
          .padding;
  params.pad_width =
      ComputePadding(options.padding, output.shape[2], filter.shape[2], options.stride_w, 1)
          .padding;
  return t;
}

std::unique_ptr<OpKernel> MakeTransposeConv(const model::Graph& graph, int op_index) {
  const OpContext ctx(graph, op_index);
  const auto& options = ctx.options<TransposeConvOptions>();
  ExpectClampActivation(ctx, options.activation);
  ref::TransposeConvParams params;
  const Tensors t = CheckShapes(ctx, options, params);
  const model::DataType in = ctx.input(kInput).type;
  const model::DataType w = ctx.input(kFilter).type;
  const model::DataType out = ctx.output(0).type;
  const int channels = t.filter_shape.dim(0);

  if (in == model::DataType::kFloat32 && w == model::DataType::kFloat32 &&
      out == model::DataType::kFloat32) {
    const FloatActivationRange range = FloatRange(options.activation);
    params.float_activation_min = range.min;
    params.float_activation_max = range.max;
    const void* bias = nullptr;
    if (ctx.has_input(kBias)) {
      ctx.ExpectType(ctx.input(kBias), model::DataType::kFloat32, "bias");
      if (model::ElementCount(ctx.input(kBias).shape) != channels) {
        throw ctx.Fail("bias tensor '" + ctx.input(kBias).name + "' has shape " +
                       model::ShapeToString(ctx.input(kBias).shape) + ", expected " +
                       std::to_string(channels) + " elements");
      }
      bias = ctx.ConstantData(kBias, "bias").data();
    }
    return std::make_unique<FloatKernel>(params, t, static_cast<const float*>(bias));
  }
  if (in == model::DataType::kFloat32 && w == model::DataType::kInt8) {
    throw ctx.Fail(
        "a float input with int8 weights is a hybrid model, which TFLite-Micro's "
        "TRANSPOSE_CONV does not run; quantize the activations too");
  }
  const bool int8 = in == model::DataType::kInt8 && out == model::DataType::kInt8;
  const bool int16 = in == model::DataType::kInt16 && out == model::DataType::kInt16;
  if (w != model::DataType::kInt8 || (!int8 && !int16)) throw UnsupportedTypes(ctx);

  const FilterQuantization fq = FilterQuantizationOf(ctx, channels, 0, false);
  float input_scale = 0.0f, output_scale = 0.0f;
  int32_t output_zero_point = 0;
  if (int8) {
    const auto [s_in, z_in] = ctx.PerTensorQuantization(ctx.input(kInput), "input");
    const auto [s_out, z_out] = ctx.PerTensorQuantization(ctx.output(0), "output");
    input_scale = s_in;
    output_scale = s_out;
    output_zero_point = z_out;
    params.input_offset = -z_in;
    params.output_offset = z_out;
  } else {
    input_scale = SymmetricInt16Scale(ctx, ctx.input(kInput), "input");
    output_scale = SymmetricInt16Scale(ctx, ctx.output(0), "output");
  }
  const IntActivationRange range =
      QuantizedRange(options.activation, out, output_scale, output_zero_point);
  params.activation_min = range.min;
  params.activation_max = range.max;
  // Refuses a channel whose multiplier the kernels cannot apply, naming it.
  ChannelMultipliers multipliers =
      ComputeChannelMultipliers(ctx, input_scale, fq.channel_scales, output_scale);
  if (int8) {
    return std::make_unique<QuantizedKernel<int8_t, int32_t>>(
        params, t, std::move(multipliers),
        ReadBias<int32_t>(ctx, channels, {model::DataType::kInt32}));
  }
  // 16x8: an int64 bias, or an int16 one that TFLite-Micro widens (an int32 one it would misread).
  return std::make_unique<QuantizedKernel<int16_t, int64_t>>(
      params, t, std::move(multipliers),
      ReadBias<int64_t>(ctx, channels, {model::DataType::kInt64, model::DataType::kInt16}));
}

model::OpOptions ReadTransposeConvOptions(const fb::Operator& op, const std::string& place) {
  TransposeConvOptions options;
  if (const auto* o = model::OptionsAs<fb::TransposeConvOptions>(
          op, fb::BuiltinOptions::TransposeConvOptions, place)) {
    options.padding = model::ReadPadding(o->padding(), place);
    options.stride_w = o->stride_w();
    options.stride_h = o->stride_h();
    options.activation = model::ReadActivation(o->fused_activation_function(), place);
    options.quantized_bias_type = static_cast<int8_t>(o->quantized_bias_type());
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteTransposeConvOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<TransposeConvOptions>(op, place);
  return {fb::BuiltinOptions::TransposeConvOptions,
          fb::CreateTransposeConvOptions(builder, model::WritePadding(o.padding), o.stride_w,
                                         o.stride_h, model::WriteActivation(o.activation),
                                         static_cast<fb::TensorType>(o.quantized_bias_type))
              .Union()};
}

// TFLite's op_version.cc, literally: 5 with quantized_bias_type when inputs 0 (the output
// shape, in practice INT32) and 1 are INT16 and INT8 and the output INT16; 4 with a fused
// activation; 3 with a bias; 2 for an int8 filter; else 1.
int32_t TransposeConvVersion(const model::Graph& graph, const model::Op& op) {
  TransposeConvOptions o;
  if (const auto* held = op.options.get_if<TransposeConvOptions>()) o = *held;
  const bool int8_filter = InputType(graph, op, kFilter) == model::DataType::kInt8;
  if (InputType(graph, op, 0) == model::DataType::kInt16 && int8_filter &&
      OutputType(graph, op) == model::DataType::kInt16 && o.quantized_bias_type != 0) {
    return 5;
  }
  if (o.activation != model::Activation::kNone) return 4;
  if (op.inputs.size() > kBias && op.inputs[kBias] != model::kNoTensor) return 3;
  return int8_filter ? 2 : 1;
}

// Every input element reaches filter_height * filter_width * output_channels outputs.
int64_t TransposeConvMacs(const model::Graph& graph, const model::Op& op) {
  if (op.inputs.size() <= kInput) return 0;
  const auto& filter = graph.tensor(op.inputs[kFilter]).shape;
  if (filter.size() != 4) return 0;
  return model::ElementCount(graph.tensor(op.inputs[kInput]).shape) * filter[0] * filter[1] *
         filter[2];
}

// Int8 kernels sum in an int32 scratch buffer of one entry per output element, int16x8 ones in
// int64 (plus the widened copy of an int16 bias).
size_t TransposeConvScratch(const model::Graph& graph, const model::Op& op) {
  const model::DataType in = InputType(graph, op, kInput);
  const auto outputs = static_cast<size_t>(OutputElements(graph, op));
  if (in == model::DataType::kInt8) return outputs * 4;
  if (in != model::DataType::kInt16) return 0;
  size_t bytes = outputs * 8;
  if (op.inputs.size() > kBias && op.inputs[kBias] != model::kNoTensor &&
      graph.tensor(op.inputs[kBias]).type == model::DataType::kInt16) {
    bytes += static_cast<size_t>(model::ElementCount(graph.tensor(op.inputs[kBias]).shape)) * 8;
  }
  return bytes;
}

const model::OpDescriptor kDescriptor{
    .type = kTransposeConv,
    .name = "TRANSPOSE_CONV",
    .read_options = &ReadTransposeConvOptions,
    .write_options = &WriteTransposeConvOptions,
    .make_kernel = &MakeTransposeConv,
    .version = &TransposeConvVersion,
    // Filter [out, h, w, in], per channel along its output channels; bias input 3; no hybrid.
    .quant = {.weights = model::WeightRule{.activation_input = kInput,
                                           .filter_input = kFilter,
                                           .bias_input = kBias,
                                           .per_channel_axis = 0,
                                           .per_channel_by_default = true,
                                           .hybrid = false},
              .output = model::OutputParams::kOwn,
              .fixed_int8 = std::nullopt,
              .fixed_int16 = std::nullopt,
              .inputs_share_output_params = false,
              .int16x8 = true,
              .moves_data = false},
    // TfLiteTransposeConvParams (five fields); OpData: ConvParams (56 bytes), two scratch indices
    // and the two per-channel pointers; Prepare's per-channel multipliers and shifts.
    .arena = {.builtin_data_bytes = 20,
              .op_data_bytes = [](size_t p) { return model::StructBytes(p, 2, 16); },
              .persistent_arrays =
                  [](const model::Graph& graph, const model::Op& op) {
                    const size_t bytes = 4 * OutputChannels(graph, op);
                    return std::vector<size_t>{bytes, bytes};
                  },
              .scratch_bytes = &TransposeConvScratch,
              .output_aliases_input = false},
    .macs = &TransposeConvMacs,
    .micro_resolver_call = "AddTransposeConv",
};
const model::OpRegistration kRegistration(kDescriptor);

}  // namespace
}  // namespace harness::runtime::ops
