// PAD on hand-made tensors: uneven paddings per dimension, an int8 pad value, rank 1 and an
// NHWC spatial pad.
#include "kernels/reference/pad.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

TEST(Pad, FloatTwoDimensionsUneven) {
  const std::vector<float> in = {1, 2, 3, 4};  // [2, 2]
  PadParams p;
  p.before = {1, 0};
  p.after = {0, 2};
  const float zero = 0.0f;
  std::vector<float> out(12, -1.0f);
  Pad(p, Shape{2, 2}, in.data(), &zero, sizeof(float), Shape{3, 4}, out.data());
  EXPECT_THAT(out, ElementsAre(0, 0, 0, 0,  //
                               1, 2, 0, 0,  //
                               3, 4, 0, 0));
}

TEST(Pad, Int8UsesGivenPadValueOnRankOne) {
  const std::vector<int8_t> in = {5, -6};
  PadParams p;
  p.before = {2};
  p.after = {1};
  const int8_t zero_point = -128;
  std::vector<int8_t> out(5);
  Pad(p, Shape{2}, in.data(), &zero_point, 1, Shape{5}, out.data());
  EXPECT_THAT(out, ElementsAre(-128, -128, 5, -6, -128));
}

TEST(Pad, SpatialPaddingOfNhwc) {
  // [1, 1, 2, 2] padded by one on height and width -> [1, 3, 4, 2].
  const std::vector<int8_t> in = {1, 2, 3, 4};
  PadParams p;
  p.before = {0, 1, 1, 0};
  p.after = {0, 1, 1, 0};
  const int8_t pad = 7;
  std::vector<int8_t> out(24);
  Pad(p, Shape{1, 1, 2, 2}, in.data(), &pad, 1, Shape{1, 3, 4, 2}, out.data());
  EXPECT_THAT(out, ElementsAre(7, 7, 7, 7, 7, 7, 7, 7,  //
                               7, 7, 1, 2, 3, 4, 7, 7,  //
                               7, 7, 7, 7, 7, 7, 7, 7));
}

TEST(Pad, ZeroPaddingIsACopy) {
  const std::vector<int16_t> in = {1, 2, 3, 4, 5, 6};
  PadParams p;
  const int16_t pad = 0;
  std::vector<int16_t> out(6);
  Pad(p, Shape{3, 2}, in.data(), &pad, 2, Shape{3, 2}, out.data());
  EXPECT_EQ(out, in);
}

}  // namespace
}  // namespace kernels::reference
