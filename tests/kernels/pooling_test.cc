// AVERAGE_POOL_2D and MAX_POOL_2D on small hand-computed NHWC cases: clipped windows under SAME
// padding, TFLite's integer rounding of the average, activation clamps.
#include "kernels/reference/pooling.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

constexpr float kInf = std::numeric_limits<float>::infinity();

PoolParams Params(int32_t filter, int32_t stride, int32_t padding) {
  PoolParams p;
  p.filter_height = p.filter_width = filter;
  p.stride_height = p.stride_width = stride;
  p.padding_height = p.padding_width = padding;
  p.float_activation_min = -kInf;
  p.float_activation_max = kInf;
  p.quantized_activation_min = -128;
  p.quantized_activation_max = 127;
  return p;
}

TEST(RoundedAverage, TiesRoundAwayFromZero) {
  EXPECT_EQ(RoundedAverage(5, 2), 3);
  EXPECT_EQ(RoundedAverage(-5, 2), -3);
  EXPECT_EQ(RoundedAverage(4, 3), 1);
  EXPECT_EQ(RoundedAverage(-4, 3), -1);
  EXPECT_EQ(RoundedAverage(5, 3), 2);
  EXPECT_EQ(RoundedAverage(-5, 3), -2);
  EXPECT_EQ(RoundedAverage(0, 4), 0);
}

TEST(AveragePoolFloat, ValidTwoByTwo) {
  const std::vector<float> in = {1, 2, 3,  //
                                 4, 5, 6,  //
                                 7, 8, 9};
  std::vector<float> out(4);
  AveragePool(Params(2, 1, 0), Shape{1, 3, 3, 1}, in.data(), Shape{1, 2, 2, 1}, out.data());
  EXPECT_THAT(out, ElementsAre(3, 4, 6, 7));
}

TEST(AveragePoolFloat, SamePaddingDividesByInBoundsCount) {
  // 3x3 input, 2x2 filter, stride 2, SAME: output 2x2, padding only after the data, so the
  // windows hold 4, 2, 2 and 1 elements.
  const std::vector<float> in = {1, 2, 3,  //
                                 4, 5, 6,  //
                                 7, 8, 9};
  std::vector<float> out(4);
  AveragePool(Params(2, 2, 0), Shape{1, 3, 3, 1}, in.data(), Shape{1, 2, 2, 1}, out.data());
  EXPECT_THAT(out, ElementsAre(3, 4.5f, 7.5f, 9));
}

TEST(AveragePoolFloat, LeadingPaddingAndChannels) {
  // 1x2x2 input with two channels, 3x3 filter, stride 1, padding 1: every window covers the
  // whole input.
  const std::vector<float> in = {1, -1, 2, -2, 3, -3, 4, -4};
  std::vector<float> out(8);
  AveragePool(Params(3, 1, 1), Shape{1, 2, 2, 2}, in.data(), Shape{1, 2, 2, 2}, out.data());
  EXPECT_THAT(out, ElementsAre(2.5f, -2.5f, 2.5f, -2.5f, 2.5f, -2.5f, 2.5f, -2.5f));
}

TEST(AveragePoolInt8, RoundsTiesAwayFromZero) {
  const std::vector<int8_t> in = {2, 3, -2, -3, 1, 1, -1, -2};  // [1, 4, 2, 1]
  std::vector<int8_t> out(4);
  PoolParams p = Params(1, 1, 0);
  p.filter_width = 2;
  p.stride_width = 2;
  AveragePool(p, Shape{1, 4, 2, 1}, in.data(), Shape{1, 4, 1, 1}, out.data());
  // 5 / 2 -> 3, -5 / 2 -> -3, 2 / 2 -> 1, -3 / 2 -> -2.
  EXPECT_THAT(out, ElementsAre(3, -3, 1, -2));
}

TEST(AveragePoolInt8, ClampsToActivationRange) {
  const std::vector<int8_t> in = {-100, -50, 100, 120};  // [1, 2, 2, 1]
  std::vector<int8_t> out(2);
  PoolParams p = Params(1, 1, 0);
  p.filter_width = 2;
  p.stride_width = 2;
  p.quantized_activation_min = -10;
  p.quantized_activation_max = 100;
  AveragePool(p, Shape{1, 2, 2, 1}, in.data(), Shape{1, 2, 1, 1}, out.data());
  EXPECT_THAT(out, ElementsAre(-10, 100));
}

TEST(AveragePoolInt8, LargeWindowSumsInInt32) {
  std::vector<int8_t> in(16 * 16, 127);
  in[0] = -128;
  std::vector<int8_t> out(1);
  AveragePool(Params(16, 16, 0), Shape{1, 16, 16, 1}, in.data(), Shape{1, 1, 1, 1}, out.data());
  // (255 * 127 - 128) / 256 = 126.0078 -> 126.
  EXPECT_THAT(out, ElementsAre(126));
}

TEST(MaxPoolInt8, PaddingNeverWins) {
  // All values negative: a padded position must not act as 0.
  const std::vector<int8_t> in = {-5, -3, -7, -9};  // [1, 2, 2, 1]
  std::vector<int8_t> out(4);
  MaxPool(Params(2, 1, 0), Shape{1, 2, 2, 1}, in.data(), Shape{1, 2, 2, 1}, out.data());
  // SAME-style trailing padding: windows (0,0) all, (0,1) right column, (1,0) bottom row, (1,1).
  EXPECT_THAT(out, ElementsAre(-3, -3, -7, -9));
}

TEST(MaxPoolFloat, StridedWithRelu6) {
  const std::vector<float> in = {1, 9, 2, 3,   //
                                 4, 5, -1, -2,  //
                                 0, 0, 7, 0,    //
                                 0, -1, 0, 8};
  std::vector<float> out(4);
  PoolParams p = Params(2, 2, 0);
  p.float_activation_min = 0;
  p.float_activation_max = 6;
  MaxPool(p, Shape{1, 4, 4, 1}, in.data(), Shape{1, 2, 2, 1}, out.data());
  EXPECT_THAT(out, ElementsAre(6, 3, 0, 6));
}

TEST(MaxPoolInt16, Batches) {
  const std::vector<int16_t> in = {1000, -2000, 3000, -4000};  // [2, 1, 2, 1]
  std::vector<int16_t> out(2);
  PoolParams p = Params(1, 1, 0);
  p.filter_width = 2;
  p.quantized_activation_min = -32768;
  p.quantized_activation_max = 32767;
  MaxPool(p, Shape{2, 1, 2, 1}, in.data(), Shape{2, 1, 1, 1}, out.data());
  EXPECT_THAT(out, ElementsAre(1000, 3000));
}

}  // namespace
}  // namespace kernels::reference
