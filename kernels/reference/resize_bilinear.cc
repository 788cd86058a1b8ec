#include "kernels/reference/resize_bilinear.h"

#include <algorithm>
#include <cmath>

namespace kernels::reference {
namespace {

struct Source {
  float scaled;  // the source coordinate
  int32_t lower, upper;
};

Source FloatSource(int32_t value, float scale, bool half_pixel_centers, int32_t input_size) {
  Source s;
  s.scaled = half_pixel_centers ? (static_cast<float>(value) + 0.5f) * scale - 0.5f
                                : static_cast<float>(value) * scale;
  s.lower = std::max(static_cast<int32_t>(std::floor(s.scaled)), int32_t{0});
  s.upper = std::min(static_cast<int32_t>(std::ceil(s.scaled)), input_size - 1);
  return s;
}

float FloatScale(int32_t in, int32_t out, bool align_corners) {
  if (align_corners && out > 1) return static_cast<float>(in - 1) / static_cast<float>(out - 1);
  return static_cast<float>(in) / static_cast<float>(out);
}

struct FixedSource {
  int32_t scaled;  // the source coordinate in 1/1024ths
  int32_t lower, upper;
};

FixedSource FixedPointSource(int32_t value, int32_t scale_10, bool half_pixel_centers,
                             int32_t input_size) {
  FixedSource s;
  s.scaled = half_pixel_centers ? value * scale_10 + scale_10 / 2 - (1 << 9) : value * scale_10;
  // C++ division truncates toward zero, as in TFLite; a negative coordinate gives lower 0.
  s.lower = std::max(s.scaled / (1 << 10), int32_t{0});
  s.upper = std::min((s.scaled + (1 << 10) - 1) / (1 << 10), input_size - 1);
  return s;
}

// round(1024 * in / out) with integer division, as TFLite's ResizeBilinearInteger.
int32_t FixedScale(int32_t in, int32_t out, bool align_corners) {
  if (align_corners && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
  return ((1 << 10) * in + out / 2) / out;
}

}  // namespace

void ResizeBilinear(const ResizeParams& params, const Shape& input_shape, const float* input,
                    const Shape& output_shape, float* output) {
  const int32_t batches = input_shape.dim(0), in_h = input_shape.dim(1), in_w = input_shape.dim(2),
                depth = input_shape.dim(3);
  const int32_t out_h = output_shape.dim(1), out_w = output_shape.dim(2);
  const float height_scale = FloatScale(in_h, out_h, params.align_corners);
  const float width_scale = FloatScale(in_w, out_w, params.align_corners);
  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t y = 0; y < out_h; ++y) {
      const Source sy = FloatSource(y, height_scale, params.half_pixel_centers, in_h);
      const float dy = sy.scaled - static_cast<float>(sy.lower);
      for (int32_t x = 0; x < out_w; ++x) {
        const Source sx = FloatSource(x, width_scale, params.half_pixel_centers, in_w);
        const float dx = sx.scaled - static_cast<float>(sx.lower);
        for (int32_t c = 0; c < depth; ++c) {
          // TFLite's expression, term by term and left to right, for identical rounding.
          const float value =
              input[Offset(input_shape, b, sy.lower, sx.lower, c)] * (1 - dy) * (1 - dx) +
              input[Offset(input_shape, b, sy.upper, sx.lower, c)] * dy * (1 - dx) +
              input[Offset(input_shape, b, sy.lower, sx.upper, c)] * (1 - dy) * dx +
              input[Offset(input_shape, b, sy.upper, sx.upper, c)] * dy * dx + 0.0f;
          output[Offset(output_shape, b, y, x, c)] = value;
        }
      }
    }
  }
}

void ResizeBilinear(const ResizeParams& params, const Shape& input_shape, const int8_t* input,
                    const Shape& output_shape, int8_t* output) {
  const int32_t batches = input_shape.dim(0), in_h = input_shape.dim(1), in_w = input_shape.dim(2),
                depth = input_shape.dim(3);
  const int32_t out_h = output_shape.dim(1), out_w = output_shape.dim(2);
  const int32_t height_scale = FixedScale(in_h, out_h, params.align_corners);
  const int32_t width_scale = FixedScale(in_w, out_w, params.align_corners);
  constexpr int64_t kOne = 1 << 10;
  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t y = 0; y < out_h; ++y) {
      const FixedSource sy = FixedPointSource(y, height_scale, params.half_pixel_centers, in_h);
      const int64_t dy = sy.scaled - kOne * sy.lower;
      for (int32_t x = 0; x < out_w; ++x) {
        const FixedSource sx = FixedPointSource(x, width_scale, params.half_pixel_centers, in_w);
        const int64_t dx = sx.scaled - kOne * sx.lower;
        for (int32_t c = 0; c < depth; ++c) {
          const int64_t sum =
              input[Offset(input_shape, b, sy.lower, sx.lower, c)] * (kOne - dy) * (kOne - dx) +
              input[Offset(input_shape, b, sy.upper, sx.lower, c)] * dy * (kOne - dx) +
              input[Offset(input_shape, b, sy.lower, sx.upper, c)] * (kOne - dy) * dx +
              input[Offset(input_shape, b, sy.upper, sx.upper, c)] * dy * dx;
          // Half away from zero, then division truncating toward zero: TFLite's double-rounding
          // build (TFLITE_SINGLE_ROUNDING unset), the one TFLite-Micro's reference uses.
          const int64_t round = sum > 0 ? (1 << 19) : -(1 << 19);
          output[Offset(output_shape, b, y, x, c)] = static_cast<int8_t>((sum + round) / (1 << 20));
        }
      }
    }
  }
}

}  // namespace kernels::reference
