// ADD against hand-computed cases (parameters, ties, saturation, broadcasting) and an exhaustive
// int8 sweep against an independent exact implementation of TFLite's rescaling algorithm.
#include "kernels/reference/add.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/fixed_point.h"
#include "tests/kernels/exact_fixed_point.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

constexpr float kInf = std::numeric_limits<float>::infinity();

TEST(AddFloat, BroadcastsRowAgainstMatrixAndClamps) {
  const std::vector<float> a = {1, -2, 3, -4, 5, -6};
  const std::vector<float> b = {10, 0.5f, -1};
  std::vector<float> out(6);
  Add(AddFloatParams{0.0f, kInf}, Shape{2, 3}, a.data(), Shape{3}, b.data(), out.data());
  // Relu: negative sums become 0.
  EXPECT_THAT(out, ElementsAre(11, 0, 2, 6, 5.5f, 0));
}

TEST(AddFloat, BroadcastsColumnAgainstRow) {
  const std::vector<float> column = {1, 2};       // [2, 1]
  const std::vector<float> row = {10, 20, 30};    // [1, 3]
  std::vector<float> out(6);
  Add(AddFloatParams{-kInf, kInf}, Shape{2, 1}, column.data(), Shape{1, 3}, row.data(),
      out.data());
  EXPECT_THAT(out, ElementsAre(11, 21, 31, 12, 22, 32));
  // The same with the operands swapped: the first input may be the broadcast one.
  Add(AddFloatParams{-kInf, kInf}, Shape{1, 3}, row.data(), Shape{2, 1}, column.data(),
      out.data());
  EXPECT_THAT(out, ElementsAre(11, 21, 31, 12, 22, 32));
}

TEST(AddQuantizedParams, PowerOfTwoScales) {
  // twice_max = 1: input multipliers 0.5 and 0.25, output multiplier 1 / (2^20 * 0.5) = 2^-19.
  const AddQuantizedParams p = MakeAddQuantizedParams(0.5f, 0, 0.25f, 0, 0.5f, 0, false, -128, 127);
  EXPECT_EQ(p.left_shift, 20);
  EXPECT_EQ(p.input1_multiplier, 1 << 30);
  EXPECT_EQ(p.input1_shift, 0);
  EXPECT_EQ(p.input2_multiplier, 1 << 30);
  EXPECT_EQ(p.input2_shift, -1);
  EXPECT_EQ(p.output_multiplier, 1 << 30);
  EXPECT_EQ(p.output_shift, -18);
  EXPECT_EQ(MakeAddQuantizedParams(1, 0, 1, 0, 1, 0, true, -32768, 32767).left_shift, 15);
}

TEST(AddInt8, DifferentInputScalesRoundHalfAwayFromZero) {
  // 3 * 0.5 + 5 * 0.25 = 2.75 = 5.5 output steps: the final rounding shift takes the tie away
  // from zero, both ways.
  const AddQuantizedParams p = MakeAddQuantizedParams(0.5f, 0, 0.25f, 0, 0.5f, 0, false, -128, 127);
  const std::vector<int8_t> a = {3, -3, 0, 1};
  const std::vector<int8_t> b = {5, -5, 1, 0};
  std::vector<int8_t> out(4);
  Add(p, Shape{4}, a.data(), Shape{4}, b.data(), out.data());
  // 0.25 = 0.5 output steps -> 1 (tie away from zero); 0.5 -> exactly 1.
  EXPECT_THAT(out, ElementsAre(6, -6, 1, 1));
}

TEST(AddInt8, ZeroPointsAndSaturation) {
  // Unit scales: output = (x - 10) + (y + 20) + (-5), clamped to int8.
  const AddQuantizedParams p = MakeAddQuantizedParams(1, 10, 1, -20, 1, -5, false, -128, 127);
  const std::vector<int8_t> a = {10, 100, -100, 127};
  const std::vector<int8_t> b = {-20, 100, -100, 127};
  std::vector<int8_t> out(4);
  Add(p, Shape{4}, a.data(), Shape{4}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(-5, 127, -128, 127));
}

TEST(AddInt8, ActivationRangeClamps) {
  const AddQuantizedParams p = MakeAddQuantizedParams(1, 0, 1, 0, 1, 0, false, 0, 6);
  const std::vector<int8_t> a = {-3, 2, 5};
  const std::vector<int8_t> b = {1, 2, 5};
  std::vector<int8_t> out(3);
  Add(p, Shape{3}, a.data(), Shape{3}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(0, 4, 6));
}

TEST(AddInt8, BroadcastsChannelBias) {
  const AddQuantizedParams p = MakeAddQuantizedParams(1, 0, 1, 0, 1, 0, false, -128, 127);
  const std::vector<int8_t> image = {1, 2, 3, 4, 5, 6};  // [1, 3, 2]
  const std::vector<int8_t> bias = {10, -10};            // [2]
  std::vector<int8_t> out(6);
  Add(p, Shape{1, 3, 2}, image.data(), Shape{2}, bias.data(), out.data());
  EXPECT_THAT(out, ElementsAre(11, -8, 13, -6, 15, -4));
}

TEST(AddInt16, UsesFifteenBitsOfHeadroom) {
  const AddQuantizedParams p = MakeAddQuantizedParams(1, 0, 1, 0, 1, 0, true, -32768, 32767);
  const std::vector<int16_t> a = {1000, 30000, -30000};
  const std::vector<int16_t> b = {-300, 30000, -30000};
  std::vector<int16_t> out(3);
  Add(p, Shape{3}, a.data(), Shape{3}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(700, 32767, -32768));
}

// TFLite's per-element algorithm written out again with the exact helpers.
int32_t ExpectedAdd(int32_t x, int32_t y, const AddQuantizedParams& p) {
  using testing::ExactRequantize;
  const int32_t scaled1 =
      ExactRequantize((x + p.input1_offset) * (1 << p.left_shift), p.input1_multiplier,
                      p.input1_shift);
  const int32_t scaled2 =
      ExactRequantize((y + p.input2_offset) * (1 << p.left_shift), p.input2_multiplier,
                      p.input2_shift);
  const int32_t out =
      ExactRequantize(scaled1 + scaled2, p.output_multiplier, p.output_shift) + p.output_offset;
  return std::clamp(out, p.activation_min, p.activation_max);
}

TEST(AddInt8, ExhaustiveSweepMatchesExactAlgorithmAndRealSum) {
  struct Case {
    float s1;
    int32_t z1;
    float s2;
    int32_t z2;
    float so;
    int32_t zo;
  };
  const Case cases[] = {{0.1f, 3, 0.3f, -7, 0.2f, 5},
                        {0.0235f, -128, 0.0117f, 12, 0.031f, -3},
                        {0.5f, 0, 0.5f, 0, 0.004f, 0}};
  for (const Case& c : cases) {
    const AddQuantizedParams p =
        MakeAddQuantizedParams(c.s1, c.z1, c.s2, c.z2, c.so, c.zo, false, -128, 127);
    std::vector<int8_t> a, b;
    for (int x = -128; x <= 127; ++x) {
      for (int y = -128; y <= 127; ++y) {
        a.push_back(static_cast<int8_t>(x));
        b.push_back(static_cast<int8_t>(y));
      }
    }
    std::vector<int8_t> out(a.size());
    Add(p, Shape{static_cast<int32_t>(a.size())}, a.data(),
        Shape{static_cast<int32_t>(b.size())}, b.data(), out.data());
    for (size_t i = 0; i < a.size(); ++i) {
      ASSERT_EQ(out[i], ExpectedAdd(a[i], b[i], p)) << "x=" << int{a[i]} << " y=" << int{b[i]};
      // And the result is the real sum to within one step.
      const double real = static_cast<double>(c.s1) * (a[i] - c.z1) +
                          static_cast<double>(c.s2) * (b[i] - c.z2);
      const double ideal =
          std::clamp(std::round(real / static_cast<double>(c.so)) + c.zo, -128.0, 127.0);
      ASSERT_LE(std::abs(out[i] - ideal), 1.0) << "x=" << int{a[i]} << " y=" << int{b[i]};
    }
  }
}

}  // namespace
}  // namespace kernels::reference
