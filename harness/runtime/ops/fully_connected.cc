// FULLY_CONNECTED glue: checks the op, precomputes the requantization once, packs the weights
// for the optimized kernels when the dispatch selects them (float; int8 with symmetric weights;
// int16x8) and runs them, or the reference kernels (hybrid, int8 with a filter zero point). The
// input is read as [batches, in] with in = filter dimension 1; keep_num_dims only shapes the
// output.
#include "kernels/reference/fully_connected.h"
#include "kernels/reference/fully_connected_int16.h"

#include <string>
#include <vector>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/conv_common.h"
#include "harness/runtime/ops/descriptor_util.h"
#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"
#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/fully_connected.h"
#include "kernels/optimized/fully_connected_int16.h"
#include "kernels/optimized/hybrid_fully_connected.h"

namespace harness::runtime::ops {
namespace {

namespace ref = kernels::reference;
namespace opt = kernels::optimized;

class FullyConnectedKernel final : public OpKernel {
 public:
  explicit FullyConnectedKernel(const OpContext& ctx) {
    ctx.ExpectCounts(2, 3, 1);
    const auto& options = ctx.options<model::FullyConnectedOptions>();
    kind_ = ClassifyTypes(ctx);
    ExpectClampActivation(ctx, options.activation);
    const model::Tensor& input = ctx.input(0);
    const model::Tensor& filter = ctx.input(1);
    const model::Tensor& output = ctx.output(0);
    ctx.ExpectRank(filter, 2, "filter");
    input_ = ctx.input_index(0);
    output_ = ctx.output_index(0);
    CheckShapes(ctx);
    const int32_t units = filter.shape[0];
    const int32_t depth = filter.shape[1];
    variant_ = opt::SelectedVariant();
    // The optimized kernels cover every kind (hybrid: the same int32 dot products and the
    // reference's float epilogue, bit-identical).
    optimized_ = variant_ != opt::KernelVariant::kReference;

    switch (kind_) {
      case WeightedOpKind::kFloat: {
        SetFloatRange(options.activation);
        filter_ = ConstantInput<float>(ctx, 1, "filter");
        bias_ = OptionalBias(ctx, model::DataType::kFloat32, units);
        if (optimized_) {
          packed_float_ = opt::PackFloatWeights(static_cast<const float*>(filter_), units, depth,
                                                static_cast<const float*>(bias_));
        }
        break;
      }
      case WeightedOpKind::kInt8: {
        const auto [input_scale, input_zero_point] = ctx.PerTensorQuantization(input, "input");
        const auto [output_scale, output_zero_point] = ctx.PerTensorQuantization(output, "output");
        // Per-tensor weights may carry a zero point (TFLite-Micro subtracts it as
        // filter_offset); per-channel weights must be symmetric.
        const FilterQuantization fq = FilterQuantizationOf(ctx, units, 0, true);
        per_channel_ = fq.per_axis;
        // TFLite-Micro derives the two multipliers differently (see conv_common.h).
        multipliers_ =
            per_channel_
                ? ComputeChannelMultipliers(ctx, input_scale, fq.channel_scales, output_scale)
                : ComputePerTensorMultiplier(ctx, input_scale, fq.channel_scales[0], output_scale);
        params_.input_offset = -input_zero_point;
        params_.filter_offset = -fq.zero_point;
        params_.output_offset = output_zero_point;
        params_.output_multiplier = multipliers_.multipliers[0];
        params_.output_shift = multipliers_.shifts[0];
        const IntActivationRange range =
            QuantizedRange(options.activation, output.type, output_scale, output_zero_point);
        params_.quantized_activation_min = range.min;
        params_.quantized_activation_max = range.max;
        filter_ = ConstantInput<int8_t>(ctx, 1, "filter");
        bias_ = OptionalBias(ctx, model::DataType::kInt32, units);
        // The packed kernels take symmetric weights only (w + filter_offset may not fit int8).
        optimized_ = optimized_ && fq.zero_point == 0;
        if (optimized_) {
          packed_int8_ = opt::PackInt8Weights(
              static_cast<const int8_t*>(filter_), units, depth, static_cast<const int32_t*>(bias_),
              params_.input_offset, multipliers_.multipliers.data(), multipliers_.shifts.data(),
              static_cast<int>(multipliers_.multipliers.size()));
        }
        break;
      }
      case WeightedOpKind::kHybrid: {
        SetFloatRange(options.activation);
        const FilterQuantization fq = FilterQuantizationOf(ctx, units, 0, false);
        filter_scales_ = fq.channel_scales;
        per_channel_ = fq.per_axis;
        params_.asymmetric_quantize_inputs = options.asymmetric_quantize_inputs;
        filter_ = ConstantInput<int8_t>(ctx, 1, "filter");
        bias_ = OptionalBias(ctx, model::DataType::kFloat32, units);
        if (optimized_) {
          packed_hybrid_ = opt::PackHybridFullyConnected(
              static_cast<const int8_t*>(filter_), units, depth, static_cast<const float*>(bias_),
              ref::FilterScales{filter_scales_.data(), per_channel_});
        }
        break;
      }
      case WeightedOpKind::kInt16x8: {
        const float input_scale = SymmetricInt16Scale(ctx, input, "input");
        const float output_scale = SymmetricInt16Scale(ctx, output, "output");
        // As for int8: per-tensor weights may carry a zero point, per-channel ones may not,
        // and the two multipliers are derived as TFLite-Micro derives them.
        const FilterQuantization fq = FilterQuantizationOf(ctx, units, 0, true);
        per_channel_ = fq.per_axis;
        multipliers_ =
            per_channel_
                ? ComputeChannelMultipliers(ctx, input_scale, fq.channel_scales, output_scale)
                : ComputePerTensorMultiplier(ctx, input_scale, fq.channel_scales[0], output_scale);
        params_.filter_offset = -fq.zero_point;
        params_.output_multiplier = multipliers_.multipliers[0];
        params_.output_shift = multipliers_.shifts[0];
        const IntActivationRange range =
            QuantizedRange(options.activation, output.type, output_scale, 0);
        params_.quantized_activation_min = range.min;
        params_.quantized_activation_max = range.max;
        filter_ = ConstantInput<int8_t>(ctx, 1, "filter");
        wide_bias_ = OptionalInt16x8Bias(ctx, units, /*allow_int32=*/true);
        if (optimized_) {
          // The filter offset goes into the packed int16 weights; the bias type chooses the
          // requantization as in the reference (int64 bias: int64 path).
          packed_int16_ = opt::PackInt16x8Weights(
              static_cast<const int8_t*>(filter_), units, depth, params_.filter_offset,
              wide_bias_.int64, wide_bias_.int32, wide_bias_.int64 != nullptr,
              multipliers_.multipliers.data(), multipliers_.shifts.data(),
              static_cast<int>(multipliers_.multipliers.size()));
        }
        break;
      }
    }
  }

  size_t ScratchBytes() const override {
    if (optimized_ && kind_ == WeightedOpKind::kInt8) {
      return opt::FullyConnectedInt8ScratchBytes(filter_shape_.dim(1));
    }
    if (kind_ != WeightedOpKind::kHybrid) return 0;
    if (optimized_) return opt::HybridFullyConnectedScratchBytes(packed_hybrid_, batches_);
    return ref::HybridScratchBytes(batches_, filter_shape_.dim(1));
  }

  void Eval(const TensorPointers& tensors, std::span<std::byte> scratch) const override {
    if (optimized_ && kind_ == WeightedOpKind::kInt8) {
      opt::FullyConnectedInt8(variant_, params_, packed_int8_, batches_, tensors.in<int8_t>(input_),
                              tensors.out<int8_t>(output_), scratch.data());
      return;
    }
    if (optimized_ && kind_ == WeightedOpKind::kFloat) {
      opt::FullyConnectedFloat(variant_, params_, packed_float_, batches_,
                               tensors.in<float>(input_), tensors.out<float>(output_));
      return;
    }
    if (optimized_ && kind_ == WeightedOpKind::kHybrid) {
      opt::HybridFullyConnected(variant_, params_, packed_hybrid_, batches_,
                                tensors.in<float>(input_), tensors.out<float>(output_),
                                scratch.data());
      return;
    }
    if (optimized_ && kind_ == WeightedOpKind::kInt16x8) {
      opt::FullyConnectedInt16x8(variant_, params_, packed_int16_, batches_,
                                 tensors.in<int16_t>(input_), tensors.out<int16_t>(output_));
      return;
    }
    switch (kind_) {
      case WeightedOpKind::kFloat:
        ref::FullyConnected(params_, input_shape_, tensors.in<float>(input_), filter_shape_,
                            static_cast<const float*>(filter_), static_cast<const float*>(bias_),
                            output_shape_, tensors.out<float>(output_));
        return;
      case WeightedOpKind::kInt8:
        if (per_channel_) {
          ref::FullyConnectedPerChannel(
              params_, multipliers_.multipliers.data(), multipliers_.shifts.data(), input_shape_,
              tensors.in<int8_t>(input_), filter_shape_, static_cast<const int8_t*>(filter_),
              static_cast<const int32_t*>(bias_), output_shape_, tensors.out<int8_t>(output_));
        } else {
          ref::FullyConnected(params_, input_shape_, tensors.in<int8_t>(input_), filter_shape_,
                              static_cast<const int8_t*>(filter_),
                              static_cast<const int32_t*>(bias_), output_shape_,
                              tensors.out<int8_t>(output_));
        }
        return;
      case WeightedOpKind::kHybrid: {
        const ref::FilterScales scales{filter_scales_.data(), per_channel_};
        const ref::HybridScratch parts =
            ref::HybridScratchAt(scratch.data(), batches_, filter_shape_.dim(1));
        ref::HybridFullyConnected(params_, scales, input_shape_, tensors.in<float>(input_),
                                  filter_shape_, static_cast<const int8_t*>(filter_),
                                  static_cast<const float*>(bias_), output_shape_,
                                  tensors.out<float>(output_), parts);
        return;
      }
      case WeightedOpKind::kInt16x8:
        // As TFLite-Micro: an int64 bias takes the int64 accumulator, an int32 bias or none
        // the int32 one.
        if (wide_bias_.int64) {
          EvalInt16x8(tensors, wide_bias_.int64);
        } else {
          EvalInt16x8(tensors, wide_bias_.int32);
        }
        return;
    }
  }

 private:
  template <class Bias>
  void EvalInt16x8(const TensorPointers& tensors, const Bias* bias) const {
    const auto* filter = static_cast<const int8_t*>(filter_);
    if (per_channel_) {
      ref::FullyConnectedPerChannel(params_, multipliers_.multipliers.data(),
                                    multipliers_.shifts.data(), input_shape_,
                                    tensors.in<int16_t>(input_), filter_shape_, filter, bias,
                                    output_shape_, tensors.out<int16_t>(output_));
    } else {
      ref::FullyConnected(params_, input_shape_, tensors.in<int16_t>(input_), filter_shape_, filter,
                          bias, output_shape_, tensors.out<int16_t>(output_));
    }
  }

  // The input must split into whole rows of `in` values; the output holds one row of `units`
  // values per input row (its last dimension is `units`, whatever keep_num_dims made of the
  // others). The kernels then see the output as [batches, units].
  void CheckShapes(const OpContext& ctx) {
    const model::Tensor& input = ctx.input(0);
    const model::Tensor& filter = ctx.input(1);
    const model::Tensor& output = ctx.output(0);
    const int32_t units = filter.shape[0];
    const int32_t depth = filter.shape[1];
    const int64_t input_count = model::ElementCount(input.shape);
    if (input.shape.empty() || depth < 1 || input_count % depth != 0) {
      throw ctx.Fail("input tensor '" + input.name + "' of shape " +
                     model::ShapeToString(input.shape) + " does not split into rows of " +
                     std::to_string(depth) + " values (filter " +
                     model::ShapeToString(filter.shape) + ")");
    }
    batches_ = static_cast<int>(input_count / depth);
    if (output.shape.empty() || output.shape.back() != units ||
        model::ElementCount(output.shape) != static_cast<int64_t>(batches_) * units) {
      throw ctx.Fail("output tensor '" + output.name + "' has shape " +
                     model::ShapeToString(output.shape) + ", expected " + std::to_string(batches_) +
                     " rows of " + std::to_string(units));
    }
    input_shape_ = kernels::Shape{batches_, depth};
    filter_shape_ = ShapeOf(filter);
    output_shape_ = kernels::Shape{batches_, units};
  }

  void SetFloatRange(model::Activation activation) {
    const FloatActivationRange range = FloatRange(activation);
    params_.float_activation_min = range.min;
    params_.float_activation_max = range.max;
  }

  WeightedOpKind kind_ = WeightedOpKind::kFloat;
  int32_t input_ = 0;
  int32_t output_ = 0;
  int batches_ = 0;
  kernels::Shape input_shape_, filter_shape_, output_shape_;
  ref::FullyConnectedParams params_;
  const void* filter_ = nullptr;
  const void* bias_ = nullptr;
  Int16x8Bias wide_bias_;
  bool per_channel_ = false;
  ChannelMultipliers multipliers_;
  std::vector<float> filter_scales_;
  opt::PackedHybridWeights packed_hybrid_;
  opt::KernelVariant variant_ = opt::KernelVariant::kReference;
  bool optimized_ = false;
  opt::PackedInt8Weights packed_int8_;
  opt::PackedFloatWeights packed_float_;
  opt::PackedInt16x8Weights packed_int16_;
};

}  // namespace

std::unique_ptr<OpKernel> MakeFullyConnected(const model::Graph& graph, int op_index) {
  return std::make_unique<FullyConnectedKernel>(OpContext(graph, op_index));
}

namespace {

namespace fb = ::tflite;

model::OpOptions ReadFullyConnectedOptions(const fb::Operator& op, const std::string& place) {
  model::FullyConnectedOptions options;
  if (const auto* o = model::OptionsAs<fb::FullyConnectedOptions>(
          op, fb::BuiltinOptions::FullyConnectedOptions, place)) {
    if (o->weights_format() != fb::FullyConnectedOptionsWeightsFormat::DEFAULT) {
      throw Error(place, "shuffled fully-connected weights are not supported");
    }
    options.activation = model::ReadActivation(o->fused_activation_function(), place);
    options.keep_num_dims = o->keep_num_dims();
    options.asymmetric_quantize_inputs = o->asymmetric_quantize_inputs();
  }
  return options;
}

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteFullyConnectedOptions(
    flatbuffers::FlatBufferBuilder& builder, const model::Op& op, const std::string& place) {
  const auto o = model::OptionsOf<model::FullyConnectedOptions>(op, place);
  fb::FullyConnectedOptionsBuilder options(builder);
  options.add_fused_activation_function(model::WriteActivation(o.activation));
  options.add_keep_num_dims(o.keep_num_dims);
  options.add_asymmetric_quantize_inputs(o.asymmetric_quantize_inputs);
  return {fb::BuiltinOptions::FullyConnectedOptions, options.Finish().Union()};
}

// 16x8: TFLite's int16 branch (version 7) tests for an int16 filter, its quantized_bias_type
// branch (11) needs an option the writer does not write; both fall through here.
int32_t FullyConnectedVersion(const model::Graph& graph, const model::Op& op) {
  const WeightedOpTypes types = WeightedTypesOf(graph, op);
  const auto* options = op.options.get_if<model::FullyConnectedOptions>();
  if (types.hybrid() && types.per_channel) return 12;
  // TFLite counts the inputs the op lists: an FC written with two inputs has no bias (v6); one
  // that lists an omitted bias (-1) does not take this branch.
  if (op.inputs.size() == 2) return 6;
  if (options != nullptr && options->keep_num_dims) return 5;
  if (types.int8()) return 4;
  if (types.hybrid()) return options != nullptr && options->asymmetric_quantize_inputs ? 9 : 3;
  return 1;
}

// TFLite-Micro's CalculateOpDataFullyConnected (fully_connected_common.cc) allocates, for an int8
// filter with more than one scale, two persistent int32 arrays of one entry per scale
// (per_channel_output_multiplier and per_channel_output_shift). A per-tensor filter, and every
// float or int16 FULLY_CONNECTED, keeps its single multiplier in OpData.
std::vector<size_t> FullyConnectedPersistentArrays(const model::Graph& graph, const model::Op& op) {
  const WeightedOpTypes types = WeightedTypesOf(graph, op);
  if (types.input != model::DataType::kInt8 || !types.per_channel) return {};
  const size_t bytes = 4 * graph.tensor(op.inputs[1]).quantization.scales.size();
  return {bytes, bytes};
}

int64_t FullyConnectedMacs(const model::Graph& graph, const model::Op& op) {
  if (op.inputs.size() < 2 || op.inputs[1] < 0) return 0;
  const auto& s = graph.tensor(op.inputs[1]).shape;  // [units, depth]
  return s.size() == 2 ? OutputElements(graph, op) * s[1] : 0;
}

const model::OpDescriptor kFullyConnected{
    .type = model::OpType::kFullyConnected,
    .name = "FULLY_CONNECTED",
    .read_options = &ReadFullyConnectedOptions,
    .write_options = &WriteFullyConnectedOptions,
    .make_kernel = &MakeFullyConnected,
    .version = &FullyConnectedVersion,
    // Per channel along the units (axis 0) only when the quantizer is asked to.
    .quant = WeightedOpRule(/*per_channel_axis=*/0, /*per_channel_by_default=*/false),
    .arena =
        {.builtin_data_bytes =
             16,  // weights format, activation, keep dims, asymmetric
                  // multiplier, shift, activation range, three zero points; per-channel multiplier
                  // and shift pointers, bias and scratch pointers of the newer kernels.
         .op_data_bytes = [](size_t p) { return model::StructBytes(p, 4, 8); },
         .persistent_arrays = &FullyConnectedPersistentArrays,
         .scratch_bytes = &model::NoScratch,
         .output_aliases_input = false},
    .macs = &FullyConnectedMacs,
    .micro_resolver_call = "AddFullyConnected",
};
const model::OpRegistration kRegistration(kFullyConnected);

}  // namespace

}  // namespace harness::runtime::ops
