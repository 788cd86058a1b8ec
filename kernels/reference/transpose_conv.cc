#include "kernels/reference/transpose_conv.h"

#include <algorithm>
#include <cstring>

#include "kernels/fixed_point.h"

namespace kernels::reference {
namespace {

// The scatter loop shared by every type: acc[output element] += term(input value, filter value)
// for each input element and filter tap that lands inside the output, in TFLite's order.
template <class In, class Filter, class Acc, class Term>
void Scatter(const TransposeConvParams& p, const Shape& input_shape, const In* input,
             const Shape& filter_shape, const Filter* filter, const Shape& output_shape, Acc* acc,
             Term term) {
  const int32_t batches = input_shape.dim(0);
  const int32_t input_height = input_shape.dim(1);
  const int32_t input_width = input_shape.dim(2);
  const int32_t input_depth = input_shape.dim(3);
  const int32_t filter_height = filter_shape.dim(1);
  const int32_t filter_width = filter_shape.dim(2);
  const int32_t output_height = output_shape.dim(1);
  const int32_t output_width = output_shape.dim(2);
  const int32_t output_depth = output_shape.dim(3);
  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t in_y = 0; in_y < input_height; ++in_y) {
      for (int32_t in_x = 0; in_x < input_width; ++in_x) {
        for (int32_t in_c = 0; in_c < input_depth; ++in_c) {
          const In x =
              input[((int64_t{b} * input_height + in_y) * input_width + in_x) * input_depth + in_c];
          const int32_t out_x_origin = in_x * p.stride_width - p.pad_width;
          const int32_t out_y_origin = in_y * p.stride_height - p.pad_height;
          for (int32_t f_y = 0; f_y < filter_height; ++f_y) {
            for (int32_t f_x = 0; f_x < filter_width; ++f_x) {
              const int32_t out_x = out_x_origin + f_x;
              const int32_t out_y = out_y_origin + f_y;
              if (out_x < 0 || out_x >= output_width || out_y < 0 || out_y >= output_height) {
                continue;
              }
              const int64_t out_base =
                  ((int64_t{b} * output_height + out_y) * output_width + out_x) * output_depth;
              for (int32_t out_c = 0; out_c < output_depth; ++out_c) {
                const Filter w =
                    filter[((int64_t{out_c} * filter_height + f_y) * filter_width + f_x) *
                               input_depth +
                           in_c];
                acc[out_base + out_c] += term(x, w);
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace

void TransposeConv(const TransposeConvParams& params, const Shape& input_shape, const float* input,
                   const Shape& filter_shape, const float* filter, const float* bias,
                   const Shape& output_shape, float* output) {
  const int64_t size = output_shape.FlatSize();
  std::fill(output, output + size, 0.0f);
  Scatter(params, input_shape, input, filter_shape, filter, output_shape, output,
          [](float x, float w) { return x * w; });
  const int32_t depth = output_shape.dim(3);
  for (int64_t i = 0; i < size; ++i) {
    float acc = output[i];
    if (bias) acc += bias[i % depth];
    output[i] = std::min(std::max(acc, params.float_activation_min), params.float_activation_max);
  }
}

void TransposeConvPerChannel(const TransposeConvParams& params, const int32_t* output_multiplier,
                             const int32_t* output_shift, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape, const int8_t* filter,
                             const int32_t* bias, const Shape& output_shape, int8_t* output,
                             int32_t* scratch) {
  const int64_t size = output_shape.FlatSize();
  std::fill(scratch, scratch + size, 0);
  const int32_t input_offset = params.input_offset;
  Scatter(params, input_shape, input, filter_shape, filter, output_shape, scratch,
          [input_offset](int8_t x, int8_t w) { return (x + input_offset) * int32_t{w}; });
  const int32_t depth = output_shape.dim(3);
  for (int64_t i = 0; i < size; ++i) {
    const auto c = static_cast<size_t>(i % depth);
    int32_t acc = scratch[i];
    if (bias) acc += bias[c];
    acc = MultiplyByQuantizedMultiplier(acc, output_multiplier[c], output_shift[c]);
    acc += params.output_offset;
    output[i] = static_cast<int8_t>(std::clamp(acc, params.activation_min, params.activation_max));
  }
}

void TransposeConvPerChannel(const TransposeConvParams& params, const int32_t* output_multiplier,
                             const int32_t* output_shift, const Shape& input_shape,
                             const int16_t* input, const Shape& filter_shape, const int8_t* filter,
                             const int64_t* bias, const Shape& output_shape, int16_t* output,
                             int64_t* scratch) {
  const int64_t size = output_shape.FlatSize();
  std::fill(scratch, scratch + size, int64_t{0});
  Scatter(params, input_shape, input, filter_shape, filter, output_shape, scratch,
          [](int16_t x, int8_t w) { return int64_t{int32_t{x} * int32_t{w}}; });
  const int32_t depth = output_shape.dim(3);
  for (int64_t i = 0; i < size; ++i) {
    const auto c = static_cast<size_t>(i % depth);
    int64_t acc = scratch[i];
    if (bias) acc += bias[c];
    const int32_t scaled =
        MultiplyByQuantizedMultiplier(acc, output_multiplier[c], output_shift[c]);
    output[i] =
        static_cast<int16_t>(std::clamp(scaled, params.activation_min, params.activation_max));
  }
}

}  // namespace kernels::reference
