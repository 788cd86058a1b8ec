#include "kernels/optimized/packed_weights.h"

#include <algorithm>
#include <cstddef>

namespace kernels::optimized {
namespace {

int RoundUp(int value, int multiple) { return (value + multiple - 1) / multiple * multiple; }

size_t At(int i) { return static_cast<size_t>(i); }

}  // namespace

PackedInt8Weights PackInt8Weights(const int8_t* filter, int n, int k, const int32_t* bias,
                                  int32_t input_offset, const int32_t* multiplier,
                                  const int32_t* shift, int multiplier_count) {
  PackedInt8Weights p;
  p.n = n;
  p.k = k;
  p.n_padded = RoundUp(n, kChannelBlock);
  p.k_padded = RoundUp(k, 4);
  p.data.assign(At(p.n_padded) * At(p.k_padded), 0);
  const int depth_groups = p.k_padded / 4;
  for (int c = 0; c < n; ++c) {
    const int block = c / kChannelBlock;
    const int lane = c % kChannelBlock;
    for (int d = 0; d < k; ++d) {
      const size_t index =
          ((At(block) * At(depth_groups) + At(d / 4)) * kChannelBlock + At(lane)) * 4 + At(d % 4);
      p.data[index] = filter[static_cast<int64_t>(c) * k + d];
    }
  }
  p.bias.assign(At(p.n_padded), 0);
  p.multiplier.assign(At(p.n_padded), 0);
  p.shift.assign(At(p.n_padded), 0);
  p.left_shift.assign(At(p.n_padded), 0);
  p.right_shift.assign(At(p.n_padded), 0);
  for (int c = 0; c < n; ++c) {
    int32_t weight_sum = 0;
    for (int d = 0; d < k; ++d) weight_sum += filter[static_cast<int64_t>(c) * k + d];
    // Unsigned arithmetic: the same wrapping sum the int32 accumulator of the reference forms.
    const uint32_t correction =
        static_cast<uint32_t>(input_offset - 128) * static_cast<uint32_t>(weight_sum);
    const uint32_t bias_value = bias ? static_cast<uint32_t>(bias[c]) : 0U;
    p.bias[At(c)] = static_cast<int32_t>(bias_value + correction);
    const int source = multiplier_count == 1 ? 0 : c;
    p.multiplier[At(c)] = multiplier[source];
    p.shift[At(c)] = shift[source];
    p.left_shift[At(c)] = std::max(shift[source], 0);
    p.right_shift[At(c)] = std::max(-shift[source], 0);
  }
  return p;
}

PackedFloatWeights PackFloatWeights(const float* filter, int n, int k, const float* bias) {
  PackedFloatWeights p;
  p.n = n;
  p.k = k;
  p.n_padded = RoundUp(n, kChannelBlock);
  p.data.assign(At(p.n_padded) * At(k), 0.0f);
  for (int c = 0; c < n; ++c) {
    const int block = c / kChannelBlock;
    const int lane = c % kChannelBlock;
    for (int d = 0; d < k; ++d) {
      p.data[(At(block) * At(k) + At(d)) * kChannelBlock + At(lane)] =
          filter[static_cast<int64_t>(c) * k + d];
    }
  }
  p.bias.assign(At(p.n_padded), 0.0f);
  if (bias) std::copy(bias, bias + n, p.bias.begin());
  return p;
}

PackedDepthwiseInt8 PackDepthwiseInt8(const int8_t* filter, int taps, int channels,
                                      const int32_t* bias, const int32_t* multiplier,
                                      const int32_t* shift) {
  PackedDepthwiseInt8 p;
  p.channels = channels;
  p.taps = taps;
  const size_t count = At(taps) * At(channels);
  p.filter.assign(filter, filter + count);
  p.weight_lanes.resize(count);
  for (size_t i = 0; i < count; ++i) {
    p.weight_lanes[i] = static_cast<int32_t>(static_cast<uint16_t>(static_cast<int16_t>(filter[i])));
  }
  p.weight_sum.assign(At(channels), 0);
  for (size_t i = 0; i < count; ++i) p.weight_sum[i % At(channels)] += filter[i];
  p.bias.assign(At(channels), 0);
  if (bias) std::copy(bias, bias + channels, p.bias.begin());
  p.multiplier.assign(multiplier, multiplier + channels);
  p.shift.assign(shift, shift + channels);
  for (int c = 0; c < channels; ++c) {
    p.left_shift.push_back(std::max(shift[c], 0));
    p.right_shift.push_back(std::max(-shift[c], 0));
  }
  return p;
}

}  // namespace kernels::optimized
