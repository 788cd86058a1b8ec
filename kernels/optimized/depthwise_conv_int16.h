#pragma once
// Optimized DEPTHWISE_CONV_2D in TFLite's 16x8 mode, bit-identical with the 16x8
// reference::DepthwiseConvPerChannel (int64 bias, any depth multiplier, taps in the padding
// skipped). Per output pixel and vector of channels: the products w * x summed in int32 lanes over
// blocks of taps short enough never to overflow, widened into int64, then the int64
// MultiplyByQuantizedMultiplier per channel (vectorized: requantize_int16_avx512.h,
// requantize_int16_avx2.h; scalar in the portable variant).

#include <cstdint>
#include <vector>

#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/gemm_int16.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/shape.h"

namespace kernels::optimized {

// Each product |w * x| <= 128 * 32768 = 2^22, so an int32 sum of 256 taps stays within 2^30: the
// block sums never overflow, and adding them into int64 gives the reference's exact int64 sum.
inline constexpr int kDepthwiseInt16TapsPerBlock = 256;

struct PackedDepthwiseInt16x8 {
  int channels = 0;         // output channels
  int padded_channels = 0;  // channels rounded up to 16: whole vectors of weights and constants
  int taps = 0;             // filter height * width
  // [taps][padded_channels], the int8 weights sign-extended to int32 (zero in padding channels).
  std::vector<int32_t> filter;
  std::vector<int64_t> bias;  // per channel, 0 when absent
  std::vector<int32_t> multiplier;
  std::vector<int32_t> shift;
  // The same bias, multipliers and shifts as the vector output stages read them (the int64 path),
  // padded to padded_channels.
  Int16Requantization requantization;
  // For 8-channel tensors (padded_channels 16): the 8 channels' constants in lanes 0-7 and again in
  // lanes 8-15, as the AVX-512 variant reads them when it computes two pixels per vector.
  Int16Requantization pair_requantization;
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

// The instruction-set variants behind DepthwiseConvPerChannelInt16x8 (same arguments).
// AVX-512 F/BW/VL + VNNI, 16 channels per vector.
void DepthwiseInt16x8Avx512Vnni(const reference::DepthwiseParams& params,
                                const PackedDepthwiseInt16x8& weights, const Shape& input_shape,
                                const int16_t* input, const Shape& filter_shape,
                                const Shape& output_shape, int16_t* output);
// AVX2, 8 channels per vector.
void DepthwiseInt16x8Avx2(const reference::DepthwiseParams& params,
                          const PackedDepthwiseInt16x8& weights, const Shape& input_shape,
                          const int16_t* input, const Shape& filter_shape,
                          const Shape& output_shape, int16_t* output);

}  // namespace kernels::optimized
