#pragma once
// RESIZE_NEAREST_NEIGHBOR, TFLite semantics (tensorflow/lite/kernels/internal/reference/
// resize_nearest_neighbor.h), NHWC, over height and width. Each output pixel copies the input
// pixel at min(floor((y + offset) * scale), in - 1) (align_corners: round half away from zero
// instead of floor), offset 0.5 with half_pixel_centers (then also at least 0), scale in / out
// or, with align_corners and out > 1, (in - 1) / (out - 1), all in float as TFLite computes it.
// Elements are copied, so one byte-level implementation serves float32, int8 and int16.

#include <cstddef>
#include <cstdint>

#include "kernels/reference/resize_bilinear.h"
#include "kernels/shape.h"

namespace kernels::reference {

// The input index that output index `value` copies along one dimension.
int32_t NearestNeighbor(int32_t value, int32_t input_size, int32_t output_size,
                        const ResizeParams& params);

void ResizeNearestNeighbor(const ResizeParams& params, const Shape& input_shape, const void* input,
                           size_t element_size, const Shape& output_shape, void* output);

}  // namespace kernels::reference
