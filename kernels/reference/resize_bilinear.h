#pragma once
// RESIZE_BILINEAR, TFLite semantics (tensorflow/lite/kernels/internal/reference/
// resize_bilinear.h), NHWC, over height and width:
// - float: source coordinate y * scale (half_pixel_centers: (y + 0.5) * scale - 0.5), with scale
//   in / out (align_corners and out > 1: (in - 1) / (out - 1)); the four neighbours floor and ceil
//   clamped to the input, weighted in float in TFLite's order of operations;
// - int8 (ResizeBilinearInteger): the same in 10-bit fixed point, without any float: scale_10 =
//   round(1024 * in / out), the product of the two 10-bit weights and the value summed in int64
//   and divided by 2^20 rounding half away from zero (TFLite-Micro's default double-rounding
//   build). The source coordinate may be negative with half_pixel_centers; then the weights
//   extrapolate slightly, exactly as TFLite's kernel does.

#include <cstdint>

#include "kernels/shape.h"

namespace kernels::reference {

struct ResizeParams {
  bool align_corners = false;
  bool half_pixel_centers = false;  // never together with align_corners
};

// `output_shape` is [batches, out_height, out_width, depth] of the input's batches and depth.
void ResizeBilinear(const ResizeParams& params, const Shape& input_shape, const float* input,
                    const Shape& output_shape, float* output);
void ResizeBilinear(const ResizeParams& params, const Shape& input_shape, const int8_t* input,
                    const Shape& output_shape, int8_t* output);

}  // namespace kernels::reference
