// ARG_MAX and ARG_MIN reference kernels: ties give the first index, every axis of a rank-3
// tensor against the first position of the line's maximum, size-1 axes, and int8 raw-value order.
#include "kernels/reference/arg_min_max.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

TEST(ArgMinMax, TiesGiveTheFirstIndex) {
  const std::vector<float> x = {1, 3, 3, -2, -2, 0};  // [2, 3]
  std::vector<int32_t> out(2);
  ArgMinMax<float, true>(Shape{2, 3}, x.data(), 1, out.data());
  EXPECT_THAT(out, ElementsAre(1, 2));
  ArgMinMax<float, false>(Shape{2, 3}, x.data(), 1, out.data());
  EXPECT_THAT(out, ElementsAre(0, 0));
  std::vector<int32_t> columns(3);
  ArgMinMax<float, true>(Shape{2, 3}, x.data(), 0, columns.data());
  EXPECT_THAT(columns, ElementsAre(0, 0, 0));  // 1 > -2, 3 > -2, 3 > 0
}

TEST(ArgMinMax, Int8ComparesRawValuesAndSizeOneAxisGivesZero) {
  const std::vector<int8_t> x = {-128, 127, 0, 127};
  std::vector<int32_t> out(1);
  ArgMinMax<int8_t, true>(Shape{4}, x.data(), 0, out.data());
  EXPECT_THAT(out, ElementsAre(1));
  ArgMinMax<int8_t, false>(Shape{4}, x.data(), 0, out.data());
  EXPECT_THAT(out, ElementsAre(0));
  std::vector<int32_t> ones(4);
  ArgMinMax<int8_t, true>(Shape{4, 1}, x.data(), 1, ones.data());
  EXPECT_THAT(ones, ElementsAre(0, 0, 0, 0));
}

TEST(ArgMinMax, EveryAxisAgainstDirectSearch) {
  const std::vector<int32_t> dims = {3, 4, 5};
  std::mt19937 engine(7);
  std::uniform_int_distribution<int> value(-3, 3);  // many ties
  std::vector<int8_t> x(60);
  for (int8_t& v : x) v = static_cast<int8_t>(value(engine));
  auto at = [&](int i, int j, int k) { return x[static_cast<size_t>((i * 4 + j) * 5 + k)]; };
  for (int axis = 0; axis < 3; ++axis) {
    std::vector<int32_t> out(60 / static_cast<size_t>(dims[static_cast<size_t>(axis)]));
    ArgMinMax<int8_t, true>(Shape{3, 4, 5}, x.data(), axis, out.data());
    size_t n = 0;
    for (int a = 0; a < (axis == 0 ? 4 : 3); ++a) {
      for (int b = 0; b < (axis == 2 ? 4 : 5); ++b) {
        // The first position holding the largest value of the line.
        std::vector<int> line;
        for (int k = 0; k < dims[static_cast<size_t>(axis)]; ++k) {
          line.push_back(axis == 0 ? at(k, a, b) : axis == 1 ? at(a, k, b) : at(a, b, k));
        }
        const auto best_index = static_cast<int32_t>(
            std::find(line.begin(), line.end(), *std::max_element(line.begin(), line.end())) -
            line.begin());
        ASSERT_EQ(out[n++], best_index) << "axis " << axis;
      }
    }
  }
}

}  // namespace
}  // namespace kernels::reference
