#pragma once
// Prepare-time checks and precomputation shared by CONV_2D, DEPTHWISE_CONV_2D and
// FULLY_CONNECTED: which type combination runs, the filter's per-channel scales, the
// per-channel requantization multipliers and the constant filter and bias data.

#include <cstdint>
#include <vector>

#include "harness/runtime/ops/op_util.h"

namespace harness::runtime::ops {

// The three type combinations these ops run.
enum class WeightedOpKind {
  kFloat,   // float32 input, filter, bias, output
  kInt8,    // int8 input, filter, output; int32 bias
  kHybrid,  // float32 input, bias, output; int8 filter
  kInt16x8,  // int16 input and output (zero point 0), int8 filter; int64 (or int32) bias
};

// Input 0, filter 1, output 0; throws "unsupported type combination: input X, filter Y,
// output Z" for anything else.
WeightedOpKind ClassifyTypes(const OpContext& ctx);

// The fused activations these kernels clamp to; TANH and unknown values are refused.
void ExpectClampActivation(const OpContext& ctx, model::Activation activation);

// The filter's scales broadcast to one per output channel. Checks there is one scale or one per
// channel, that per-axis scales run along `channel_dim`, and that every zero point is 0 unless
// `allow_nonzero_zero_point` (per-tensor fully-connected weights carry a filter offset).
struct FilterQuantization {
  std::vector<float> channel_scales;
  bool per_axis = false;       // the tensor has one scale per channel
  bool scales_differ = false;  // not all channel scales are equal
  int32_t zero_point = 0;      // the per-tensor zero point (0 when per axis)
};
FilterQuantization FilterQuantizationOf(const OpContext& ctx, int channels, int channel_dim,
                                        bool allow_nonzero_zero_point);

// TFLite's PopulateConvolutionQuantizationParams: for each channel, the effective scale
// input_scale * filter_scale / output_scale computed in double from the float scales, then
// QuantizeMultiplier. Throws, naming the channel, if a multiplier is not representable.
struct ChannelMultipliers {
  std::vector<int32_t> multipliers;
  std::vector<int32_t> shifts;
};
ChannelMultipliers ComputeChannelMultipliers(const OpContext& ctx, float input_scale,
                                             const std::vector<float>& filter_scales,
                                             float output_scale);

// TFLite's GetQuantizedConvolutionMultipler, used by per-tensor FULLY_CONNECTED: here the
// product input_scale * filter_scale is taken in float and only then widened to double, which
// changes the multiplier's last bit for some scales (checked against TFLite-Micro goldens).
ChannelMultipliers ComputePerTensorMultiplier(const OpContext& ctx, float input_scale,
                                              float filter_scale, float output_scale);

// Constant input `i` (checked: constant, complete data) viewed as T. The pointer is into the
// graph's buffer, which the compiled model keeps alive as long as its kernels.
template <class T>
const T* ConstantInput(const OpContext& ctx, size_t i, const char* role) {
  return reinterpret_cast<const T*>(ctx.ConstantData(i, role).data());
}

// The optional bias (input 2): nullptr when omitted; otherwise checked to be a constant of
// `type` with `channels` elements.
const void* OptionalBias(const OpContext& ctx, model::DataType type, int channels);

// The optional bias of an int16x8 op: int64, as TFLite's converter writes it in 16x8 mode, or
// int32 where TFLite-Micro accepts that too (CONV_2D and FULLY_CONNECTED). At most one pointer
// is set; both are null without a bias. The bias type selects the kernel's accumulator.
struct Int16x8Bias {
  const int64_t* int64 = nullptr;
  const int32_t* int32 = nullptr;
};
Int16x8Bias OptionalInt16x8Bias(const OpContext& ctx, int channels, bool allow_int32);

// The int16x8 kernels take no input or output offset: as TFLite, refuse an int16 activation
// whose zero point is not 0 (it would otherwise be silently ignored). Returns the scale.
float SymmetricInt16Scale(const OpContext& ctx, const model::Tensor& t, const char* role);

}  // namespace harness::runtime::ops
