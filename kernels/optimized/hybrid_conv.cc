#include "kernels/optimized/hybrid_conv.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "kernels/optimized/asymmetric_quantize.h"

namespace kernels::optimized {
namespace {

constexpr size_t kPartAlignment = 16;

// Output pixels per im2col chunk, as the int8 conv: a multiple of the micro-kernels' row tiles,
// small enough for a chunk of rows to stay in cache while every channel group reads it.
constexpr int kChunkRows = 96;

size_t AlignUp(size_t bytes) {
  return (bytes + kPartAlignment - 1) / kPartAlignment * kPartAlignment;
}

size_t At(int64_t i) { return static_cast<size_t>(i); }

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

struct ScratchParts {
  uint8_t* quantized;  // batches * H*W*C: q + 128
  float* batch_scale;
  int32_t* batch_offset;
  uint8_t* rows;  // kChunkRows * k_padded
  float* row_scale;
  int32_t* row_offset;
};

ScratchParts PartsOf(std::byte* memory, int batches, int64_t batch_size, int k_padded) {
  const size_t n = At(batches);
  ScratchParts s{};
  s.quantized = reinterpret_cast<uint8_t*>(memory);
  memory += AlignUp(n * At(batch_size));
  s.batch_scale = reinterpret_cast<float*>(memory);
  memory += AlignUp(n * sizeof(float));
  s.batch_offset = reinterpret_cast<int32_t*>(memory);
  memory += AlignUp(n * sizeof(int32_t));
  s.rows = reinterpret_cast<uint8_t*>(memory);
  memory += AlignUp(At(kChunkRows) * At(k_padded));
  s.row_scale = reinterpret_cast<float*>(memory);
  memory += AlignUp(At(kChunkRows) * sizeof(float));
  s.row_offset = reinterpret_cast<int32_t*>(memory);
  return s;
}

// The im2col rows of output pixels [first, first + rows) of one batch image (`input` is that
// image, H*W*C bytes): for each filter tap in OHWI order the input pixel's channels, or `pad`
// for taps outside the image. The depth padding up to row_stride is zeroed (zero weights meet
// it; zeroed only so that the rows are deterministic).
void Im2Col(const reference::ConvParams& p, const Shape& input_shape, const uint8_t* input,
            const Shape& filter_shape, int out_width, int64_t first, int rows, uint8_t pad,
            int row_stride, uint8_t* out) {
  const int channels = input_shape.dim(3);
  const int in_height = input_shape.dim(1);
  const int in_width = input_shape.dim(2);
  const int filter_height = filter_shape.dim(1);
  const int filter_width = filter_shape.dim(2);
  const size_t tap_bytes = At(channels);
  const int depth = filter_height * filter_width * channels;
  for (int r = 0; r < rows; ++r) {
    uint8_t* row = out + static_cast<int64_t>(r) * row_stride;
    const int64_t pixel = first + r;
    const int y = static_cast<int>(pixel / out_width);
    const int x = static_cast<int>(pixel % out_width);
    const int in_y_origin = y * p.stride_height - p.padding_height;
    const int in_x_origin = x * p.stride_width - p.padding_width;
    // Filter columns whose input column lies inside the image: [fx_begin, fx_end).
    int fx_begin = 0;
    while (fx_begin < filter_width && in_x_origin + p.dilation_width * fx_begin < 0) ++fx_begin;
    int fx_end = filter_width;
    while (fx_end > fx_begin && in_x_origin + p.dilation_width * (fx_end - 1) >= in_width) --fx_end;
    uint8_t* tap = row;
    for (int fy = 0; fy < filter_height; ++fy) {
      const int in_y = in_y_origin + p.dilation_height * fy;
      if (in_y < 0 || in_y >= in_height || fx_begin == fx_end) {
        std::memset(tap, pad, At(filter_width) * tap_bytes);
        tap += At(filter_width) * tap_bytes;
        continue;
      }
      std::memset(tap, pad, At(fx_begin) * tap_bytes);
      tap += At(fx_begin) * tap_bytes;
      const uint8_t* source =
          input + (static_cast<int64_t>(in_y) * in_width + in_x_origin + p.dilation_width * fx_begin) *
                      channels;
      if (p.dilation_width == 1) {
        // Adjacent input pixels: one span per filter row.
        const size_t bytes = At(fx_end - fx_begin) * tap_bytes;
        std::memcpy(tap, source, bytes);
        tap += bytes;
      } else {
        for (int fx = fx_begin; fx < fx_end; ++fx) {
          std::memcpy(tap, source, tap_bytes);
          tap += tap_bytes;
          source += static_cast<int64_t>(p.dilation_width) * channels;
        }
      }
      std::memset(tap, pad, At(filter_width - fx_end) * tap_bytes);
      tap += At(filter_width - fx_end) * tap_bytes;
    }
    std::memset(row + depth, 0, At(row_stride - depth));
  }
}

}  // namespace

PackedHybridConv PackHybridConv(const int8_t* filter, const Shape& filter_shape, const float* bias,
                                const reference::FilterScales& filter_scales) {
  const int channels = filter_shape.dim(0);
  const int depth = filter_shape.dim(1) * filter_shape.dim(2) * filter_shape.dim(3);
  PackedHybridConv p;
  p.per_channel = filter_scales.per_channel;
  p.tensor_scale = filter_scales.at(0);
  // Per-tensor packing gives channel scales of 1 (see the header); the bias is set below.
  const float unit_scale = 1.0f;
  p.gemm = PackHybridFullyConnected(filter, channels, depth, nullptr,
                                    reference::FilterScales{&unit_scale, false});
  const bool bias_in_gemm = bias != nullptr && !p.per_channel;
  for (int c = 0; c < channels; ++c) p.gemm.bias[At(c)] = bias_in_gemm ? bias[c] : -0.0f;
  if (p.per_channel) {
    p.channel_scale.assign(filter_scales.scales, filter_scales.scales + channels);
    if (bias) p.bias.assign(bias, bias + channels);
  }
  return p;
}

size_t HybridConvScratchBytes(const PackedHybridConv& packed, const Shape& input_shape) {
  const size_t batches = At(input_shape.dim(0));
  return AlignUp(batches * At(input_shape.FlatSizeSkipDim(0))) +
         2 * AlignUp(batches * sizeof(float)) + AlignUp(At(kChunkRows) * At(packed.gemm.k_padded)) +
         2 * AlignUp(At(kChunkRows) * sizeof(float));
}

void HybridConv(KernelVariant variant, const reference::ConvParams& params,
                const PackedHybridConv& packed, const Shape& input_shape, const float* input,
                const Shape& filter_shape, const Shape& output_shape, float* output,
                std::byte* scratch) {
  const PackedHybridWeights& w = packed.gemm;
  const HybridGemmFn gemm = HybridGemmOf(variant);
  const int batches = input_shape.dim(0);
  const int64_t batch_size = input_shape.FlatSizeSkipDim(0);
  const ScratchParts s = PartsOf(scratch, batches, batch_size, w.k_padded);
  // The reference's quantization over each whole H*W*C batch, then q + 128 as unsigned bytes.
  QuantizeBatches(input, batches, static_cast<int>(batch_size), /*asymmetric=*/packed.per_channel,
                  reinterpret_cast<int8_t*>(s.quantized), s.batch_scale, s.batch_offset);
  for (int64_t i = 0; i < batches * batch_size; ++i) s.quantized[i] ^= 0x80U;

  const Shape image_shape{1, input_shape.dim(1), input_shape.dim(2), input_shape.dim(3)};
  const int out_width = output_shape.dim(2);
  const int64_t pixels = static_cast<int64_t>(output_shape.dim(1)) * out_width;
  const int channels = output_shape.dim(3);
  // A 1x1 convolution with unit stride and no padding reads each input pixel as its row.
  const bool pointwise = filter_shape.dim(1) == 1 && filter_shape.dim(2) == 1 &&
                         params.stride_height == 1 && params.stride_width == 1 &&
                         params.padding_height == 0 && params.padding_width == 0 &&
                         w.k_padded == w.k;
  // The per-channel path's GEMM returns float(acc): no clamp there.
  const float gemm_min = packed.per_channel ? -std::numeric_limits<float>::infinity()
                                            : params.float_activation_min;
  const float gemm_max = packed.per_channel ? std::numeric_limits<float>::infinity()
                                            : params.float_activation_max;
  for (int b = 0; b < batches; ++b) {
    const uint8_t* image = s.quantized + b * batch_size;
    const int32_t offset = s.batch_offset[b];
    // As the reference: the per-tensor filter scale is folded into the batch's scale first.
    const float row_scale = packed.per_channel ? 1.0f : s.batch_scale[b] * packed.tensor_scale;
    std::fill_n(s.row_scale, kChunkRows, row_scale);
    std::fill_n(s.row_offset, kChunkRows, offset);
    // A padded tap holds q = offset (as q + 128): w * (q - offset) = 0, the reference's nothing.
    const auto pad = static_cast<uint8_t>(offset + 128);
    for (int64_t first = 0; first < pixels; first += kChunkRows) {
      const int rows = static_cast<int>(std::min<int64_t>(kChunkRows, pixels - first));
      float* out = output + (b * pixels + first) * channels;
      HybridRows a{s.rows, w.k_padded, s.row_scale, s.row_offset};
      if (pointwise) {
        a.data = image + first * w.k;
      } else {
        Im2Col(params, image_shape, image, filter_shape, out_width, first, rows, pad, w.k_padded,
               s.rows);
      }
      gemm(w, a, rows, gemm_min, gemm_max, out, channels);
      if (!packed.per_channel) continue;
      // EvalHybridPerChannel's epilogue, in its expression and order.
      const float input_scale = s.batch_scale[b];
      const float* bias = packed.bias.empty() ? nullptr : packed.bias.data();
      for (int r = 0; r < rows; ++r) {
        float* pixel = out + static_cast<int64_t>(r) * channels;
        for (int c = 0; c < channels; ++c) {
          float value = pixel[c] * packed.channel_scale[At(c)] * input_scale;
          if (bias) value += bias[c];
          pixel[c] =
              std::min(std::max(value, params.float_activation_min), params.float_activation_max);
        }
      }
    }
  }
}

}  // namespace kernels::optimized
