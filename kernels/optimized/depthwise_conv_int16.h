#pragma once
// Optimized DEPTHWISE_CONV_2D in TFLite's 16x8 mode: per output pixel, the taps summed over a
// chunk of channels at a time (channels innermost, so the loops vectorize), int32 partial sums
// over blocks of taps short enough never to overflow, added into int64; then the int64
// MultiplyByQuantizedMultiplier per channel. Bit-identical with the 16x8
// reference::DepthwiseConvPerChannel (int64 bias, any depth multiplier).

#include <cstdint>
#include <vector>

#include "kernels/optimized/dispatch.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/shape.h"

namespace kernels::optimized {

struct PackedDepthwiseInt16x8 {
  int channels = 0;             // output channels
  int taps = 0;                 // filter height * width
  std::vector<int32_t> filter;  // [taps][channels], the int8 weights widened
  std::vector<int64_t> bias;    // per channel, 0 when absent
  std::vector<int32_t> multiplier;
  std::vector<int32_t> shift;
};

// `filter` is [1, H, W, channels] as the model stores it; `bias` may be null.
PackedDepthwiseInt16x8 PackDepthwiseInt16x8(const int8_t* filter, int taps, int channels,
                                            const int64_t* bias, const int32_t* multiplier,
                                            const int32_t* shift);

// `variant` is kPortable, kAvx2 or kAvx512Vnni (CPU support checked by the caller).
void DepthwiseConvPerChannelInt16x8(KernelVariant variant, const reference::DepthwiseParams& params,
                                    const PackedDepthwiseInt16x8& weights, const Shape& input_shape,
                                    const int16_t* input, const Shape& filter_shape,
                                    const Shape& output_shape, int16_t* output);

}  // namespace kernels::optimized
