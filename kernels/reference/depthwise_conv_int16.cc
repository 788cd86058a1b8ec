#include "kernels/reference/depthwise_conv_int16.h"

#include <algorithm>

#include "kernels/fixed_point.h"
#include "kernels/reference/depthwise_conv_loops.h"

namespace kernels::reference {

void DepthwiseConvPerChannel(const DepthwiseParams& params, const int32_t* output_multiplier,
                             const int32_t* output_shift, const Shape& input_shape,
                             const int16_t* input, const Shape& filter_shape, const int8_t* filter,
                             const int64_t* bias, const Shape& output_shape, int16_t* output) {
  internal::DepthwiseLoops<int64_t>(
      params, input_shape, filter_shape, output_shape,
      [&](int64_t& acc, int, int64_t i, int64_t f) {
        acc += static_cast<int64_t>(filter[f]) * static_cast<int64_t>(input[i]);
      },
      [&](int64_t acc, int, int c, int64_t o) {
        if (bias) acc += bias[c];
        int32_t scaled = MultiplyByQuantizedMultiplier(acc, output_multiplier[c], output_shift[c]);
        scaled =
            std::clamp(scaled, params.quantized_activation_min, params.quantized_activation_max);
        output[o] = static_cast<int16_t>(scaled);
      });
}

}  // namespace kernels::reference
