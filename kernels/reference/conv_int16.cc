#include "kernels/reference/conv_int16.h"

#include <algorithm>

#include "kernels/fixed_point.h"
#include "kernels/reference/conv_loops.h"

namespace kernels::reference {
namespace {

// Acc is the bias type (int32 or int64); MultiplyByQuantizedMultiplier's overload on Acc picks
// the matching requantization, exactly as TFLite-Micro's template does.
template <class Acc>
void ConvPerChannel16x8(const ConvParams& params, const int32_t* output_multiplier,
                        const int32_t* output_shift, const Shape& input_shape, const int16_t* input,
                        const Shape& filter_shape, const int8_t* filter, const Acc* bias,
                        const Shape& output_shape, int16_t* output) {
  const internal::ConvGeometry g(input_shape, filter_shape, output_shape);
  internal::ConvLoops<Acc>(
      params, g, input_shape, filter_shape, output_shape,
      [&](Acc& acc, int, int64_t i, int64_t f) {
        // The product of an int8 and an int16 always fits in int32; only the sum needs Acc.
        acc += static_cast<int32_t>(filter[f]) * static_cast<int32_t>(input[i]);
      },
      [&](Acc acc, int, int c, int64_t o) {
        if (bias) acc += bias[c];
        int32_t scaled = MultiplyByQuantizedMultiplier(acc, output_multiplier[c], output_shift[c]);
        scaled =
            std::clamp(scaled, params.quantized_activation_min, params.quantized_activation_max);
        output[o] = static_cast<int16_t>(scaled);
      });
}

}  // namespace

void ConvPerChannel(const ConvParams& params, const int32_t* output_multiplier,
                    const int32_t* output_shift, const Shape& input_shape, const int16_t* input,
                    const Shape& filter_shape, const int8_t* filter, const int64_t* bias,
                    const Shape& output_shape, int16_t* output) {
  ConvPerChannel16x8<int64_t>(params, output_multiplier, output_shift, input_shape, input,
                              filter_shape, filter, bias, output_shape, output);
}

void ConvPerChannel(const ConvParams& params, const int32_t* output_multiplier,
                    const int32_t* output_shift, const Shape& input_shape, const int16_t* input,
                    const Shape& filter_shape, const int8_t* filter, const int32_t* bias,
                    const Shape& output_shape, int16_t* output) {
  ConvPerChannel16x8<int32_t>(params, output_multiplier, output_shift, input_shape, input,
                              filter_shape, filter, bias, output_shape, output);
}

}  // namespace kernels::reference
