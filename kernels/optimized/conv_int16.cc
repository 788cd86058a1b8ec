#include "kernels/optimized/conv_int16.h"

#include <algorithm>

namespace kernels::optimized {
namespace {

// Output pixels per im2col chunk: a multiple of the micro-kernels' row tiles, small enough that
// the chunk's rows stay in cache while every channel group reads them.
constexpr int kChunkRows = 96;

int DepthOf(const Shape& filter_shape) {
  return filter_shape.dim(1) * filter_shape.dim(2) * filter_shape.dim(3);
}

// The im2col rows of output pixels [first, first + rows) (numbered over batch, y, x): for each
// filter tap in OHWI order the input pixel's channels, or zeros for taps in the padding. The
// input zero point is 0 in 16x8 mode, so a zero tap adds exactly what the reference's skipped
// tap adds: nothing.
void Im2Col(const reference::ConvParams& p, const Shape& input_shape, const int16_t* input,
            const Shape& filter_shape, const Shape& output_shape, int64_t first, int rows,
            int16_t* out) {
  const int channels = input_shape.dim(3);
  const int in_height = input_shape.dim(1);
  const int in_width = input_shape.dim(2);
  const int filter_height = filter_shape.dim(1);
  const int filter_width = filter_shape.dim(2);
  const int out_height = output_shape.dim(1);
  const int out_width = output_shape.dim(2);
  for (int r = 0; r < rows; ++r) {
    const int64_t pixel = first + r;
    const int x = static_cast<int>(pixel % out_width);
    const int y = static_cast<int>((pixel / out_width) % out_height);
    const int b = static_cast<int>(pixel / (static_cast<int64_t>(out_width) * out_height));
    const int in_y_origin = y * p.stride_height - p.padding_height;
    const int in_x_origin = x * p.stride_width - p.padding_width;
    for (int fy = 0; fy < filter_height; ++fy) {
      const int in_y = in_y_origin + p.dilation_height * fy;
      for (int fx = 0; fx < filter_width; ++fx) {
        const int in_x = in_x_origin + p.dilation_width * fx;
        if (in_y < 0 || in_y >= in_height || in_x < 0 || in_x >= in_width) {
          out = std::fill_n(out, channels, int16_t{0});
        } else {
          out = std::copy_n(input + Offset(input_shape, b, in_y, in_x, 0), channels, out);
        }
      }
    }
  }
}

}  // namespace

size_t ConvInt16x8ScratchBytes(const Shape& filter_shape) {
  return static_cast<size_t>(kChunkRows) * static_cast<size_t>(DepthOf(filter_shape)) *
         sizeof(int16_t);
}

void ConvPerChannelInt16x8(KernelVariant variant, const reference::ConvParams& params,
                           const PackedInt16x8Weights& weights, const Shape& input_shape,
                           const int16_t* input, const Shape& filter_shape,
                           const Shape& output_shape, int16_t* output, std::byte* scratch) {
  const GemmInt16Fn gemm = Int16GemmOf(variant);
  const Int16OutputStage stage{params.quantized_activation_min, params.quantized_activation_max};
  const int64_t pixels = output_shape.FlatSizeSkipDim(3);
  const int channels = output_shape.dim(3);
  const bool pointwise =
      filter_shape.dim(1) == 1 && filter_shape.dim(2) == 1 && params.stride_height == 1 &&
      params.stride_width == 1 && params.padding_height == 0 && params.padding_width == 0 &&
      input_shape.dim(1) == output_shape.dim(1) && input_shape.dim(2) == output_shape.dim(2);
  if (pointwise) {
    // Each input pixel is its own im2col row: the GEMM reads the NHWC input directly.
    gemm(weights, input, static_cast<int>(pixels), weights.k, stage, output, channels);
    return;
  }
  auto* rows_buffer = reinterpret_cast<int16_t*>(scratch);
  for (int64_t first = 0; first < pixels; first += kChunkRows) {
    const int rows = static_cast<int>(std::min<int64_t>(kChunkRows, pixels - first));
    Im2Col(params, input_shape, input, filter_shape, output_shape, first, rows, rows_buffer);
    gemm(weights, rows_buffer, rows, weights.k, stage, output + first * channels, channels);
  }
}

}  // namespace kernels::optimized
