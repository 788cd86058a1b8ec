// RESIZE_BILINEAR reference kernel: hand-computed float and int8 cases (align_corners,
// half_pixel_centers with its slightly negative source coordinate, rounding ties away from zero,
// size-1 dims, downsampling), and the int8 kernel against the float one: equal to the float
// result rounded half away from zero where the 10-bit scale is exact, within one step elsewhere.
#include "kernels/reference/resize_bilinear.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

template <class T>
std::vector<T> Resize(const ResizeParams& p, const Shape& in_shape, const std::vector<T>& input,
                      int32_t out_h, int32_t out_w) {
  const Shape out_shape{in_shape.dim(0), out_h, out_w, in_shape.dim(3)};
  std::vector<T> output(static_cast<size_t>(out_shape.FlatSize()));
  ResizeBilinear(p, in_shape, input.data(), out_shape, output.data());
  return output;
}

TEST(ResizeBilinear, FloatUpsampleClampsAtTheFarEdge) {
  // Scale 0.5: source rows 0, 0.5, 1, 1.5 (the last clamps its upper neighbour to row 1).
  EXPECT_THAT(Resize<float>({}, Shape{1, 2, 2, 1}, {1, 2, 3, 4}, 4, 4),
              ElementsAre(1, 1.5, 2, 2, 2, 2.5, 3, 3, 3, 3.5, 4, 4, 3, 3.5, 4, 4));
}

TEST(ResizeBilinear, FloatAlignCornersHitsBothCorners) {
  // 2 -> 3 with align_corners: scale (2 - 1) / (3 - 1); the last output is the last input.
  EXPECT_THAT(Resize<float>({.align_corners = true}, Shape{1, 1, 2, 1}, {1, 2}, 1, 3),
              ElementsAre(1, 1.5, 2));
}

TEST(ResizeBilinear, FloatHalfPixelCentersExtrapolatesNothingAtTheEdges) {
  // Source x = (x + 0.5) * 0.5 - 0.5 = -0.25, 0.25, 0.75, 1.25.
  EXPECT_THAT(Resize<float>({.half_pixel_centers = true}, Shape{1, 1, 2, 1}, {1, 2}, 1, 4),
              ElementsAre(1, 1.25, 1.75, 2));
}

TEST(ResizeBilinear, Int8TiesRoundHalfAwayFromZero) {
  // The 1.5 and -1.5 of the float case round to 2 and -2.
  EXPECT_THAT(Resize<int8_t>({}, Shape{1, 1, 2, 2}, {1, -1, 2, -2}, 1, 4),
              ElementsAre(1, -1, 2, -2, 2, -2, 2, -2));
  // half_pixel_centers: 12.5 -> 13, 17.5 -> 18 and their negatives; the first source coordinate
  // is -256 / 1024 and weighs the first pixel by 1280 and -256 (exactly the pixel).
  EXPECT_THAT(
      Resize<int8_t>({.half_pixel_centers = true}, Shape{1, 1, 2, 2}, {10, -10, 20, -20}, 1, 4),
      ElementsAre(10, -10, 13, -13, 18, -18, 20, -20));
}

TEST(ResizeBilinear, Int8ExtremesStayInRange) {
  EXPECT_THAT(Resize<int8_t>({.align_corners = true}, Shape{1, 2, 1, 1}, {-128, 127}, 3, 1),
              ElementsAre(-128, -1, 127));  // (-128 + 127) / 2 = -0.5: away from zero
}

TEST(ResizeBilinear, SizeOneInputAndDownsample) {
  EXPECT_THAT(Resize<float>({}, Shape{1, 1, 1, 2}, {5, -6}, 2, 3),
              ElementsAre(5, -6, 5, -6, 5, -6, 5, -6, 5, -6, 5, -6));
  // 4 -> 2: scale 2, source columns 0 and 2.
  EXPECT_THAT(Resize<int8_t>({}, Shape{1, 1, 4, 1}, {1, 2, 3, 4}, 1, 2), ElementsAre(1, 3));
}

int8_t RoundHalfAway(float v) { return static_cast<int8_t>(std::round(v)); }

void CompareWithFloat(const ResizeParams& p, int32_t in_h, int32_t in_w, int32_t out_h,
                      int32_t out_w, bool exact) {
  const Shape in_shape{2, in_h, in_w, 3};
  std::mt19937 engine(static_cast<unsigned>(in_h * 131 + in_w * 17 + out_h * 7 + out_w));
  std::uniform_int_distribution<int> value(-128, 127);
  std::vector<int8_t> q(static_cast<size_t>(in_shape.FlatSize()));
  for (int8_t& v : q) v = static_cast<int8_t>(value(engine));
  const std::vector<float> f(q.begin(), q.end());
  const std::vector<int8_t> got = Resize<int8_t>(p, in_shape, q, out_h, out_w);
  const std::vector<float> want = Resize<float>(p, in_shape, f, out_h, out_w);
  // Inexact 10-bit scales move each source coordinate by at most out * |scale error| pixels;
  // between neighbours 255 steps apart that moves the value by 255 times as much, on top of
  // the final rounding's half step.
  auto scale_error = [&](int32_t in, int32_t out) {
    const bool aligned = p.align_corners && out > 1;
    const int32_t num = aligned ? in - 1 : in, den = aligned ? out - 1 : out;
    const double scale_10 = static_cast<double>(((1 << 10) * num + den / 2) / den) / 1024.0;
    return std::abs(scale_10 - static_cast<double>(num) / den) * out;
  };
  const double tolerance =
      0.5 + 255.0 * (scale_error(in_h, out_h) + scale_error(in_w, out_w)) + 1e-3;
  for (size_t i = 0; i < got.size(); ++i) {
    if (exact) {
      ASSERT_EQ(got[i], RoundHalfAway(want[i])) << "element " << i << " float " << want[i];
    } else {
      ASSERT_LE(std::abs(static_cast<double>(got[i]) - static_cast<double>(want[i])), tolerance)
          << "element " << i;
    }
  }
}

TEST(ResizeBilinear, Int8EqualsRoundedFloatWhereTheScaleIsExact) {
  for (const ResizeParams p : {ResizeParams{}, ResizeParams{.half_pixel_centers = true}}) {
    CompareWithFloat(p, 3, 5, 6, 10, true);  // x2
    CompareWithFloat(p, 2, 3, 8, 12, true);  // x4
    CompareWithFloat(p, 8, 4, 4, 2, true);   // /2
  }
  CompareWithFloat({.align_corners = true}, 3, 5, 5, 9, true);  // (in - 1) / (out - 1) = 1/2
}

TEST(ResizeBilinear, Int8WithinOneStepOfFloatElsewhere) {
  for (const ResizeParams p : {ResizeParams{}, ResizeParams{.align_corners = true},
                               ResizeParams{.half_pixel_centers = true}}) {
    CompareWithFloat(p, 3, 7, 5, 11, false);
    CompareWithFloat(p, 7, 5, 3, 2, false);
  }
}

}  // namespace
}  // namespace kernels::reference
