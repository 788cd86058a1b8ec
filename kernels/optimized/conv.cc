#include "kernels/optimized/conv.h"

#include <algorithm>
#include <cstring>

#include "kernels/optimized/micro_kernels.h"

namespace kernels::optimized {
namespace {

// Output pixels per im2col chunk: a multiple of the micro-kernels' 6 and 8 row tiles, small
// enough that a chunk of im2col rows stays in the L1/L2 cache while every channel group reads it.
constexpr int kChunkRows = 96;

int DepthOf(const Shape& filter_shape) {
  return filter_shape.dim(1) * filter_shape.dim(2) * filter_shape.dim(3);
}

int PaddedDepth(const Shape& filter_shape) { return (DepthOf(filter_shape) + 3) / 4 * 4; }

// A plain loop: std::fill_n of bytes becomes a call to memset, which costs more than the few
// bytes (often none) written per tap here.
template <class T>
T* Fill(T* destination, int count, T value) {
  for (int i = 0; i < count; ++i) destination[i] = value;
  return destination + count;
}

// The depth padding of the int8 layout (row_stride > taps * channels, at most 3 bytes): the
// packed weights there are zero, so any value adds nothing, but it is written anyway (zero), so
// that no uninitialized scratch byte reaches an instruction (MemorySanitizer, and a result can
// never depend on what the arena held before).
template <class T>
void FillDepthPadding(T* row, T* row_end) {
  Fill(row, static_cast<int>(row_end - row), T{});
}

// The next output pixel in (batch, y, x) order.
inline void Advance(int& x, int& y, int& b, int out_width, int out_height) {
  if (++x == out_width) {
    x = 0;
    if (++y == out_height) {
      y = 0;
      ++b;
    }
  }
}

// Writes the im2col rows of output pixels [first, first + rows) (pixels numbered over
// batch, y, x): for each filter tap in OHWI order, the input pixel's channels (converted by
// `convert(source, count, destination)`, which returns the end of what it wrote) or, for taps in the padding, `pad` (a value that contributes zero). With unit
// dilation the inside taps of one filter row are adjacent input pixels, so they are converted as
// one contiguous span (the first conv of an image model has 3 channels: a per-tap loop of 3
// elements cost more than its GEMM).
template <class T, class Source, class Convert>
void Im2Col(const reference::ConvParams& p, const Shape& input_shape, const Source* input,
            const Shape& filter_shape, const Shape& output_shape, int64_t first, int rows, T pad,
            int row_stride, T* out, Convert convert) {
  const int channels = input_shape.dim(3);
  const int in_height = input_shape.dim(1);
  const int in_width = input_shape.dim(2);
  const int filter_height = filter_shape.dim(1);
  const int filter_width = filter_shape.dim(2);
  const int out_height = output_shape.dim(1);
  const int out_width = output_shape.dim(2);
  int x = static_cast<int>(first % out_width);
  int y = static_cast<int>((first / out_width) % out_height);
  int b = static_cast<int>(first / (static_cast<int64_t>(out_width) * out_height));
  for (int r = 0; r < rows; ++r) {
    T* row = out + static_cast<int64_t>(r) * row_stride;
    T* const row_end = row + row_stride;
    const int in_y_origin = y * p.stride_height - p.padding_height;
    const int in_x_origin = x * p.stride_width - p.padding_width;
    // Filter columns whose input column lies inside the image: [fx_begin, fx_end).
    int fx_begin = 0;
    while (fx_begin < filter_width && in_x_origin + p.dilation_width * fx_begin < 0) ++fx_begin;
    int fx_end = filter_width;
    while (fx_end > fx_begin && in_x_origin + p.dilation_width * (fx_end - 1) >= in_width) --fx_end;
    const bool whole_window = fx_begin == 0 && fx_end == filter_width && in_y_origin >= 0 &&
                              in_y_origin + p.dilation_height * (filter_height - 1) < in_height;
    if (whole_window && p.dilation_width == 1) {
      // The common case, without per-tap bounds: one span per filter row.
      const Source* source = input + Offset(input_shape, b, in_y_origin, in_x_origin, 0);
      const int64_t source_step = static_cast<int64_t>(p.dilation_height) * in_width * channels;
      for (int fy = 0; fy < filter_height; ++fy, source += source_step) {
        row = convert(source, filter_width * channels, row);
      }
      FillDepthPadding(row, row_end);
      Advance(x, y, b, out_width, out_height);
      continue;
    }
    for (int fy = 0; fy < filter_height; ++fy) {
      const int in_y = in_y_origin + p.dilation_height * fy;
      if (in_y < 0 || in_y >= in_height || fx_begin == fx_end) {
        row = Fill(row, filter_width * channels, pad);
        continue;
      }
      row = Fill(row, fx_begin * channels, pad);
      const Source* source =
          input + Offset(input_shape, b, in_y, in_x_origin + p.dilation_width * fx_begin, 0);
      if (p.dilation_width == 1) {
        row = convert(source, (fx_end - fx_begin) * channels, row);
      } else {
        for (int fx = fx_begin; fx < fx_end; ++fx) {
          row = convert(source, channels, row);
          source += static_cast<int64_t>(p.dilation_width) * channels;
        }
      }
      row = Fill(row, (filter_width - fx_end) * channels, pad);
    }
    FillDepthPadding(row, row_end);
    Advance(x, y, b, out_width, out_height);
  }
}

// int8 x to the unsigned byte x + 128, which is x with its top bit flipped, 8 bytes at a time:
// the spans are short (3 to 64 bytes), too short for the compiler's 16-byte vector loop.
uint8_t* ToUnsignedBytes(const int8_t* source, int count, uint8_t* destination) {
  constexpr uint64_t kTopBits = 0x8080808080808080ULL;
  int i = 0;
  for (; i + 8 <= count; i += 8) {
    uint64_t word;
    std::memcpy(&word, source + i, sizeof word);
    word ^= kTopBits;
    std::memcpy(destination + i, &word, sizeof word);
  }
  for (; i < count; ++i) destination[i] = static_cast<uint8_t>(static_cast<uint8_t>(source[i]) ^ 0x80U);
  return destination + count;
}

// The same for the long contiguous runs of a pointwise convolution (a chunk of whole pixels): a
// plain loop that the compiler vectorizes.
void ToUnsignedBytesLong(const int8_t* source, int64_t count, uint8_t* destination) {
  for (int64_t i = 0; i < count; ++i) {
    destination[i] = static_cast<uint8_t>(static_cast<uint8_t>(source[i]) ^ 0x80U);
  }
}

float* CopyFloats(const float* source, int count, float* destination) {
  return std::copy_n(source, count, destination);
}

}  // namespace

size_t ConvInt8ScratchBytes(const Shape& filter_shape) {
  return static_cast<size_t>(kChunkRows) * static_cast<size_t>(PaddedDepth(filter_shape));
}

size_t ConvFloatScratchBytes(const Shape& filter_shape) {
  return static_cast<size_t>(kChunkRows) * static_cast<size_t>(DepthOf(filter_shape)) *
         sizeof(float);
}

void ConvPerChannel(KernelVariant variant, const reference::ConvParams& params,
                    const PackedInt8Weights& weights, const Shape& input_shape,
                    const int8_t* input, const Shape& filter_shape, const Shape& output_shape,
                    int8_t* output, std::byte* scratch) {
  const GemmInt8Fn gemm = Int8GemmOf(variant);
  const Int8OutputStage stage{params.output_offset, params.quantized_activation_min,
                              params.quantized_activation_max};
  const int64_t pixels = output_shape.FlatSizeSkipDim(3);
  const int channels = output_shape.dim(3);
  auto* rows_buffer = reinterpret_cast<uint8_t*>(scratch);
  // Padding must add nothing to
  // sum w * (x + input_offset), so it holds x = -input_offset, the input zero point.
  const auto pad = static_cast<uint8_t>((-params.input_offset + 128) & 0xFF);
  // A 1x1 convolution with unit stride and no padding reads each input pixel as its im2col row:
  // the chunk is one contiguous conversion (when the depth needs no padding to 4).
  const bool pointwise = filter_shape.dim(1) == 1 && filter_shape.dim(2) == 1 &&
                         params.stride_height == 1 && params.stride_width == 1 &&
                         params.padding_height == 0 && params.padding_width == 0 &&
                         weights.k_padded == weights.k;
  for (int64_t first = 0; first < pixels; first += kChunkRows) {
    const int rows = static_cast<int>(std::min<int64_t>(kChunkRows, pixels - first));
    if (pointwise) {
      ToUnsignedBytesLong(input + first * weights.k, int64_t{rows} * weights.k, rows_buffer);
      gemm(weights, rows_buffer, rows, weights.k, stage, output + first * channels, channels);
      continue;
    }
    Im2Col<uint8_t>(params, input_shape, input, filter_shape, output_shape, first, rows, pad,
                    weights.k_padded, rows_buffer, ToUnsignedBytes);
    gemm(weights, rows_buffer, rows, weights.k_padded, stage, output + first * channels,
         channels);
  }
}

void Conv(KernelVariant variant, const reference::ConvParams& params,
          const PackedFloatWeights& weights, const Shape& input_shape, const float* input,
          const Shape& filter_shape, const Shape& output_shape, float* output, std::byte* scratch) {
  const GemmFloatFn gemm = FloatGemmOf(variant);
  const int64_t pixels = output_shape.FlatSizeSkipDim(3);
  const int channels = output_shape.dim(3);
  const float low = params.float_activation_min;
  const float high = params.float_activation_max;
  const bool pointwise = filter_shape.dim(1) == 1 && filter_shape.dim(2) == 1 &&
                         params.stride_height == 1 && params.stride_width == 1 &&
                         params.padding_height == 0 && params.padding_width == 0;
  if (pointwise) {
    // A 1x1 convolution with unit stride is a GEMM directly on the NHWC input.
    gemm(weights, input, static_cast<int>(pixels), weights.k, low, high, output, channels);
    return;
  }
  auto* rows_buffer = reinterpret_cast<float*>(scratch);
  for (int64_t first = 0; first < pixels; first += kChunkRows) {
    const int rows = static_cast<int>(std::min<int64_t>(kChunkRows, pixels - first));
    Im2Col<float>(params, input_shape, input, filter_shape, output_shape, first, rows, 0.0f,
                  weights.k, rows_buffer, CopyFloats);
    gemm(weights, rows_buffer, rows, weights.k, low, high, output + first * channels, channels);
  }
}

}  // namespace kernels::optimized
