#include "kernels/reference/conv.h"

#include <algorithm>

#include "kernels/fixed_point.h"

namespace kernels::reference {
namespace {

// The loop structure every convolution shares: for each output element, the dot product of the
// filter with the input window of its group, skipping taps that fall into the padding. `Dot`
// accumulates one tap; `Finish` turns the accumulator into the output value.
struct ConvGeometry {
  int batches, input_height, input_width, input_depth;
  int filter_height, filter_width, filter_input_depth;
  int output_height, output_width, output_depth;
  int filters_per_group;

  ConvGeometry(const Shape& input_shape, const Shape& filter_shape, const Shape& output_shape)
      : batches(input_shape.dim(0)),
        input_height(input_shape.dim(1)),
        input_width(input_shape.dim(2)),
        input_depth(input_shape.dim(3)),
        filter_height(filter_shape.dim(1)),
        filter_width(filter_shape.dim(2)),
        filter_input_depth(filter_shape.dim(3)),
        output_height(output_shape.dim(1)),
        output_width(output_shape.dim(2)),
        output_depth(output_shape.dim(3)) {
    // Grouped convolution: input_depth = groups * filter_input_depth.
    const int groups = input_depth / filter_input_depth;
    filters_per_group = output_depth / groups;
  }
};

template <class Acc, class Tap, class Finish>
void ConvLoops(const ConvParams& params, const ConvGeometry& g, const Shape& input_shape,
               const Shape& filter_shape, const Shape& output_shape, Tap tap, Finish finish) {
  for (int batch = 0; batch < g.batches; ++batch) {
    for (int out_y = 0; out_y < g.output_height; ++out_y) {
      const int in_y_origin = out_y * params.stride_height - params.padding_height;
      for (int out_x = 0; out_x < g.output_width; ++out_x) {
        const int in_x_origin = out_x * params.stride_width - params.padding_width;
        for (int out_channel = 0; out_channel < g.output_depth; ++out_channel) {
          const int group = out_channel / g.filters_per_group;
          Acc acc{};
          for (int filter_y = 0; filter_y < g.filter_height; ++filter_y) {
            const int in_y = in_y_origin + params.dilation_height * filter_y;
            for (int filter_x = 0; filter_x < g.filter_width; ++filter_x) {
              const int in_x = in_x_origin + params.dilation_width * filter_x;
              // Zero padding: taps outside the image are skipped, not multiplied by zero
              // (which matters for the integer kernels, whose zero is input_offset).
              const bool inside =
                  in_x >= 0 && in_x < g.input_width && in_y >= 0 && in_y < g.input_height;
              if (!inside) continue;
              for (int in_channel = 0; in_channel < g.filter_input_depth; ++in_channel) {
                const int64_t input_index = Offset(input_shape, batch, in_y, in_x,
                                                   in_channel + group * g.filter_input_depth);
                const int64_t filter_index =
                    Offset(filter_shape, out_channel, filter_y, filter_x, in_channel);
                tap(acc, batch, input_index, filter_index);
              }
            }
          }
          finish(acc, batch, out_channel, Offset(output_shape, batch, out_y, out_x, out_channel));
        }
      }
    }
  }
}

}  // namespace

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
