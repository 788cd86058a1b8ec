#include "kernels/reference/depthwise_conv.h"

#include <algorithm>

#include "kernels/fixed_point.h"
#include "kernels/reference/depthwise_conv_loops.h"

namespace kernels::reference {

using internal::DepthwiseLoops;

void DepthwiseConv(const DepthwiseParams& params, const Shape& input_shape, const float* input,
                   const Shape& filter_shape, const float* filter, const float* bias,
                   const Shape& output_shape, float* output) {
  DepthwiseLoops<float>(
      params, input_shape, filter_shape, output_shape,
      [&](float& acc, int, int64_t i, int64_t f) { acc += input[i] * filter[f]; },
      [&](float acc, int, int c, int64_t o) {
        const float bias_value = bias ? bias[c] : 0.0f;
        output[o] = std::min(std::max(acc + bias_value, params.float_activation_min),
                             params.float_activation_max);
      });
}

void DepthwiseConvPerChannel(const DepthwiseParams& params, const int32_t* output_multiplier,
                             const int32_t* output_shift, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape, const int8_t* filter,
                             const int32_t* bias, const Shape& output_shape, int8_t* output) {
  DepthwiseLoops<int32_t>(
      params, input_shape, filter_shape, output_shape,
      [&](int32_t& acc, int, int64_t i, int64_t f) {
        acc += static_cast<int32_t>(filter[f]) *
               (static_cast<int32_t>(input[i]) + params.input_offset);
      },
      [&](int32_t acc, int, int c, int64_t o) {
        if (bias) acc += bias[c];
        acc = MultiplyByQuantizedMultiplier(acc, output_multiplier[c], output_shift[c]);
        acc += params.output_offset;
        acc = std::clamp(acc, params.quantized_activation_min, params.quantized_activation_max);
        output[o] = static_cast<int8_t>(acc);
      });
}

void HybridDepthwiseConv(const DepthwiseParams& params, const FilterScales& filter_scales,
                         const Shape& input_shape, const float* input, const Shape& filter_shape,
                         const int8_t* filter, const float* bias, const Shape& output_shape,
                         float* output, const HybridScratch& scratch) {
  const int batches = input_shape.dim(0);
  const int batch_size = static_cast<int>(input_shape.FlatSizeSkipDim(0));
  QuantizeBatches(input, batches, batch_size, /*asymmetric=*/true, scratch.quantized_input,
                  scratch.scaling_factors, scratch.input_offsets);
  const int8_t* quantized = scratch.quantized_input;
  DepthwiseLoops<int32_t>(
      params, input_shape, filter_shape, output_shape,
      [&](int32_t& acc, int b, int64_t i, int64_t f) {
        acc += static_cast<int32_t>(filter[f]) *
               (static_cast<int32_t>(quantized[i]) - scratch.input_offsets[b]);
      },
      [&](int32_t acc, int b, int c, int64_t o) {
        // TFLite multiplies the two scales first, then the accumulator.
        float value = static_cast<float>(acc) * (filter_scales.at(c) * scratch.scaling_factors[b]);
        if (bias) value += bias[c];
        output[o] =
            std::min(std::max(value, params.float_activation_min), params.float_activation_max);
      });
}

}  // namespace kernels::reference
