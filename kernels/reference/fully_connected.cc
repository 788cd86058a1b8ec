#include "kernels/reference/fully_connected.h"

#include <algorithm>
#include <utility>

#include "kernels/fixed_point.h"

namespace kernels::reference {
namespace {

struct FullyConnectedGeometry {
  int batches;
  int output_depth;
  int accum_depth;

  FullyConnectedGeometry(const Shape& filter_shape, const Shape& output_shape)
      : batches(static_cast<int>(output_shape.FlatSizeSkipDim(output_shape.rank() - 1))),
        output_depth(output_shape.dim(output_shape.rank() - 1)),
        accum_depth(filter_shape.dim(filter_shape.rank() - 1)) {}
};

float Clamp(float value, const FullyConnectedParams& params) {
  return std::min(std::max(value, params.float_activation_min), params.float_activation_max);
}

// The integer kernels differ only in where the multiplier of a channel comes from.
template <class MultiplierOf>
void IntegerFullyConnected(const FullyConnectedParams& params, const int8_t* input,
                           const Shape& filter_shape, const int8_t* filter, const int32_t* bias,
                           const Shape& output_shape, int8_t* output, MultiplierOf multiplier_of) {
  const FullyConnectedGeometry g(filter_shape, output_shape);
  for (int b = 0; b < g.batches; ++b) {
    const int8_t* input_row = input + static_cast<int64_t>(b) * g.accum_depth;
    for (int c = 0; c < g.output_depth; ++c) {
      const int8_t* filter_row = filter + static_cast<int64_t>(c) * g.accum_depth;
      int32_t acc = 0;
      for (int d = 0; d < g.accum_depth; ++d) {
        acc += (static_cast<int32_t>(filter_row[d]) + params.filter_offset) *
               (static_cast<int32_t>(input_row[d]) + params.input_offset);
      }
      if (bias) acc += bias[c];
      const auto [multiplier, shift] = multiplier_of(c);
      acc = MultiplyByQuantizedMultiplier(acc, multiplier, shift);
      acc += params.output_offset;
      acc = std::clamp(acc, params.quantized_activation_min, params.quantized_activation_max);
      output[static_cast<int64_t>(b) * g.output_depth + c] = static_cast<int8_t>(acc);
    }
  }
}

}  // namespace

void FullyConnected(const FullyConnectedParams& params, const Shape&, const float* input,
                    const Shape& filter_shape, const float* filter, const float* bias,
                    const Shape& output_shape, float* output) {
  const FullyConnectedGeometry g(filter_shape, output_shape);
  for (int b = 0; b < g.batches; ++b) {
    const float* input_row = input + static_cast<int64_t>(b) * g.accum_depth;
    for (int c = 0; c < g.output_depth; ++c) {
      const float* filter_row = filter + static_cast<int64_t>(c) * g.accum_depth;
      float total = 0.0f;
      for (int d = 0; d < g.accum_depth; ++d) total += input_row[d] * filter_row[d];
      const float bias_value = bias ? bias[c] : 0.0f;
      output[static_cast<int64_t>(b) * g.output_depth + c] = Clamp(total + bias_value, params);
    }
  }
}

void FullyConnected(const FullyConnectedParams& params, const Shape&, const int8_t* input,
                    const Shape& filter_shape, const int8_t* filter, const int32_t* bias,
                    const Shape& output_shape, int8_t* output) {
  IntegerFullyConnected(params, input, filter_shape, filter, bias, output_shape, output, [&](int) {
    return std::pair{params.output_multiplier, params.output_shift};
  });
}

void FullyConnectedPerChannel(const FullyConnectedParams& params, const int32_t* output_multiplier,
                              const int32_t* output_shift, const Shape&, const int8_t* input,
                              const Shape& filter_shape, const int8_t* filter, const int32_t* bias,
                              const Shape& output_shape, int8_t* output) {
  IntegerFullyConnected(params, input, filter_shape, filter, bias, output_shape, output,
                        [&](int c) {
                          return std::pair{output_multiplier[c], output_shift[c]};
                        });
}

void HybridFullyConnected(const FullyConnectedParams& params, const FilterScales& filter_scales,
                          const Shape&, const float* input, const Shape& filter_shape,
                          const int8_t* filter, const float* bias, const Shape& output_shape,
                          float* output, const HybridScratch& scratch) {
  const FullyConnectedGeometry g(filter_shape, output_shape);
  QuantizeBatches(input, g.batches, g.accum_depth, params.asymmetric_quantize_inputs,
                  scratch.quantized_input, scratch.scaling_factors, scratch.input_offsets);
  if (!filter_scales.per_channel) {
    for (int b = 0; b < g.batches; ++b) scratch.scaling_factors[b] *= filter_scales.at(0);
  }
  // TFLite skips the product when the whole input is zero; the result is the same (zero
  // quantized values give a zero dot product), so no special case here.
  for (int b = 0; b < g.batches; ++b) {
    const int8_t* input_row = scratch.quantized_input + static_cast<int64_t>(b) * g.accum_depth;
    const int32_t input_offset = scratch.input_offsets[b];
    for (int c = 0; c < g.output_depth; ++c) {
      const int8_t* filter_row = filter + static_cast<int64_t>(c) * g.accum_depth;
      int32_t dot = 0;
      int32_t row_sum = 0;
      for (int d = 0; d < g.accum_depth; ++d) {
        dot += static_cast<int32_t>(filter_row[d]) * static_cast<int32_t>(input_row[d]);
        row_sum += filter_row[d];
      }
      // sum w * (q - offset), as TFLite's dot product minus row_sum * offset.
      dot -= row_sum * input_offset;
      float scale = scratch.scaling_factors[b];
      if (filter_scales.per_channel) scale *= filter_scales.at(c);
      const float bias_value = bias ? bias[c] : 0.0f;
      output[static_cast<int64_t>(b) * g.output_depth + c] =
          Clamp(bias_value + static_cast<float>(dot) * scale, params);
    }
  }
}

}  // namespace kernels::reference
