// CONV_2D glue: checks the op, precomputes padding, activation range and per-channel
// requantization once, packs the filter for the optimized kernels when the dispatch selects
// them (float, int8, int16x8 and hybrid, groups = 1), and runs them or the reference kernels
// (grouped).
#include <string>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/conv_common.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/optimized/conv.h"
#include "kernels/optimized/conv_int16.h"
#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/hybrid_conv.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/conv_int16.h"

namespace harness::runtime::ops {
namespace {

namespace ref = kernels::reference;
namespace opt = kernels::optimized;

class Conv2DKernel final : public OpKernel {
 public:
  explicit Conv2DKernel(const OpContext& ctx) {
    ctx.ExpectCounts(2, 3, 1);
    const auto& options = ctx.options<model::Conv2DOptions>();
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
    const int32_t channels = filter.shape[0];
    CheckGeometry(ctx, options);

    params_.stride_width = options.stride_w;
    params_.stride_height = options.stride_h;
    params_.dilation_width = options.dilation_w;
    params_.dilation_height = options.dilation_h;
    // The optimized kernels cover float, int8, int16x8 and hybrid (bit-identical to the
    // reference) without groups; the filter is packed once.
    const int32_t depth = filter_shape_.dim(1) * filter_shape_.dim(2) * filter_shape_.dim(3);
    variant_ = opt::SelectedVariant();
    optimized_ = variant_ != opt::KernelVariant::kReference &&
                 (kind_ == WeightedOpKind::kFloat || kind_ == WeightedOpKind::kInt8 ||
                  kind_ == WeightedOpKind::kInt16x8 || kind_ == WeightedOpKind::kHybrid) &&
                 filter_shape_.dim(3) == input_shape_.dim(3);

    switch (kind_) {
      case WeightedOpKind::kFloat: {
        const FloatActivationRange range = FloatRange(options.activation);
        params_.float_activation_min = range.min;
        params_.float_activation_max = range.max;
        filter_ = ConstantInput<float>(ctx, 1, "filter");
        bias_ = OptionalBias(ctx, model::DataType::kFloat32, channels);
        if (optimized_) {
          packed_float_ = opt::PackFloatWeights(static_cast<const float*>(filter_), channels,
                                                depth, static_cast<const float*>(bias_));
        }
        break;
      }
      case WeightedOpKind::kInt8: {
        const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(input, "input");
        const auto [output_scale, output_zero_point] = ctx.PerTensorQuantization(output, "output");
        const FilterQuantization fq = FilterQuantizationOf(ctx, channels, 0, false);
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
          packed_int8_ = opt::PackInt8Weights(
              static_cast<const int8_t*>(filter_), channels, depth,
              static_cast<const int32_t*>(bias_), params_.input_offset,
              multipliers_.multipliers.data(), multipliers_.shifts.data(), channels);
        }
        break;
      }
      case WeightedOpKind::kHybrid: {
        const FloatActivationRange range = FloatRange(options.activation);
        params_.float_activation_min = range.min;
        params_.float_activation_max = range.max;
        const FilterQuantization fq = FilterQuantizationOf(ctx, channels, 0, false);
        filter_scales_ = fq.channel_scales;
        // TFLite takes the per-channel path only when the channel scales actually differ.
        hybrid_per_channel_ = fq.scales_differ;
        filter_ = ConstantInput<int8_t>(ctx, 1, "filter");
        bias_ = OptionalBias(ctx, model::DataType::kFloat32, channels);
        if (optimized_) {
          packed_hybrid_ = opt::PackHybridConv(
              static_cast<const int8_t*>(filter_), filter_shape_, static_cast<const float*>(bias_),
              ref::FilterScales{filter_scales_.data(), hybrid_per_channel_});
        }
        break;
      }
      case WeightedOpKind::kInt16x8: {
        const float input_scale = SymmetricInt16Scale(ctx, input, "input");
        const float output_scale = SymmetricInt16Scale(ctx, output, "output");
        const FilterQuantization fq = FilterQuantizationOf(ctx, channels, 0, false);
        multipliers_ = ComputeChannelMultipliers(ctx, input_scale, fq.channel_scales, output_scale);
        const IntActivationRange range =
            QuantizedRange(options.activation, output.type, output_scale, 0);
        params_.quantized_activation_min = range.min;
        params_.quantized_activation_max = range.max;
        filter_ = ConstantInput<int8_t>(ctx, 1, "filter");
        wide_bias_ = OptionalInt16x8Bias(ctx, channels, /*allow_int32=*/true);
        if (optimized_) {
          // The bias type chooses the requantization as in the reference (int64 bias: int64).
          packed_int16_ = opt::PackInt16x8Weights(
              static_cast<const int8_t*>(filter_), channels, depth, 0, wide_bias_.int64,
              wide_bias_.int32, wide_bias_.int64 != nullptr, multipliers_.multipliers.data(),
              multipliers_.shifts.data(), channels);
        }
        break;
      }
    }
  }

  size_t ScratchBytes() const override {
    if (optimized_ && kind_ == WeightedOpKind::kInt16x8) {
      return opt::ConvInt16x8ScratchBytes(filter_shape_);
    }
    if (optimized_ && kind_ == WeightedOpKind::kHybrid) {
      return opt::HybridConvScratchBytes(packed_hybrid_, input_shape_);
    }
    if (optimized_) {
      return kind_ == WeightedOpKind::kInt8 ? opt::ConvInt8ScratchBytes(filter_shape_)
                                            : opt::ConvFloatScratchBytes(filter_shape_);
    }
    if (kind_ != WeightedOpKind::kHybrid) return 0;
    return ref::HybridScratchBytes(input_shape_.dim(0),
                                   static_cast<int>(input_shape_.FlatSizeSkipDim(0)));
  }

  void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const override {
    if (optimized_ && kind_ == WeightedOpKind::kInt8) {
      opt::ConvPerChannel(variant_, params_, packed_int8_, input_shape_, tensors.in<int8_t>(input_),
                          filter_shape_, output_shape_, tensors.out<int8_t>(output_),
                          scratch.data());
      return;
    }
    if (optimized_ && kind_ == WeightedOpKind::kFloat) {
      opt::Conv(variant_, params_, packed_float_, input_shape_, tensors.in<float>(input_),
                filter_shape_, output_shape_, tensors.out<float>(output_), scratch.data());
      return;
    }
    if (optimized_ && kind_ == WeightedOpKind::kInt16x8) {
      opt::ConvPerChannelInt16x8(variant_, params_, packed_int16_, input_shape_,
                                 tensors.in<int16_t>(input_), filter_shape_, output_shape_,
                                 tensors.out<int16_t>(output_), scratch.data());
      return;
    }
    if (optimized_ && kind_ == WeightedOpKind::kHybrid) {
      opt::HybridConv(variant_, params_, packed_hybrid_, input_shape_, tensors.in<float>(input_),
                      filter_shape_, output_shape_, tensors.out<float>(output_), scratch.data());
      return;
    }
    switch (kind_) {
      case WeightedOpKind::kFloat:
        ref::Conv(params_, input_shape_, tensors.in<float>(input_), filter_shape_,
                  static_cast<const float*>(filter_), static_cast<const float*>(bias_),
                  output_shape_, tensors.out<float>(output_));
        return;
      case WeightedOpKind::kInt8:
        ref::ConvPerChannel(params_, multipliers_.multipliers.data(), multipliers_.shifts.data(),
                            input_shape_, tensors.in<int8_t>(input_), filter_shape_,
                            static_cast<const int8_t*>(filter_), static_cast<const int32_t*>(bias_),
                            output_shape_, tensors.out<int8_t>(output_));
        return;
      case WeightedOpKind::kHybrid: {
        const ref::FilterScales scales{filter_scales_.data(), hybrid_per_channel_};
        const ref::HybridScratch parts = ref::HybridScratchAt(
            scratch.data(), input_shape_.dim(0), static_cast<int>(input_shape_.FlatSizeSkipDim(0)));
        ref::HybridConv(params_, scales, input_shape_, tensors.in<float>(input_), filter_shape_,
                        static_cast<const int8_t*>(filter_), static_cast<const float*>(bias_),
                        output_shape_, tensors.out<float>(output_), parts);
        return;
      }
      case WeightedOpKind::kInt16x8: {
        // As TFLite-Micro: an int64 bias takes the int64 accumulator, an int32 bias or none
        // the int32 one.
        const auto* filter = static_cast<const int8_t*>(filter_);
        if (wide_bias_.int64) {
          ref::ConvPerChannel(params_, multipliers_.multipliers.data(), multipliers_.shifts.data(),
                              input_shape_, tensors.in<int16_t>(input_), filter_shape_, filter,
                              wide_bias_.int64, output_shape_, tensors.out<int16_t>(output_));
        } else {
          ref::ConvPerChannel(params_, multipliers_.multipliers.data(), multipliers_.shifts.data(),
                              input_shape_, tensors.in<int16_t>(input_), filter_shape_, filter,
                              wide_bias_.int32, output_shape_, tensors.out<int16_t>(output_));
        }
        return;
      }
    }
  }

 private:
  // Strides, dilation, channel counts (grouped convolution allowed) and the output shape that
  // TFLite's padding rule gives; sets the leading padding.
  void CheckGeometry(const OpContext& ctx, const model::Conv2DOptions& options) {
    if (options.stride_w < 1 || options.stride_h < 1 || options.dilation_w < 1 ||
        options.dilation_h < 1) {
      throw ctx.Fail("strides and dilation factors must be at least 1");
    }
    const int32_t input_depth = input_shape_.dim(3);
    const int32_t filter_depth = filter_shape_.dim(3);
    const int32_t channels = filter_shape_.dim(0);
    if (input_depth < 1 || filter_depth < 1 || input_depth % filter_depth != 0 ||
        channels % (input_depth / filter_depth) != 0) {
      throw ctx.Fail("filter shape " + model::ShapeToString(ctx.input(1).shape) +
                     " does not match input depth " + std::to_string(input_depth));
    }
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
  ref::ConvParams params_;
  const void* filter_ = nullptr;
  const void* bias_ = nullptr;
  Int16x8Bias wide_bias_;
  ChannelMultipliers multipliers_;
  std::vector<float> filter_scales_;
  bool hybrid_per_channel_ = false;
  opt::KernelVariant variant_ = opt::KernelVariant::kReference;
  bool optimized_ = false;
  opt::PackedInt8Weights packed_int8_;
  opt::PackedFloatWeights packed_float_;
  opt::PackedInt16x8Weights packed_int16_;
  opt::PackedHybridConv packed_hybrid_;
};

}  // namespace

std::unique_ptr<OpKernel> MakeConv2D(const model::Graph& graph, int op_index) {
  return std::make_unique<Conv2DKernel>(OpContext(graph, op_index));
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadConv2DOptions(const fb::Operator& op, const std::string& place) {
  model::Conv2DOptions options;
  if (const auto* o =
          model::OptionsAs<fb::Conv2DOptions>(op, fb::BuiltinOptions::Conv2DOptions, place)) {
    options.padding = model::ReadPadding(o->padding(), place);
    options.stride_w = o->stride_w();
    options.stride_h = o->stride_h();
    options.activation = model::ReadActivation(o->fused_activation_function(), place);
    options.dilation_w = o->dilation_w_factor();
    options.dilation_h = o->dilation_h_factor();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteConv2DOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::Conv2DOptions>(op, place);
  return {fb::BuiltinOptions::Conv2DOptions,
          fb::CreateConv2DOptions(builder, model::WritePadding(o.padding), o.stride_w, o.stride_h,
                                  model::WriteActivation(o.activation), o.dilation_w, o.dilation_h)
              .Union()};
}

// 16x8: TFLite's int16 branch (version 4) tests for an int16 *filter* (16x16), and its
// quantized_bias_type branch (8) needs that option set, which the IR does not hold and the
// writer does not write; an int8 filter with int16 activations falls through to version 1.
int32_t Conv2DVersion(const model::Graph& graph, const model::Op& op) {
  const WeightedOpTypes types = WeightedTypesOf(graph, op);
  if (types.int8()) return 3;
  if (types.hybrid()) return types.per_channel ? 5 : 2;
  return 1;
}

int64_t Conv2DMacs(const model::Graph& graph, const model::Op& op) {
  if (op.inputs.size() < 2 || op.inputs[1] < 0) return 0;
  const auto& s = graph.tensor(op.inputs[1]).shape;  // OHWI
  if (s.size() != 4) return 0;
  return OutputElements(graph, op) * int64_t{s[1]} * s[2] * s[3];
}

const model::OpDescriptor kConv2D{
    .type = model::OpType::kConv2D,
    .name = "CONV_2D",
    .read_options = &ReadConv2DOptions,
    .write_options = &WriteConv2DOptions,
    .make_kernel = &MakeConv2D,
    .version = &Conv2DVersion,
    .quant = WeightedOpRule(/*per_channel_axis=*/0, /*per_channel_by_default=*/true),
    .arena = WeightedOpArena(),
    .macs = &Conv2DMacs,
    .micro_resolver_call = "AddConv2D",
};
const model::OpRegistration kRegistration(kConv2D);

}  // namespace

}  // namespace harness::runtime::ops
