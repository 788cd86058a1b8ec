// MAXIMUM and MINIMUM reference kernels: hand-computed broadcasting (scalar, row, size-1 dims on
// both sides), every int8 pair against std::max / std::min, and TFLite's NaN behaviour.
#include "kernels/reference/maximum_minimum.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

TEST(MaximumMinimum, BroadcastsBothWays) {
  // [2, 1] against [1, 3] gives [2, 3].
  const std::vector<float> a = {1, -1}, b = {0, 0.5f, -2};
  std::vector<float> out(6);
  Maximum(Shape{2, 1}, a.data(), Shape{1, 3}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(1, 1, 1, 0, 0.5f, -1));
  Minimum(Shape{2, 1}, a.data(), Shape{1, 3}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(0, 0.5f, -2, -1, -1, -2));
}

TEST(MaximumMinimum, ScalarAgainstTensorInInt16AndInt64) {
  const std::vector<int16_t> x = {-32768, 0, 32767};
  const std::vector<int16_t> zero = {0};
  std::vector<int16_t> out(3);
  Maximum(Shape{3}, x.data(), Shape{}, zero.data(), out.data());
  EXPECT_THAT(out, ElementsAre(0, 0, 32767));
  const std::vector<int64_t> big = {int64_t{1} << 40, -(int64_t{1} << 40)};
  const std::vector<int64_t> one = {1};
  std::vector<int64_t> out64(2);
  Minimum(Shape{1}, one.data(), Shape{2}, big.data(), out64.data());
  EXPECT_THAT(out64, ElementsAre(1, -(int64_t{1} << 40)));
}

TEST(MaximumMinimum, EveryInt8Pair) {
  std::vector<int8_t> a, b;
  for (int i = -128; i < 128; ++i) {
    for (int j = -128; j < 128; ++j) {
      a.push_back(static_cast<int8_t>(i));
      b.push_back(static_cast<int8_t>(j));
    }
  }
  const Shape shape{static_cast<int32_t>(a.size())};
  std::vector<int8_t> max(a.size()), min(a.size());
  Maximum(shape, a.data(), shape, b.data(), max.data());
  Minimum(shape, a.data(), shape, b.data(), min.data());
  for (size_t k = 0; k < a.size(); ++k) {
    ASSERT_EQ(max[k], std::max(a[k], b[k])) << k;
    ASSERT_EQ(min[k], std::min(a[k], b[k])) << k;
  }
}

TEST(MaximumMinimum, NanFirstOperandYieldsTheSecond) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> a = {nan, 1}, b = {2, nan};
  std::vector<float> out(2);
  Maximum(Shape{2}, a.data(), Shape{2}, b.data(), out.data());
  EXPECT_EQ(out[0], 2.0f);          // nan > 2 is false: b
  EXPECT_TRUE(std::isnan(out[1]));  // 1 > nan is false: b
}

}  // namespace
}  // namespace kernels::reference
