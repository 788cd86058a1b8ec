#include "kernels/optimized/hybrid_fully_connected.h"

#include <algorithm>

#include "kernels/optimized/asymmetric_quantize.h"
#include "kernels/optimized/packed_weights.h"

namespace kernels::optimized {
namespace {

constexpr size_t kPartAlignment = 16;

size_t AlignUp(size_t bytes) {
  return (bytes + kPartAlignment - 1) / kPartAlignment * kPartAlignment;
}

size_t At(int i) { return static_cast<size_t>(i); }

HybridGemmFn HybridGemmOf(KernelVariant variant) {
  switch (variant) {
    case KernelVariant::kAvx512Vnni:
      return HybridGemmAvx512Vnni;
    case KernelVariant::kAvx2:
      return HybridGemmAvx2;
    default:
      return HybridGemmPortable;
  }
}

}  // namespace

PackedHybridWeights PackHybridFullyConnected(const int8_t* filter, int units, int depth,
                                             const float* bias,
                                             const reference::FilterScales& filter_scales) {
  // The int8 GEMMs' packing gives the layout; its requantization constants are not used.
  const int32_t unit_multiplier = 1 << 30;
  const int32_t no_shift = 0;
  PackedInt8Weights layout = PackInt8Weights(filter, units, depth, nullptr, 0, &unit_multiplier,
                                             &no_shift, 1);
  PackedHybridWeights p;
  p.n = layout.n;
  p.k = layout.k;
  p.n_padded = layout.n_padded;
  p.k_padded = layout.k_padded;
  p.data = std::move(layout.data);
  p.per_channel = filter_scales.per_channel;
  p.tensor_scale = filter_scales.per_channel ? 1.0f : filter_scales.at(0);
  p.row_sum.assign(At(p.n_padded), 0);
  p.bias.assign(At(p.n_padded), 0.0f);
  p.channel_scale.assign(At(p.n_padded), 1.0f);
  for (int c = 0; c < units; ++c) {
    const int8_t* row = filter + static_cast<int64_t>(c) * depth;
    int32_t sum = 0;
    for (int d = 0; d < depth; ++d) sum += row[d];
    p.row_sum[At(c)] = sum;
    if (bias) p.bias[At(c)] = bias[c];
    if (p.per_channel) p.channel_scale[At(c)] = filter_scales.at(c);
  }
  return p;
}

size_t HybridFullyConnectedScratchBytes(const PackedHybridWeights& weights, int batches) {
  const size_t rows = At(batches);
  return AlignUp(rows * At(weights.k_padded)) + AlignUp(rows * sizeof(float)) +
         AlignUp(rows * sizeof(int32_t));
}

void HybridFullyConnected(KernelVariant variant, const reference::FullyConnectedParams& params,
                          const PackedHybridWeights& weights, int batches, const float* input,
                          float* output, std::byte* scratch) {
  const size_t rows = At(batches);
  auto* quantized = reinterpret_cast<uint8_t*>(scratch);
  scratch += AlignUp(rows * At(weights.k_padded));
  auto* scales = reinterpret_cast<float*>(scratch);
  scratch += AlignUp(rows * sizeof(float));
  auto* offsets = reinterpret_cast<int32_t*>(scratch);
  const int depth = weights.k;
  for (int b = 0; b < batches; ++b) {
    // The reference's quantization, row by row into the padded buffer, then q + 128 as an
    // unsigned byte (the padding meets zero weights; zeroed to be deterministic).
    uint8_t* row = quantized + static_cast<int64_t>(b) * weights.k_padded;
    QuantizeBatches(input + static_cast<int64_t>(b) * depth, 1, depth,
                    params.asymmetric_quantize_inputs, reinterpret_cast<int8_t*>(row), &scales[b],
                    &offsets[b]);
    for (int d = 0; d < depth; ++d) row[d] ^= 0x80U;
    std::fill(row + depth, row + weights.k_padded, uint8_t{0});
    // As the reference: a per-tensor filter scale is folded into the row's scale first.
    if (!weights.per_channel) scales[b] *= weights.tensor_scale;
  }
  const HybridRows a{quantized, weights.k_padded, scales, offsets};
  HybridGemmOf(variant)(weights, a, batches, params.float_activation_min,
                        params.float_activation_max, output, weights.n);
}

void HybridGemmPortable(const PackedHybridWeights& w, const HybridRows& a, int rows,
                        float activation_min, float activation_max, float* out, int out_stride) {
  const int depth_groups = w.k_padded / 4;
  for (int r = 0; r < rows; ++r) {
    const uint8_t* row = a.data + static_cast<int64_t>(r) * a.stride;
    // row_sum * (128 + offset): see PackedHybridWeights; unsigned for the wrapping product.
    const auto shift = static_cast<uint32_t>(128 + a.offset[r]);
    for (int block = 0; block * kChannelBlock < w.n; ++block) {
      const int8_t* weights = w.data.data() + static_cast<int64_t>(block) * depth_groups * 64;
      int32_t acc[kChannelBlock] = {};
      for (int g = 0; g < depth_groups; ++g) {
        const uint8_t* four = row + g * 4;
        const int8_t* group = weights + static_cast<int64_t>(g) * 64;
        for (int lane = 0; lane < kChannelBlock; ++lane) {
          for (int j = 0; j < 4; ++j) {
            acc[lane] += static_cast<int32_t>(group[lane * 4 + j]) * static_cast<int32_t>(four[j]);
          }
        }
      }
      const int first = block * kChannelBlock;
      const int count = std::min(kChannelBlock, w.n - first);
      for (int lane = 0; lane < count; ++lane) {
        const size_t c = At(first + lane);
        const auto dot = static_cast<int32_t>(static_cast<uint32_t>(acc[lane]) -
                                              static_cast<uint32_t>(w.row_sum[c]) * shift);
        // The reference's expression and order (see the header).
        const float scale = a.scale[r] * w.channel_scale[c];
        const float value = w.bias[c] + static_cast<float>(dot) * scale;
        out[static_cast<int64_t>(r) * out_stride + first + lane] =
            std::min(std::max(value, activation_min), activation_max);
      }
    }
  }
}

}  // namespace kernels::optimized
