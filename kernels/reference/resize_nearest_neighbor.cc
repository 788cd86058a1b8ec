#include "kernels/reference/resize_nearest_neighbor.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kernels::reference {

int32_t NearestNeighbor(int32_t value, int32_t input_size, int32_t output_size,
                        const ResizeParams& params) {
  const float scale = params.align_corners && output_size > 1
                          ? static_cast<float>(input_size - 1) / static_cast<float>(output_size - 1)
                          : static_cast<float>(input_size) / static_cast<float>(output_size);
  const float offset = params.half_pixel_centers ? 0.5f : 0.0f;
  const float source = (static_cast<float>(value) + offset) * scale;
  // std::round rounds half away from zero, as TFLite's TfLiteRound.
  const auto index =
      static_cast<int32_t>(params.align_corners ? std::round(source) : std::floor(source));
  const int32_t clamped = std::min(index, input_size - 1);
  return params.half_pixel_centers ? std::max(int32_t{0}, clamped) : clamped;
}

void ResizeNearestNeighbor(const ResizeParams& params, const Shape& input_shape, const void* input,
                           size_t element_size, const Shape& output_shape, void* output) {
  const int32_t batches = input_shape.dim(0), in_h = input_shape.dim(1), in_w = input_shape.dim(2);
  const int32_t out_h = output_shape.dim(1), out_w = output_shape.dim(2);
  const size_t pixel_bytes = static_cast<size_t>(input_shape.dim(3)) * element_size;
  const auto* in = static_cast<const std::byte*>(input);
  auto* out = static_cast<std::byte*>(output);
  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t y = 0; y < out_h; ++y) {
      const int32_t in_y = NearestNeighbor(y, in_h, out_h, params);
      for (int32_t x = 0; x < out_w; ++x) {
        const int32_t in_x = NearestNeighbor(x, in_w, out_w, params);
        const auto pixel =
            static_cast<size_t>((static_cast<int64_t>(b) * in_h + in_y) * in_w + in_x);
        std::memcpy(out, in + pixel * pixel_bytes, pixel_bytes);
        out += pixel_bytes;
      }
    }
  }
}

}  // namespace kernels::reference
