#include "kernels/reference/fully_connected_int16.h"

#include <algorithm>
#include <utility>

#include "kernels/fixed_point.h"

namespace kernels::reference {
namespace {

// Acc is the bias type (int32 or int64); MultiplyByQuantizedMultiplier's overload on Acc picks
// the matching requantization, as TFLite-Micro's templates do. `filter_offset` is 0 for the
// per-channel kernel; `multiplier_of(c)` gives the channel's multiplier and shift.
template <class Acc, class MultiplierOf>
void FullyConnected16x8(const FullyConnectedParams& params, int32_t filter_offset,
                        const int16_t* input, const Shape& filter_shape, const int8_t* filter,
                        const Acc* bias, const Shape& output_shape, int16_t* output,
                        MultiplierOf multiplier_of) {
  const int batches = static_cast<int>(output_shape.FlatSizeSkipDim(output_shape.rank() - 1));
  const int output_depth = output_shape.dim(output_shape.rank() - 1);
  const int accum_depth = filter_shape.dim(filter_shape.rank() - 1);
  for (int b = 0; b < batches; ++b) {
    const int16_t* input_row = input + static_cast<int64_t>(b) * accum_depth;
    for (int c = 0; c < output_depth; ++c) {
      const int8_t* filter_row = filter + static_cast<int64_t>(c) * accum_depth;
      Acc acc = 0;
      for (int d = 0; d < accum_depth; ++d) {
        // (int8 + offset) * int16 fits in int32; only the sum needs Acc.
        acc += (static_cast<int32_t>(filter_row[d]) + filter_offset) *
               static_cast<int32_t>(input_row[d]);
      }
      if (bias) acc += bias[c];
      const auto [multiplier, shift] = multiplier_of(c);
      int32_t scaled = MultiplyByQuantizedMultiplier(acc, multiplier, shift);
      scaled = std::clamp(scaled, params.quantized_activation_min, params.quantized_activation_max);
      output[static_cast<int64_t>(b) * output_depth + c] = static_cast<int16_t>(scaled);
    }
  }
}

template <class Acc>
void PerTensor(const FullyConnectedParams& params, const int16_t* input, const Shape& filter_shape,
               const int8_t* filter, const Acc* bias, const Shape& output_shape, int16_t* output) {
  FullyConnected16x8(params, params.filter_offset, input, filter_shape, filter, bias, output_shape,
                     output, [&](int) {
                       return std::pair{params.output_multiplier, params.output_shift};
                     });
}

template <class Acc>
void PerChannel(const FullyConnectedParams& params, const int32_t* output_multiplier,
                const int32_t* output_shift, const int16_t* input, const Shape& filter_shape,
                const int8_t* filter, const Acc* bias, const Shape& output_shape, int16_t* output) {
  FullyConnected16x8(params, 0, input, filter_shape, filter, bias, output_shape, output,
                     [&](int c) {
                       return std::pair{output_multiplier[c], output_shift[c]};
                     });
}

}  // namespace

void FullyConnected(const FullyConnectedParams& params, const Shape&, const int16_t* input,
                    const Shape& filter_shape, const int8_t* filter, const int64_t* bias,
                    const Shape& output_shape, int16_t* output) {
  PerTensor(params, input, filter_shape, filter, bias, output_shape, output);
}

void FullyConnected(const FullyConnectedParams& params, const Shape&, const int16_t* input,
                    const Shape& filter_shape, const int8_t* filter, const int32_t* bias,
                    const Shape& output_shape, int16_t* output) {
  PerTensor(params, input, filter_shape, filter, bias, output_shape, output);
}

void FullyConnectedPerChannel(const FullyConnectedParams& params, const int32_t* output_multiplier,
                              const int32_t* output_shift, const Shape&, const int16_t* input,
                              const Shape& filter_shape, const int8_t* filter, const int64_t* bias,
                              const Shape& output_shape, int16_t* output) {
  PerChannel(params, output_multiplier, output_shift, input, filter_shape, filter, bias,
             output_shape, output);
}

void FullyConnectedPerChannel(const FullyConnectedParams& params, const int32_t* output_multiplier,
                              const int32_t* output_shift, const Shape&, const int16_t* input,
                              const Shape& filter_shape, const int8_t* filter, const int32_t* bias,
                              const Shape& output_shape, int16_t* output) {
  PerChannel(params, output_multiplier, output_shift, input, filter_shape, filter, bias,
             output_shape, output);
}

}  // namespace kernels::reference
