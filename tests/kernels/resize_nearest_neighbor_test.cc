// RESIZE_NEAREST_NEIGHBOR reference kernel: the source index rule by hand (floor, align_corners'
// round half away from zero, half_pixel_centers' offset and lower clamp, downsampling), and
// whole images in float32, int8 and int16 copied pixel by pixel.
#include "kernels/reference/resize_nearest_neighbor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

std::vector<int32_t> Sources(int32_t in, int32_t out, const ResizeParams& p) {
  std::vector<int32_t> s;
  for (int32_t i = 0; i < out; ++i) s.push_back(NearestNeighbor(i, in, out, p));
  return s;
}

TEST(ResizeNearestNeighbor, SourceIndexRules) {
  // 2 -> 3: scale 2/3, sources 0, 0.67, 1.33 floor to 0, 0, 1.
  EXPECT_THAT(Sources(2, 3, {}), ElementsAre(0, 0, 1));
  // align_corners: scale 1/2, sources 0, 0.5, 1: the tie rounds away from zero.
  EXPECT_THAT(Sources(2, 3, {.align_corners = true}), ElementsAre(0, 1, 1));
  // half_pixel_centers: (i + 0.5) * 2/3 = 0.33, 1, 1.67.
  EXPECT_THAT(Sources(2, 3, {.half_pixel_centers = true}), ElementsAre(0, 1, 1));
  // 4 -> 2 takes every other pixel; 3 -> 1 the first (or with half_pixel_centers the middle).
  EXPECT_THAT(Sources(4, 2, {}), ElementsAre(0, 2));
  EXPECT_THAT(Sources(3, 1, {}), ElementsAre(0));
  EXPECT_THAT(Sources(3, 1, {.half_pixel_centers = true}), ElementsAre(1));
  // One output with align_corners keeps scale in / out.
  EXPECT_THAT(Sources(3, 1, {.align_corners = true}), ElementsAre(0));
  // Upsampling by 3 repeats each pixel three times; the last never leaves the input.
  EXPECT_THAT(Sources(2, 6, {}), ElementsAre(0, 0, 0, 1, 1, 1));
}

template <class T>
std::vector<T> Resize(const ResizeParams& p, const Shape& in_shape, const std::vector<T>& input,
                      int32_t out_h, int32_t out_w) {
  const Shape out_shape{in_shape.dim(0), out_h, out_w, in_shape.dim(3)};
  std::vector<T> output(static_cast<size_t>(out_shape.FlatSize()));
  ResizeNearestNeighbor(p, in_shape, input.data(), sizeof(T), out_shape, output.data());
  return output;
}

TEST(ResizeNearestNeighbor, CopiesWholePixelsInEveryType) {
  // [1, 2, 2, 2] -> [1, 3, 3, 2]: rows and columns 0, 0, 1.
  const std::vector<int16_t> x = {-32768, 1, 2, 3, 4, 5, 6, 32767};
  EXPECT_THAT(
      Resize<int16_t>({}, Shape{1, 2, 2, 2}, x, 3, 3),
      ElementsAre(-32768, 1, -32768, 1, 2, 3, -32768, 1, -32768, 1, 2, 3, 4, 5, 4, 5, 6, 32767));
  EXPECT_THAT(Resize<int8_t>({.align_corners = true}, Shape{2, 1, 2, 1}, {-128, 127, 5, 6}, 1, 3),
              ElementsAre(-128, 127, 127, 5, 6, 6));
  EXPECT_THAT(Resize<float>({}, Shape{1, 1, 4, 1}, {0.5f, 1.5f, -2.5f, 3}, 1, 2),
              ElementsAre(0.5f, -2.5f));
}

}  // namespace
}  // namespace kernels::reference
