#include "harness/runtime/ops/conv_common.h"

#include <algorithm>
#include <string>

#include "kernels/fixed_point.h"

namespace harness::runtime::ops {

WeightedOpKind ClassifyTypes(const OpContext& ctx) {
  using model::DataType;
  const DataType input = ctx.input(0).type;
  const DataType filter = ctx.input(1).type;
  const DataType output = ctx.output(0).type;
  if (input == DataType::kFloat32 && filter == DataType::kFloat32 && output == DataType::kFloat32)
    return WeightedOpKind::kFloat;
  if (input == DataType::kInt8 && filter == DataType::kInt8 && output == DataType::kInt8)
    return WeightedOpKind::kInt8;
  if (input == DataType::kFloat32 && filter == DataType::kInt8 && output == DataType::kFloat32)
    return WeightedOpKind::kHybrid;
  if (input == DataType::kInt16 && filter == DataType::kInt8 && output == DataType::kInt16)
    return WeightedOpKind::kInt16x8;
  throw ctx.Fail(std::string("unsupported type combination: input ") + model::ToString(input) +
                 ", filter " + model::ToString(filter) + ", output " + model::ToString(output));
}

void ExpectClampActivation(const OpContext& ctx, model::Activation activation) {
  switch (activation) {
    case model::Activation::kNone:
    case model::Activation::kRelu:
    case model::Activation::kReluN1To1:
    case model::Activation::kRelu6:
      return;
    default:
      throw ctx.Fail(std::string("fused activation ") + model::ToString(activation) +
                     " is not supported");
  }
}

FilterQuantization FilterQuantizationOf(const OpContext& ctx, int channels, int channel_dim,
                                        bool allow_nonzero_zero_point) {
  const model::Tensor& filter = ctx.input(1);
  const model::Quantization& q = filter.quantization;
  const std::string name = "filter tensor '" + filter.name + "'";
  if (q.scales.empty()) throw ctx.Fail(name + " has no quantization parameters");
  const auto count = static_cast<int>(q.scales.size());
  FilterQuantization result;
  result.per_axis = count > 1;
  if (result.per_axis) {
    if (count != channels) {
      throw ctx.Fail(name + " has " + std::to_string(count) + " per-channel scales, expected " +
                     std::to_string(channels) + " (one per output channel)");
    }
    if (q.quantized_dimension != channel_dim) {
      throw ctx.Fail(name + " is quantized along dimension " +
                     std::to_string(q.quantized_dimension) + ", expected " +
                     std::to_string(channel_dim));
    }
  }
  for (size_t c = 0; c < q.scales.size(); ++c) {
    ctx.CheckedScale(filter, q.scales[c], "filter",
                     result.per_axis ? "scale of channel " + std::to_string(c) : "scale");
  }
  const bool any_nonzero =
      std::any_of(q.zero_points.begin(), q.zero_points.end(), [](int64_t z) { return z != 0; });
  if (any_nonzero) {
    if (!allow_nonzero_zero_point || result.per_axis) {
      throw ctx.Fail(name + " has a nonzero zero point; int8 weights must be symmetric");
    }
    result.zero_point = ctx.CheckedZeroPoint(filter, q.zero_points[0], "filter");
  }
  result.channel_scales.assign(static_cast<size_t>(channels), q.scales[0]);
  if (result.per_axis) result.channel_scales = q.scales;
  result.scales_differ =
      std::any_of(q.scales.begin(), q.scales.end(), [&](float s) { return s != q.scales[0]; });
  return result;
}

ChannelMultipliers ComputeChannelMultipliers(const OpContext& ctx, float input_scale,
                                             const std::vector<float>& filter_scales,
                                             float output_scale) {
  ChannelMultipliers result;
  for (size_t c = 0; c < filter_scales.size(); ++c) {
    const double effective = static_cast<double>(input_scale) *
                             static_cast<double>(filter_scales[c]) /
                             static_cast<double>(output_scale);
    ExpectRepresentableMultiplier(
        ctx, effective,
        "input scale * filter scale / output scale of channel " + std::to_string(c));
    const kernels::QuantizedMultiplier m = kernels::QuantizeMultiplier(effective);
    result.multipliers.push_back(m.multiplier);
    result.shifts.push_back(m.shift);
  }
  return result;
}

ChannelMultipliers ComputePerTensorMultiplier(const OpContext& ctx, float input_scale,
                                              float filter_scale, float output_scale) {
  const double effective =
      static_cast<double>(input_scale * filter_scale) / static_cast<double>(output_scale);
  ExpectRepresentableMultiplier(ctx, effective, "input scale * filter scale / output scale");
  const kernels::QuantizedMultiplier m = kernels::QuantizeMultiplier(effective);
  return {{m.multiplier}, {m.shift}};
}

const void* OptionalBias(const OpContext& ctx, model::DataType type, int channels) {
  if (!ctx.has_input(2)) return nullptr;
  const model::Tensor& bias = ctx.input(2);
  ctx.ExpectType(bias, type, "bias");
  if (model::ElementCount(bias.shape) != channels) {
    throw ctx.Fail("bias tensor '" + bias.name + "' has shape " + model::ShapeToString(bias.shape) +
                   ", expected " + std::to_string(channels) + " elements (one per output channel)");
  }
  return ctx.ConstantData(2, "bias").data();
}

Int16x8Bias OptionalInt16x8Bias(const OpContext& ctx, int channels, bool allow_int32) {
  Int16x8Bias result;
  if (!ctx.has_input(2)) return result;
  const bool is_int32 = allow_int32 && ctx.input(2).type == model::DataType::kInt32;
  const void* data =
      OptionalBias(ctx, is_int32 ? model::DataType::kInt32 : model::DataType::kInt64, channels);
  if (is_int32) {
    result.int32 = static_cast<const int32_t*>(data);
  } else {
    result.int64 = static_cast<const int64_t*>(data);
  }
  return result;
}

float SymmetricInt16Scale(const OpContext& ctx, const model::Tensor& t, const char* role) {
  const auto [scale, zero_point] = ctx.PerTensorQuantization(t, role);
  if (zero_point != 0) {
    throw ctx.Fail(std::string(role) + " tensor '" + t.name + "' has zero point " +
                   std::to_string(zero_point) + "; int16 activations must be symmetric");
  }
  return scale;
}

}  // namespace harness::runtime::ops
