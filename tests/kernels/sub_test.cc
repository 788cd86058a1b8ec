// SUB against hand-computed cases (parameters, rounding ties, saturation, broadcasting either
// input, int32 clamps) and an exhaustive int8 sweep against an independent exact implementation of
// TFLite's rescaling algorithm and against the real difference.
#include "kernels/reference/sub.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "tests/kernels/exact_fixed_point.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

constexpr float kInf = std::numeric_limits<float>::infinity();

TEST(SubFloat, BroadcastsRowAgainstMatrixAndClamps) {
  const std::vector<float> a = {1, -2, 3, -4, 5, -6};  // [2, 3]
  const std::vector<float> b = {10, 0.5f, -1};         // [3]
  std::vector<float> out(6);
  Sub(SubClampParams<float>{0.0f, kInf}, Shape{2, 3}, a.data(), Shape{3}, b.data(), out.data());
  // a - b = -9, -2.5, 4, -14, 4.5, -5; Relu keeps the positive ones.
  EXPECT_THAT(out, ElementsAre(0, 0, 4, 0, 4.5f, 0));
}

TEST(SubFloat, BroadcastsEitherInputAndKeepsOrder) {
  const std::vector<float> column = {1, 2};     // [2, 1]
  const std::vector<float> row = {10, 20, 30};  // [1, 3]
  std::vector<float> out(6);
  Sub(SubClampParams<float>{-kInf, kInf}, Shape{2, 1}, column.data(), Shape{1, 3}, row.data(),
      out.data());
  EXPECT_THAT(out, ElementsAre(-9, -19, -29, -8, -18, -28));
  // Swapped: the broadcast input is now the first, and the sign flips.
  Sub(SubClampParams<float>{-kInf, kInf}, Shape{1, 3}, row.data(), Shape{2, 1}, column.data(),
      out.data());
  EXPECT_THAT(out, ElementsAre(9, 19, 29, 8, 18, 28));
}

TEST(SubFloat, SizeOneAndScalarInputs) {
  const std::vector<float> a = {5};  // [1, 1]
  const std::vector<float> b = {1, 2, 3, 4};
  std::vector<float> out(4);
  Sub(SubClampParams<float>{-1.0f, 1.0f}, Shape{1, 1}, a.data(), Shape{2, 2}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(1, 1, 1, 1));  // 4, 3, 2, 1 clamped by RELU_N1_TO_1
}

TEST(SubInt32, ClampsAndWraps) {
  const std::vector<int32_t> a = {10, -3, 4, std::numeric_limits<int32_t>::min()};
  const std::vector<int32_t> b = {1};
  std::vector<int32_t> out(4);
  Sub(SubClampParams<int32_t>{0, 6}, Shape{4}, a.data(), Shape{1}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(6, 0, 3, 6));  // INT32_MIN - 1 wraps to INT32_MAX, then RELU6
  Sub(SubClampParams<int32_t>{std::numeric_limits<int32_t>::min(),
                              std::numeric_limits<int32_t>::max()},
      Shape{4}, a.data(), Shape{1}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(9, -4, 3, std::numeric_limits<int32_t>::max()));
}

TEST(SubQuantizedParams, PowerOfTwoScales) {
  // twice_max = 1: input multipliers 0.5 and 0.25, output multiplier 1 / (2^20 * 0.5) = 2^-19.
  const SubQuantizedParams p = MakeSubQuantizedParams(0.5f, 0, 0.25f, 0, 0.5f, 0, false, -128, 127);
  EXPECT_EQ(p.left_shift, 20);
  EXPECT_EQ(p.input1_multiplier, 1 << 30);
  EXPECT_EQ(p.input1_shift, 0);
  EXPECT_EQ(p.input2_multiplier, 1 << 30);
  EXPECT_EQ(p.input2_shift, -1);
  EXPECT_EQ(p.output_multiplier, 1 << 30);
  EXPECT_EQ(p.output_shift, -18);
  EXPECT_EQ(p.input1_offset, 0);
  EXPECT_EQ(MakeSubQuantizedParams(1, 3, 1, -4, 1, 5, true, -32768, 32767).left_shift, 15);
  EXPECT_EQ(MakeSubQuantizedParams(1, 3, 1, -4, 1, 5, true, -32768, 32767).input2_offset, 4);
}

TEST(SubInt8, DifferentInputScalesRoundHalfAwayFromZero) {
  // 3 * 0.5 - (-5) * 0.25 = 2.75 = 5.5 output steps: the tie goes away from zero, both ways.
  const SubQuantizedParams p = MakeSubQuantizedParams(0.5f, 0, 0.25f, 0, 0.5f, 0, false, -128, 127);
  const std::vector<int8_t> a = {3, -3, 0, 1};
  const std::vector<int8_t> b = {-5, 5, -1, 0};
  std::vector<int8_t> out(4);
  Sub(p, Shape{4}, a.data(), Shape{4}, b.data(), out.data());
  // 0.25 = 0.5 output steps -> 1 (tie away from zero); 0.5 -> exactly 1.
  EXPECT_THAT(out, ElementsAre(6, -6, 1, 1));
}

TEST(SubInt8, ZeroPointsAndSaturation) {
  // Unit scales: output = (x - 10) - (y + 20) + (-5), clamped to int8.
  const SubQuantizedParams p = MakeSubQuantizedParams(1, 10, 1, -20, 1, -5, false, -128, 127);
  const std::vector<int8_t> a = {10, 127, -128, 50};
  const std::vector<int8_t> b = {-20, -128, 127, 0};
  std::vector<int8_t> out(4);
  Sub(p, Shape{4}, a.data(), Shape{4}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(-5, 127, -128, 15));
}

TEST(SubInt8, BroadcastsChannelOffsetAndClampsToActivation) {
  const SubQuantizedParams p = MakeSubQuantizedParams(1, 0, 1, 0, 1, 0, false, 0, 6);
  const std::vector<int8_t> image = {1, 2, 3, 4, 5, 16};  // [1, 3, 2]
  const std::vector<int8_t> offset = {-1, 2};             // [2]
  std::vector<int8_t> out(6);
  Sub(p, Shape{1, 3, 2}, image.data(), Shape{2}, offset.data(), out.data());
  EXPECT_THAT(out, ElementsAre(2, 0, 4, 2, 6, 6));
}

TEST(SubInt16, UsesFifteenBitsOfHeadroomAndSaturates) {
  const SubQuantizedParams p = MakeSubQuantizedParams(1, 0, 1, 0, 1, 0, true, -32768, 32767);
  const std::vector<int16_t> a = {1000, 30000, -30000, -32768};
  const std::vector<int16_t> b = {-300, -30000, 30000, 32767};
  std::vector<int16_t> out(4);
  Sub(p, Shape{4}, a.data(), Shape{4}, b.data(), out.data());
  EXPECT_THAT(out, ElementsAre(1300, 32767, -32768, -32768));
}

// TFLite's per-element algorithm written out again with the exact helpers.
int32_t ExpectedSub(int32_t x, int32_t y, const SubQuantizedParams& p) {
  using testing::ExactRequantize;
  const int32_t scaled1 = ExactRequantize((x + p.input1_offset) * (1 << p.left_shift),
                                          p.input1_multiplier, p.input1_shift);
  const int32_t scaled2 = ExactRequantize((y + p.input2_offset) * (1 << p.left_shift),
                                          p.input2_multiplier, p.input2_shift);
  const int32_t out =
      ExactRequantize(scaled1 - scaled2, p.output_multiplier, p.output_shift) + p.output_offset;
  return std::clamp(out, p.activation_min, p.activation_max);
}

TEST(SubInt8, ExhaustiveSweepMatchesExactAlgorithmAndRealDifference) {
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
    const SubQuantizedParams p =
        MakeSubQuantizedParams(c.s1, c.z1, c.s2, c.z2, c.so, c.zo, false, -128, 127);
    std::vector<int8_t> a, b;
    for (int x = -128; x <= 127; ++x) {
      for (int y = -128; y <= 127; ++y) {
        a.push_back(static_cast<int8_t>(x));
        b.push_back(static_cast<int8_t>(y));
      }
    }
    std::vector<int8_t> out(a.size());
    Sub(p, Shape{static_cast<int32_t>(a.size())}, a.data(), Shape{static_cast<int32_t>(b.size())},
        b.data(), out.data());
    for (size_t i = 0; i < a.size(); ++i) {
      ASSERT_EQ(out[i], ExpectedSub(a[i], b[i], p)) << "x=" << int{a[i]} << " y=" << int{b[i]};
      const double real =
          static_cast<double>(c.s1) * (a[i] - c.z1) - static_cast<double>(c.s2) * (b[i] - c.z2);
      const double ideal =
          std::clamp(std::round(real / static_cast<double>(c.so)) + c.zo, -128.0, 127.0);
      ASSERT_LE(std::abs(out[i] - ideal), 1.0) << "x=" << int{a[i]} << " y=" << int{b[i]};
    }
  }
}

}  // namespace
}  // namespace kernels::reference
