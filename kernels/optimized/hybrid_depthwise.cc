#include "kernels/optimized/hybrid_depthwise.h"

#include "kernels/optimized/asymmetric_quantize.h"
#include "kernels/optimized/micro_kernels.h"

namespace kernels::optimized {
namespace {

using HybridDepthwiseFn = void (*)(const reference::DepthwiseParams&, const PackedDepthwiseInt8&,
                                   const HybridDepthwiseStage&, const Shape&, const int8_t*,
                                   const Shape&, const Shape&, float*);

// The same cases as DepthwiseConvPerChannel's dispatch: the vector code needs a depth
// multiplier of 1, and on AVX2 a multiple of 8 channels.
HybridDepthwiseFn HybridDepthwiseOf(KernelVariant variant, const reference::DepthwiseParams& p,
                                    int channels) {
  if (variant == KernelVariant::kAvx512Vnni && p.depth_multiplier == 1) {
    return DepthwiseHybridAvx512Vnni;
  }
  if (variant == KernelVariant::kAvx2 && p.depth_multiplier == 1 && channels % 8 == 0) {
    return DepthwiseHybridAvx2;
  }
  return DepthwiseHybridPortable;
}

}  // namespace

PackedHybridDepthwise PackHybridDepthwise(const int8_t* filter, int taps, int channels,
                                          const float* bias,
                                          const reference::FilterScales& filter_scales) {
  const auto count = static_cast<size_t>(channels);
  const std::vector<int32_t> unused_requantization(count, 0);
  PackedHybridDepthwise p;
  p.accumulation = PackDepthwiseInt8(filter, taps, channels, /*bias=*/nullptr,
                                     unused_requantization.data(), unused_requantization.data());
  for (int c = 0; c < channels; ++c) {
    p.channel_scale.push_back(filter_scales.at(c));
    p.bias.push_back(bias ? bias[c] : -0.0f);
  }
  return p;
}

void HybridDepthwiseConv(KernelVariant variant, const reference::DepthwiseParams& params,
                         const PackedHybridDepthwise& packed, const Shape& input_shape,
                         const float* input, const Shape& filter_shape, const Shape& output_shape,
                         float* output, const reference::HybridScratch& scratch) {
  const int batches = input_shape.dim(0);
  const int64_t batch_size = input_shape.FlatSizeSkipDim(0);
  const int64_t output_batch_size = output_shape.FlatSizeSkipDim(0);
  // The reference's asymmetric quantization of each whole batch, identical bytes.
  QuantizeBatches(input, batches, static_cast<int>(batch_size), /*asymmetric=*/true,
                  scratch.quantized_input, scratch.scaling_factors, scratch.input_offsets);
  const HybridDepthwiseFn kernel = HybridDepthwiseOf(variant, params, packed.accumulation.channels);
  // One batch per call: its zero point is the kernels' input offset, its scale their stage's.
  const Shape batch_input{1, input_shape.dim(1), input_shape.dim(2), input_shape.dim(3)};
  const Shape batch_output{1, output_shape.dim(1), output_shape.dim(2), output_shape.dim(3)};
  reference::DepthwiseParams batch_params = params;
  for (int b = 0; b < batches; ++b) {
    batch_params.input_offset = -scratch.input_offsets[b];
    const HybridDepthwiseStage stage{packed.channel_scale.data(), packed.bias.data(),
                                     scratch.scaling_factors[b]};
    kernel(batch_params, packed.accumulation, stage, batch_input,
           scratch.quantized_input + b * batch_size, filter_shape, batch_output,
           output + b * output_batch_size);
  }
}

}  // namespace kernels::optimized
