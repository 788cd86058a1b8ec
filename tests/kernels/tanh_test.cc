// Tanh: float against std::tanh; int8 over all 256 inputs within one output step of the float
// function, odd-symmetric and monotone.
#include "kernels/reference/tanh.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace kernels::reference {
namespace {

TEST(Tanh, FloatMatchesStdTanh) {
  const std::vector<float> input = {-3.0f, -0.5f, 0.0f, 0.25f, 10.0f};
  std::vector<float> output(input.size());
  TanhFloat(static_cast<int64_t>(input.size()), input.data(), output.data());
  for (size_t i = 0; i < input.size(); ++i) EXPECT_EQ(output[i], std::tanh(input[i]));
}

TEST(Tanh, Int8AllInputsWithinOneStepAndMonotone) {
  std::vector<int8_t> input;
  for (int v = -128; v <= 127; ++v) input.push_back(static_cast<int8_t>(v));
  std::vector<int8_t> output(input.size());
  for (const float scale : {0.008f, 0.03f, 0.0625f, 0.1f, 0.3f}) {
    for (const int32_t zero_point : {-128, -7, 0, 60}) {
      TanhInt8(PrepareInt8ToF4(scale, zero_point), 256, input.data(), output.data());
      for (size_t i = 0; i < input.size(); ++i) {
        const double x = scale * (input[i] - zero_point);
        const double expected = std::clamp(128.0 * std::tanh(x), -128.0, 127.0);
        ASSERT_LE(std::abs(output[i] - expected), 1.0)
            << "scale " << scale << " zp " << zero_point << " q " << int{input[i]};
        if (i > 0) {
          ASSERT_GE(output[i], output[i - 1]);
        }
      }
    }
  }
}

TEST(Tanh, Int8IsOddAroundTheZeroPoint) {
  // With zero point 0, q and -q map to opposite outputs (the fixed-point tanh mirrors exactly)
  // except where +1.0 saturates at 127.
  std::vector<int8_t> input;
  for (int v = -127; v <= 127; ++v) input.push_back(static_cast<int8_t>(v));
  std::vector<int8_t> output(input.size());
  TanhInt8(PrepareInt8ToF4(0.02f, 0), static_cast<int64_t>(input.size()), input.data(),
           output.data());
  for (size_t i = 0; i < input.size(); ++i) {
    const int mirrored = output[input.size() - 1 - i];
    if (output[i] != -128 && mirrored != -128) {
      EXPECT_EQ(output[i], -mirrored) << i;
    }
  }
  EXPECT_EQ(output[127], 0);  // q = 0
}

}  // namespace
}  // namespace kernels::reference
