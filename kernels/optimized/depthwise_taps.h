#pragma once
// Which filter taps of an output pixel's window lie inside the image, for the vectorised
// DEPTHWISE_CONV_2D kernels. Internal to kernels/optimized. Plain integer code: usable from files
// compiled for any instruction set.

#include "kernels/reference/depthwise_conv.h"
#include "kernels/shape.h"

namespace kernels::optimized::depthwise {

struct TapRange {
  int y_begin, y_end, x_begin, x_end;  // filter taps whose input lies inside the image
  int in_y_origin, in_x_origin;
};

inline int FirstInside(int origin, int dilation) {
  // Smallest f >= 0 with origin + dilation * f >= 0. (Divisions only for dilated filters: at
  // one per pixel they cost more than the arithmetic of a small block.)
  if (dilation == 1) return origin >= 0 ? 0 : -origin;
  return origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
}

inline int EndInside(int origin, int dilation, int size, int taps) {
  // One past the largest f < taps with origin + dilation * f < size.
  if (origin >= size) return 0;
  if (dilation == 1) return size - origin < taps ? size - origin : taps;
  const int end = (size - 1 - origin) / dilation + 1;
  return end < taps ? end : taps;
}

inline TapRange TapsOf(const reference::DepthwiseParams& p, const Shape& input_shape,
                       const Shape& filter_shape, int out_y, int out_x) {
  TapRange r{};
  r.in_y_origin = out_y * p.stride_height - p.padding_height;
  r.in_x_origin = out_x * p.stride_width - p.padding_width;
  r.y_begin = FirstInside(r.in_y_origin, p.dilation_height);
  r.y_end = EndInside(r.in_y_origin, p.dilation_height, input_shape.dim(1), filter_shape.dim(1));
  r.x_begin = FirstInside(r.in_x_origin, p.dilation_width);
  r.x_end = EndInside(r.in_x_origin, p.dilation_width, input_shape.dim(2), filter_shape.dim(2));
  return r;
}

inline bool WholeWindow(const TapRange& taps, const Shape& filter_shape) {
  return taps.y_end - taps.y_begin == filter_shape.dim(1) &&
         taps.x_end - taps.x_begin == filter_shape.dim(2);
}

// Output columns whose windows lie inside the image horizontally: [begin, end), a contiguous
// range (empty when begin >= end).
struct ColumnRange {
  int begin, end;
};
inline ColumnRange InteriorColumns(const reference::DepthwiseParams& p, const Shape& input_shape,
                                   const Shape& filter_shape, int out_width) {
  ColumnRange range{out_width, 0};
  for (int x = 0; x < out_width; ++x) {
    const TapRange taps = TapsOf(p, input_shape, filter_shape, 0, x);
    if (taps.x_end - taps.x_begin == filter_shape.dim(2)) {
      if (range.begin > x) range.begin = x;
      range.end = x + 1;
    }
  }
  return range;
}

}  // namespace kernels::optimized::depthwise
