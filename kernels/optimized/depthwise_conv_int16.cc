// int16x8 depthwise weight packing, the dispatch, and the portable variant: one plain loop nest
// (channels innermost, so the compiler vectorizes it) with the scalar int64 output stage.
#include "kernels/optimized/depthwise_conv_int16.h"

#include <algorithm>

#include "kernels/fixed_point.h"

namespace kernels::optimized {
namespace {

// Channels summed together in the portable variant; their sums live on the stack.
constexpr int kChannelChunk = 64;

struct Geometry {
  int batches, in_height, in_width, in_channels;
  int filter_width;
  int out_height, out_width, out_channels;
};

template <bool kMultiplierOne>
void Pixel(const reference::DepthwiseParams& p, const Geometry& g, const PackedDepthwiseInt16x8& w,
           const int16_t* input, int b, int out_y, int out_x, int16_t* out) {
  const int in_y_origin = out_y * p.stride_height - p.padding_height;
  const int in_x_origin = out_x * p.stride_width - p.padding_width;
  const int multiplier = p.depth_multiplier;
  for (int c0 = 0; c0 < g.out_channels; c0 += kChannelChunk) {
    const int count = std::min(kChannelChunk, g.out_channels - c0);
    int64_t sums[kChannelChunk] = {};
    for (int t0 = 0; t0 < w.taps; t0 += kDepthwiseInt16TapsPerBlock) {
      const int t_end = std::min(t0 + kDepthwiseInt16TapsPerBlock, w.taps);
      int32_t acc[kChannelChunk] = {};
      for (int t = t0; t < t_end; ++t) {
        const int in_y = in_y_origin + p.dilation_height * (t / g.filter_width);
        const int in_x = in_x_origin + p.dilation_width * (t % g.filter_width);
        // Taps in the padding are skipped, as the reference does.
        if (in_y < 0 || in_y >= g.in_height || in_x < 0 || in_x >= g.in_width) continue;
        const int16_t* x =
            input +
            ((static_cast<int64_t>(b) * g.in_height + in_y) * g.in_width + in_x) * g.in_channels;
        const int32_t* f = w.filter.data() + static_cast<int64_t>(t) * w.padded_channels + c0;
        if constexpr (kMultiplierOne) {
          for (int c = 0; c < count; ++c) acc[c] += f[c] * static_cast<int32_t>(x[c0 + c]);
        } else {
          for (int c = 0; c < count; ++c) {
            acc[c] += f[c] * static_cast<int32_t>(x[(c0 + c) / multiplier]);
          }
        }
      }
      for (int c = 0; c < count; ++c) sums[c] += acc[c];
    }
    for (int c = 0; c < count; ++c) {
      const auto i = static_cast<size_t>(c0 + c);
      const int32_t scaled =
          MultiplyByQuantizedMultiplier(sums[c] + w.bias[i], w.multiplier[i], w.shift[i]);
      out[c0 + c] = static_cast<int16_t>(
          std::clamp(scaled, p.quantized_activation_min, p.quantized_activation_max));
    }
  }
}

template <bool kMultiplierOne>
void Loops(const reference::DepthwiseParams& p, const Geometry& g, const PackedDepthwiseInt16x8& w,
           const int16_t* input, int16_t* output) {
  for (int b = 0; b < g.batches; ++b) {
    for (int y = 0; y < g.out_height; ++y) {
      for (int x = 0; x < g.out_width; ++x) {
        int16_t* out = output + ((static_cast<int64_t>(b) * g.out_height + y) * g.out_width + x) *
                                    g.out_channels;
        Pixel<kMultiplierOne>(p, g, w, input, b, y, x, out);
      }
    }
  }
}

void RunPortable(const reference::DepthwiseParams& p, const Shape& input_shape,
                 const Shape& filter_shape, const Shape& output_shape,
                 const PackedDepthwiseInt16x8& w, const int16_t* input, int16_t* output) {
  const Geometry g{input_shape.dim(0),  input_shape.dim(1),  input_shape.dim(2),
                   input_shape.dim(3),  filter_shape.dim(2), output_shape.dim(1),
                   output_shape.dim(2), output_shape.dim(3)};
  if (p.depth_multiplier == 1) {
    Loops<true>(p, g, w, input, output);
  } else {
    Loops<false>(p, g, w, input, output);
  }
}

// The constants of channels 0-7 copied to 8-15 (the padding channels).
Int16Requantization Twice(Int16Requantization q) {
  constexpr auto kHalf = static_cast<std::ptrdiff_t>(kInt16ChannelBlock / 2);
  const auto repeat = [](auto& lanes) { std::copy_n(lanes.begin(), kHalf, lanes.begin() + kHalf); };
  repeat(q.reduced_multiplier);
  repeat(q.rounded_bias);
  repeat(q.total_shift);
  repeat(q.bias32);
  repeat(q.multiplier32);
  repeat(q.left_shift);
  repeat(q.right_shift);
  return q;
}

}  // namespace

PackedDepthwiseInt16x8 PackDepthwiseInt16x8(const int8_t* filter, int taps, int channels,
                                            const int64_t* bias, const int32_t* multiplier,
                                            const int32_t* shift) {
  PackedDepthwiseInt16x8 w;
  w.channels = channels;
  w.padded_channels = (channels + kInt16ChannelBlock - 1) / kInt16ChannelBlock * kInt16ChannelBlock;
  w.taps = taps;
  w.filter.assign(static_cast<size_t>(taps) * static_cast<size_t>(w.padded_channels), 0);
  for (int t = 0; t < taps; ++t) {
    std::copy_n(filter + static_cast<int64_t>(t) * channels, channels,
                w.filter.begin() + static_cast<std::ptrdiff_t>(t) * w.padded_channels);
  }
  w.bias.assign(static_cast<size_t>(channels), 0);
  if (bias) std::copy_n(bias, channels, w.bias.begin());
  w.multiplier.assign(multiplier, multiplier + channels);
  w.shift.assign(shift, shift + channels);
  // The GEMM's packing computes the vector output stage's constants (int64 path, per channel);
  // its one-deep zero filter is not used.
  const std::vector<int8_t> unused_filter(static_cast<size_t>(channels), 0);
  w.requantization = PackInt16x8Weights(unused_filter.data(), channels, 1, 0, bias, nullptr,
                                        /*int64_path=*/true, multiplier, shift, channels)
                         .requantization;
  if (channels == kInt16ChannelBlock / 2) w.pair_requantization = Twice(w.requantization);
  return w;
}

void DepthwiseConvPerChannelInt16x8(KernelVariant variant, const reference::DepthwiseParams& params,
                                    const PackedDepthwiseInt16x8& weights, const Shape& input_shape,
                                    const int16_t* input, const Shape& filter_shape,
                                    const Shape& output_shape, int16_t* output) {
  switch (variant) {
    case KernelVariant::kAvx512Vnni:
      DepthwiseInt16x8Avx512Vnni(params, weights, input_shape, input, filter_shape, output_shape,
                                 output);
      return;
    case KernelVariant::kAvx2:
      DepthwiseInt16x8Avx2(params, weights, input_shape, input, filter_shape, output_shape, output);
      return;
    default:
      RunPortable(params, input_shape, filter_shape, output_shape, weights, input, output);
      return;
  }
}

}  // namespace kernels::optimized
