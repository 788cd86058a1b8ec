#include "kernels/reference/depthwise_conv.h"

#include <algorithm>

#include "kernels/fixed_point.h"

namespace kernels::reference {
namespace {

// The loops all depthwise kernels share; see ConvLoops in conv.cc. Taps in the padding are
// skipped.
template <class Acc, class Tap, class Finish>
void DepthwiseLoops(const DepthwiseParams& params, const Shape& input_shape,
                    const Shape& filter_shape, const Shape& output_shape, Tap tap, Finish finish) {
  const int batches = input_shape.dim(0);
  const int input_height = input_shape.dim(1);
  const int input_width = input_shape.dim(2);
  const int input_depth = input_shape.dim(3);
  const int filter_height = filter_shape.dim(1);
  const int filter_width = filter_shape.dim(2);
  const int output_height = output_shape.dim(1);
  const int output_width = output_shape.dim(2);
  for (int batch = 0; batch < batches; ++batch) {
    for (int out_y = 0; out_y < output_height; ++out_y) {
      const int in_y_origin = out_y * params.stride_height - params.padding_height;
      for (int out_x = 0; out_x < output_width; ++out_x) {
        const int in_x_origin = out_x * params.stride_width - params.padding_width;
        for (int in_channel = 0; in_channel < input_depth; ++in_channel) {
          for (int m = 0; m < params.depth_multiplier; ++m) {
            const int out_channel = in_channel * params.depth_multiplier + m;
            Acc acc{};
            for (int filter_y = 0; filter_y < filter_height; ++filter_y) {
              const int in_y = in_y_origin + params.dilation_height * filter_y;
              for (int filter_x = 0; filter_x < filter_width; ++filter_x) {
                const int in_x = in_x_origin + params.dilation_width * filter_x;
                const bool inside =
                    in_x >= 0 && in_x < input_width && in_y >= 0 && in_y < input_height;
                if (!inside) continue;
                tap(acc, batch, Offset(input_shape, batch, in_y, in_x, in_channel),
                    Offset(filter_shape, 0, filter_y, filter_x, out_channel));
              }
            }
            finish(acc, batch, out_channel, Offset(output_shape, batch, out_y, out_x, out_channel));
          }
        }
      }
    }
  }
}

}  // namespace

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
