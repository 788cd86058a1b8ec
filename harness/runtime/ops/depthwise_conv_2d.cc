// DEPTHWISE_CONV_2D glue: checks the op, precomputes padding, activation range and
// per-channel requantization once, and runs the optimized kernels (float, int8, int16x8, hybrid;
// the dispatch chooses the variant) or the reference kernels (when the reference is selected).
#include <string>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/conv_common.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/optimized/depthwise_conv.h"
#include "kernels/optimized/depthwise_conv_int16.h"
#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/hybrid_depthwise.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/reference/depthwise_conv_int16.h"

namespace harness::runtime::ops {
namespace {

namespace ref = kernels::reference;
namespace opt = kernels::optimized;

// The filter is [1, H, W, C * M]: its output channels, and the per-axis scales, are dimension 3.
constexpr int kChannelDim = 3;

class DepthwiseConv2DKernel final : public OpKernel {
 public:
  explicit DepthwiseConv2DKernel(const OpContext& ctx) {
    ctx.ExpectCounts(2, 3, 1);
    const auto& options = ctx.options<model::DepthwiseConv2DOptions>();
    kind_ = ClassifyTypes(ctx);
    ExpectClampActivation(ctx, options.activation);
    const model::Tensor& input = ctx.input(0);
    const model::Tensor& filter = ctx.input(1);
    const model::Tensor& output = ctx.output(0);
    ctx.ExpectRank(input, 4, "input");
    ctx.ExpectRank(filter, 4, "filter");
    ctx.ExpectRank(output, 4, "output");
    input_ = ctx.input_index(0);
    output_ = ctx.output_index(0);
    input_shape_ = ShapeOf(input);
    filter_shape_ = ShapeOf(filter);
    output_shape_ = ShapeOf(output);
    CheckGeometry(ctx, options);
    const int32_t channels = filter.shape[kChannelDim];
    variant_ = opt::SelectedVariant();
    // The optimized kernels cover every kind.
    optimized_ = variant_ != opt::KernelVariant::kReference &&
                 (kind_ == WeightedOpKind::kFloat || kind_ == WeightedOpKind::kInt8 ||
                  kind_ == WeightedOpKind::kInt16x8 || kind_ == WeightedOpKind::kHybrid);

    switch (kind_) {
      case WeightedOpKind::kFloat: {
        const FloatActivationRange range = FloatRange(options.activation);
        params_.float_activation_min = range.min;
        params_.float_activation_max = range.max;
        filter_ = ConstantInput<float>(ctx, 1, "filter");
        bias_ = OptionalBias(ctx, model::DataType::kFloat32, channels);
        break;
      }
      case WeightedOpKind::kInt8: {
        const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(input, "input");
        const auto [output_scale, output_zero_point] = ctx.PerTensorQuantization(output, "output");
        const FilterQuantization fq = FilterQuantizationOf(ctx, channels, kChannelDim, false);
        multipliers_ = ComputeChannelMultipliers(ctx, input_scale, fq.channel_scales, output_scale);
        params_.input_offset = -input_zero_point;
        params_.output_offset = output_zero_point;
        const IntActivationRange range =
            QuantizedRange(options.activation, output.type, output_scale, output_zero_point);
        params_.quantized_activation_min = range.min;
        params_.quantized_activation_max = range.max;
        filter_ = ConstantInput<int8_t>(ctx, 1, "filter");
        bias_ = OptionalBias(ctx, model::DataType::kInt32, channels);
        if (optimized_) {
          packed_ = opt::PackDepthwiseInt8(
              static_cast<const int8_t*>(filter_), filter_shape_.dim(1) * filter_shape_.dim(2),
              channels, static_cast<const int32_t*>(bias_), multipliers_.multipliers.data(),
              multipliers_.shifts.data());
        }
        break;
      }
      case WeightedOpKind::kHybrid: {
        const FloatActivationRange range = FloatRange(options.activation);
        params_.float_activation_min = range.min;
        params_.float_activation_max = range.max;
        // TFLite's hybrid depthwise always reads one scale per channel; a per-tensor scale is
        // broadcast, which gives the same products.
        filter_scales_ = FilterQuantizationOf(ctx, channels, kChannelDim, false).channel_scales;
        filter_ = ConstantInput<int8_t>(ctx, 1, "filter");
        bias_ = OptionalBias(ctx, model::DataType::kFloat32, channels);
        if (optimized_) {
          packed_hybrid_ = opt::PackHybridDepthwise(
              static_cast<const int8_t*>(filter_), filter_shape_.dim(1) * filter_shape_.dim(2),
              channels, static_cast<const float*>(bias_),
              ref::FilterScales{filter_scales_.data(), /*per_channel=*/true});
        }
        break;
      }
      case WeightedOpKind::kInt16x8: {
        const float input_scale = SymmetricInt16Scale(ctx, input, "input");
        const float output_scale = SymmetricInt16Scale(ctx, output, "output");
        const FilterQuantization fq = FilterQuantizationOf(ctx, channels, kChannelDim, false);
        multipliers_ = ComputeChannelMultipliers(ctx, input_scale, fq.channel_scales, output_scale);
        const IntActivationRange range =
            QuantizedRange(options.activation, output.type, output_scale, 0);
        params_.quantized_activation_min = range.min;
        params_.quantized_activation_max = range.max;
        filter_ = ConstantInput<int8_t>(ctx, 1, "filter");
        // TFLite-Micro's 16x8 depthwise kernel reads its bias as int64 only.
        bias_ = OptionalInt16x8Bias(ctx, channels, /*allow_int32=*/false).int64;
        if (optimized_) {
          packed_int16_ = opt::PackDepthwiseInt16x8(
              static_cast<const int8_t*>(filter_), filter_shape_.dim(1) * filter_shape_.dim(2),
              channels, static_cast<const int64_t*>(bias_), multipliers_.multipliers.data(),
              multipliers_.shifts.data());
        }
        break;
      }
    }
  }

  size_t ScratchBytes() const override {
    if (kind_ != WeightedOpKind::kHybrid) return 0;
    return ref::HybridScratchBytes(input_shape_.dim(0),
                                   static_cast<int>(input_shape_.FlatSizeSkipDim(0)));
  }

  void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const override {
    if (optimized_ && kind_ == WeightedOpKind::kInt8) {
      opt::DepthwiseConvPerChannel(variant_, params_, packed_, input_shape_,
                                   tensors.in<int8_t>(input_), filter_shape_, output_shape_,
                                   tensors.out<int8_t>(output_));
      return;
    }
    if (optimized_ && kind_ == WeightedOpKind::kFloat) {
      opt::DepthwiseConv(variant_, params_, input_shape_, tensors.in<float>(input_), filter_shape_,
                         static_cast<const float*>(filter_), static_cast<const float*>(bias_),
                         output_shape_, tensors.out<float>(output_));
      return;
    }
    if (optimized_ && kind_ == WeightedOpKind::kInt16x8) {
      opt::DepthwiseConvPerChannelInt16x8(variant_, params_, packed_int16_, input_shape_,
                                          tensors.in<int16_t>(input_), filter_shape_,
                                          output_shape_, tensors.out<int16_t>(output_));
      return;
    }
    if (optimized_ && kind_ == WeightedOpKind::kHybrid) {
      // The reference's scratch layout: the quantized input and the per-batch parameters.
      const ref::HybridScratch parts = ref::HybridScratchAt(
          scratch.data(), input_shape_.dim(0), static_cast<int>(input_shape_.FlatSizeSkipDim(0)));
      opt::HybridDepthwiseConv(variant_, params_, packed_hybrid_, input_shape_,
                               tensors.in<float>(input_), filter_shape_, output_shape_,
                               tensors.out<float>(output_), parts);
      return;
    }
    switch (kind_) {
      case WeightedOpKind::kFloat:
        ref::DepthwiseConv(params_, input_shape_, tensors.in<float>(input_), filter_shape_,
                           static_cast<const float*>(filter_), static_cast<const float*>(bias_),
                           output_shape_, tensors.out<float>(output_));
        return;
      case WeightedOpKind::kInt8:
        ref::DepthwiseConvPerChannel(
            params_, multipliers_.multipliers.data(), multipliers_.shifts.data(), input_shape_,
            tensors.in<int8_t>(input_), filter_shape_, static_cast<const int8_t*>(filter_),
            static_cast<const int32_t*>(bias_), output_shape_, tensors.out<int8_t>(output_));
        return;
      case WeightedOpKind::kHybrid: {
        const ref::FilterScales scales{filter_scales_.data(), /*per_channel=*/true};
        const ref::HybridScratch parts = ref::HybridScratchAt(
            scratch.data(), input_shape_.dim(0), static_cast<int>(input_shape_.FlatSizeSkipDim(0)));
        ref::HybridDepthwiseConv(params_, scales, input_shape_, tensors.in<float>(input_),
                                 filter_shape_, static_cast<const int8_t*>(filter_),
                                 static_cast<const float*>(bias_), output_shape_,
                                 tensors.out<float>(output_), parts);
        return;
      }
      case WeightedOpKind::kInt16x8:
        ref::DepthwiseConvPerChannel(
            params_, multipliers_.multipliers.data(), multipliers_.shifts.data(), input_shape_,
            tensors.in<int16_t>(input_), filter_shape_, static_cast<const int8_t*>(filter_),
            static_cast<const int64_t*>(bias_), output_shape_, tensors.out<int16_t>(output_));
        return;
    }
  }

 private:
  // Strides, dilation, the depth multiplier (output channels / input channels, which the
  // options must agree with when they give it) and the output shape of TFLite's padding rule.
  void CheckGeometry(const OpContext& ctx, const model::DepthwiseConv2DOptions& options) {
    if (options.stride_w < 1 || options.stride_h < 1 || options.dilation_w < 1 ||
        options.dilation_h < 1) {
      throw ctx.Fail("strides and dilation factors must be at least 1");
    }
    const int32_t input_depth = input_shape_.dim(3);
    const int32_t channels = filter_shape_.dim(kChannelDim);
    if (filter_shape_.dim(0) != 1 || input_depth < 1 || channels % input_depth != 0) {
      throw ctx.Fail("filter shape " + model::ShapeToString(ctx.input(1).shape) +
                     " does not match input depth " + std::to_string(input_depth));
    }
    const int32_t multiplier = channels / input_depth;
    if (options.depth_multiplier != 0 && options.depth_multiplier != multiplier) {
      throw ctx.Fail(
          "depth_multiplier " + std::to_string(options.depth_multiplier) +
          " does not match filter channels / input channels = " + std::to_string(multiplier));
    }
    params_.depth_multiplier = multiplier;
    params_.stride_width = options.stride_w;
    params_.stride_height = options.stride_h;
    params_.dilation_width = options.dilation_w;
    params_.dilation_height = options.dilation_h;
    const PaddedDim height =
        ComputePadding(options.padding, input_shape_.dim(1), filter_shape_.dim(1), options.stride_h,
                       options.dilation_h);
    const PaddedDim width =
        ComputePadding(options.padding, input_shape_.dim(2), filter_shape_.dim(2), options.stride_w,
                       options.dilation_w);
    params_.padding_height = height.padding;
    params_.padding_width = width.padding;
    const std::vector<int32_t> expected{input_shape_.dim(0), height.output, width.output, channels};
    if (ctx.output(0).shape != expected) {
      throw ctx.Fail("output tensor '" + ctx.output(0).name + "' has shape " +
                     model::ShapeToString(ctx.output(0).shape) + ", expected " +
                     model::ShapeToString(expected));
    }
  }

  WeightedOpKind kind_ = WeightedOpKind::kFloat;
  int32_t input_ = 0;
  int32_t output_ = 0;
  kernels::Shape input_shape_, filter_shape_, output_shape_;
  ref::DepthwiseParams params_;
  const void* filter_ = nullptr;
  const void* bias_ = nullptr;
  ChannelMultipliers multipliers_;
  std::vector<float> filter_scales_;
  opt::KernelVariant variant_ = opt::KernelVariant::kReference;
  bool optimized_ = false;
  opt::PackedDepthwiseInt8 packed_;
  opt::PackedDepthwiseInt16x8 packed_int16_;
  opt::PackedHybridDepthwise packed_hybrid_;
};

}  // namespace

std::unique_ptr<OpKernel> MakeDepthwiseConv2D(const model::Graph& graph, int op_index) {
  return std::make_unique<DepthwiseConv2DKernel>(OpContext(graph, op_index));
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadDepthwiseOptions(const fb::Operator& op, const std::string& place) {
  model::DepthwiseConv2DOptions options;
  if (const auto* o = model::OptionsAs<fb::DepthwiseConv2DOptions>(
          op, fb::BuiltinOptions::DepthwiseConv2DOptions, place)) {
    options.padding = model::ReadPadding(o->padding(), place);
    options.stride_w = o->stride_w();
    options.stride_h = o->stride_h();
    options.depth_multiplier = o->depth_multiplier();
    options.activation = model::ReadActivation(o->fused_activation_function(), place);
    options.dilation_w = o->dilation_w_factor();
    options.dilation_h = o->dilation_h_factor();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteDepthwiseOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::DepthwiseConv2DOptions>(op, place);
  return {fb::BuiltinOptions::DepthwiseConv2DOptions,
          fb::CreateDepthwiseConv2DOptions(
              builder, model::WritePadding(o.padding), o.stride_w, o.stride_h, o.depth_multiplier,
              model::WriteActivation(o.activation), o.dilation_w, o.dilation_h)
              .Union()};
}

// 16x8: TFLite's int16 branch (version 5) tests for an int16 filter; an int8 filter with int16
// activations gets the generic version.
int32_t DepthwiseVersion(const model::Graph& graph, const model::Op& op) {
  const WeightedOpTypes types = WeightedTypesOf(graph, op);
  if (types.hybrid()) return types.per_channel ? 6 : 4;
  if (types.int8()) return 3;
  const auto* options = op.options.get_if<model::DepthwiseConv2DOptions>();
  if (options != nullptr && (options->dilation_w != 1 || options->dilation_h != 1)) return 2;
  return 1;
}

// One MAC per spatial filter tap per output element: a 1HWC filter's channel dimension maps one
// to one to outputs.
int64_t DepthwiseMacs(const model::Graph& graph, const model::Op& op) {
  if (op.inputs.size() < 2 || op.inputs[1] < 0) return 0;
  const auto& s = graph.tensor(op.inputs[1]).shape;
  if (s.size() != 4) return 0;
  return OutputElements(graph, op) * int64_t{s[1]} * s[2];
}

const model::OpDescriptor kDepthwiseConv2D{
    .type = model::OpType::kDepthwiseConv2D,
    .name = "DEPTHWISE_CONV_2D",
    .read_options = &ReadDepthwiseOptions,
    .write_options = &WriteDepthwiseOptions,
    .make_kernel = &MakeDepthwiseConv2D,
    .version = &DepthwiseVersion,
    .quant = WeightedOpRule(/*per_channel_axis=*/3, /*per_channel_by_default=*/true),
    .arena = WeightedOpArena(),
    .macs = &DepthwiseMacs,
    .micro_resolver_call = "AddDepthwiseConv2D",
};
const model::OpRegistration kRegistration(kDepthwiseConv2D);

}  // namespace

}  // namespace harness::runtime::ops
