// Logistic: float against the closed form; int8 over all 256 inputs within one output step of
// the float function and monotone, for several input quantizations.
#include "kernels/reference/logistic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace kernels::reference {
namespace {

std::vector<int8_t> AllInt8() {
  std::vector<int8_t> values;
  for (int v = -128; v <= 127; ++v) values.push_back(static_cast<int8_t>(v));
  return values;
}

TEST(Logistic, FloatMatchesClosedForm) {
  const std::vector<float> input = {-20.0f, -9.5f, -1.0f, 0.0f, 0.5f, 8.0f, 17.0f};
  std::vector<float> output(input.size());
  LogisticFloat(static_cast<int64_t>(input.size()), input.data(), output.data());
  for (size_t i = 0; i < input.size(); ++i) {
    EXPECT_NEAR(output[i], 1.0 / (1.0 + std::exp(-static_cast<double>(input[i]))), 1e-7);
  }
  EXPECT_EQ(output[3], 0.5f);
  EXPECT_EQ(output[6], 1.0f);  // above the upper cutoff
}

TEST(Logistic, PrepareMatchesHandComputedScaling) {
  // 0.0625 * 2^27 = 2^23 = 0.5 * 2^24: multiplier 2^30, left shift 24,
  // radius floor(15 * 2^27 / 2^24) = 120.
  const Int8ToF4Params p = PrepareInt8ToF4(0.0625f, -3);
  EXPECT_EQ(p.input_multiplier, 1 << 30);
  EXPECT_EQ(p.input_left_shift, 24);
  EXPECT_EQ(p.input_range_radius, 120);
  EXPECT_EQ(p.input_zero_point, -3);
}

TEST(Logistic, Int8AllInputsWithinOneStepAndMonotone) {
  const std::vector<int8_t> input = AllInt8();
  std::vector<int8_t> output(input.size());
  for (const float scale : {0.01f, 0.05f, 0.0625f, 0.1f, 0.25f}) {
    for (const int32_t zero_point : {-128, -10, 0, 37}) {
      LogisticInt8(PrepareInt8ToF4(scale, zero_point), 256, input.data(), output.data());
      for (size_t i = 0; i < input.size(); ++i) {
        const double x = scale * (input[i] - zero_point);
        const double expected = 256.0 / (1.0 + std::exp(-x)) - 128.0;  // in output steps
        ASSERT_LE(std::abs(output[i] - std::min(expected, 127.0)), 1.0)
            << "scale " << scale << " zp " << zero_point << " q " << int{input[i]};
        if (i > 0) {
          ASSERT_GE(output[i], output[i - 1]);
        }
      }
    }
  }
}

TEST(Logistic, Int8ZeroMapsToOneHalf) {
  const int8_t input = 5;
  int8_t output = 0;
  LogisticInt8(PrepareInt8ToF4(0.1f, 5), 1, &input, &output);
  EXPECT_EQ(output, 0);  // 0.5 = 128/256 -> 128 - 128
}

}  // namespace
}  // namespace kernels::reference
