#include "kernels/reference/conv.h"

#include <algorithm>

#include "kernels/fixed_point.h"
#include "kernels/reference/conv_loops.h"

namespace kernels::reference {

using internal::ConvGeometry;
using internal::ConvLoops;

void Conv(const ConvParams& params, const Shape& input_shape, const float* input,
          const Shape& filter_shape, const float* filter, const float* bias,
          const Shape& output_shape, float* output) {
  const ConvGeometry g(input_shape, filter_shape, output_shape);
  ConvLoops<float>(
      params, g, input_shape, filter_shape, output_shape,
      [&](float& acc, int, int64_t i, int64_t f) { acc += input[i] * filter[f]; },
      [&](float acc, int, int c, int64_t o) {
        const float bias_value = bias ? bias[c] : 0.0f;
        output[o] = std::min(std::max(acc + bias_value, params.float_activation_min),
                             params.float_activation_max);
      });
}

void ConvPerChannel(const ConvParams& params, const int32_t* output_multiplier,
                    const int32_t* output_shift, const Shape& input_shape, const int8_t* input,
                    const Shape& filter_shape, const int8_t* filter, const int32_t* bias,
                    const Shape& output_shape, int8_t* output) {
  const ConvGeometry g(input_shape, filter_shape, output_shape);
  ConvLoops<int32_t>(
      params, g, input_shape, filter_shape, output_shape,
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

void HybridConv(const ConvParams& params, const FilterScales& filter_scales,
                const Shape& input_shape, const float* input, const Shape& filter_shape,
                const int8_t* filter, const float* bias, const Shape& output_shape, float* output,
                const HybridScratch& scratch) {
  const ConvGeometry g(input_shape, filter_shape, output_shape);
  const int batch_size = static_cast<int>(input_shape.FlatSizeSkipDim(0));
  const bool per_channel = filter_scales.per_channel;
  QuantizeBatches(input, g.batches, batch_size, /*asymmetric=*/per_channel, scratch.quantized_input,
                  scratch.scaling_factors, scratch.input_offsets);
  if (!per_channel) {
    // EvalHybrid folds the filter scale into each batch's scale before the convolution.
    for (int b = 0; b < g.batches; ++b) scratch.scaling_factors[b] *= filter_scales.at(0);
  }
  const int8_t* quantized = scratch.quantized_input;
  ConvLoops<int32_t>(
      params, g, input_shape, filter_shape, output_shape,
      [&](int32_t& acc, int b, int64_t i, int64_t f) {
        acc += static_cast<int32_t>(filter[f]) *
               (static_cast<int32_t>(quantized[i]) - scratch.input_offsets[b]);
      },
      [&](int32_t acc, int b, int c, int64_t o) {
        float value = static_cast<float>(acc);
        value = per_channel ? value * filter_scales.at(c) * scratch.scaling_factors[b]
                            : value * scratch.scaling_factors[b];
        if (bias) value += bias[c];
        output[o] =
            std::min(std::max(value, params.float_activation_min), params.float_activation_max);
      });
}

}  // namespace kernels::reference
