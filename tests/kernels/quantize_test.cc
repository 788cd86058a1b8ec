// QUANTIZE / DEQUANTIZE on hand-computed cases: ties round half away from zero, clamping,
// requantization rounding, dequantization order of operations, float16 widening.
#include "kernels/reference/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace kernels::reference {
namespace {

TEST(Quantize, TiesRoundHalfAwayFromZero) {
  const std::vector<float> input = {2.5f, -2.5f, 0.5f, -0.5f, 1.49f, -1.51f};
  std::vector<int8_t> out(input.size());
  AffineQuantize(1.0f, 0, static_cast<int64_t>(input.size()), input.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{3, -3, 1, -1, 1, -2}));
}

TEST(Quantize, ScaleZeroPointAndClamping) {
  const std::vector<float> input = {0.0f, 0.25f, -0.3f, 1000.0f, -1000.0f, 1e30f};
  std::vector<int8_t> out(input.size());
  // 0.25 / 0.1 = 2.5 -> 3 (+5); -0.3 / 0.1 = -3 (+5) = 2.
  AffineQuantize(0.1f, 5, static_cast<int64_t>(input.size()), input.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{5, 8, 2, 127, -128, 127}));
  std::vector<uint8_t> out_u8(input.size());
  AffineQuantize(0.1f, 128, static_cast<int64_t>(input.size()), input.data(), out_u8.data());
  EXPECT_EQ(out_u8, (std::vector<uint8_t>{128, 131, 125, 255, 0, 255}));
  std::vector<int16_t> out_i16(input.size());
  AffineQuantize(0.01f, 0, static_cast<int64_t>(input.size()), input.data(), out_i16.data());
  EXPECT_EQ(out_i16, (std::vector<int16_t>{0, 25, -30, 32767, -32768, 32767}));
}

TEST(Quantize, RequantizeInt8) {
  // Halving: multiplier 0.5 = 2^30 * 2^(0 - 31). The doubling high multiply rounds ties toward
  // +infinity: 1.5 -> 2, -1.5 -> -1, 2.5 -> 3.
  const QuantizedMultiplier half = RequantizeMultiplier(0.5f, 1.0f);
  EXPECT_EQ(half.multiplier, 1 << 30);
  EXPECT_EQ(half.shift, 0);
  const std::vector<int8_t> input = {3, -3, 5, 0, 127, -128};
  std::vector<int8_t> out(input.size());
  Requantize(half, 0, 0, static_cast<int64_t>(input.size()), input.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{2, -1, 3, 0, 64, -64}));
  // Doubling with zero points: (q - 10) * 2 - 20, clamped.
  const QuantizedMultiplier twice = RequantizeMultiplier(0.2f, 0.1f);
  Requantize(twice, 10, -20, static_cast<int64_t>(input.size()), input.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{-34, -46, -30, -40, 127, -128}));
}

TEST(Quantize, RequantizeInt16ToInt8) {
  const std::vector<int16_t> input = {1000, -1000, 256};
  std::vector<int8_t> out(input.size());
  // 1/256: 1000 / 256 = 3.906 -> 4.
  Requantize(RequantizeMultiplier(1.0f / 256, 1.0f), 0, 0, 3, input.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{4, -4, 1}));
}

// uint8 -> int8 as TFLite-Micro's QUANTIZE on a uint8 model input. Equal scales, zero points
// 128 and 0: every byte has bit 7 flipped (TFLite's shortcut), checked over all 256 values.
TEST(Quantize, RequantizeUint8ToInt8SameScaleFlipsBit7) {
  std::vector<uint8_t> input(256);
  for (int i = 0; i < 256; ++i) input[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  std::vector<int8_t> out(input.size());
  Requantize(RequantizeMultiplier(0.02f, 0.02f), 128, 0, 256, input.data(), out.data());
  for (int i = 0; i < 256; ++i) {
    EXPECT_EQ(static_cast<uint8_t>(out[static_cast<size_t>(i)]), static_cast<uint8_t>(i ^ 0x80))
        << i;
  }
}

TEST(Quantize, RequantizeUint8ToInt8RoundsAndSaturates) {
  // Scale halves: multiplier 2^30, shift 0, so the result is TFLite's rounding doubling high
  // multiply (x * 2^31 + nudge) / 2^31 truncated, nudge 2^30 for x >= 0 and 1 - 2^30 below:
  // 1 -> 0.5 -> 1 and 3 -> 2, but -1 -> -0.5 -> 0 and -3 -> -1 (a negative half goes up).
  const std::vector<uint8_t> input = {129, 127, 131, 125, 255, 0};
  std::vector<int8_t> half(input.size());
  Requantize(RequantizeMultiplier(0.5f, 1.0f), 128, 0, 6, input.data(), half.data());
  EXPECT_EQ(half, (std::vector<int8_t>{1, 0, 2, -1, 64, -64}));
  // Scale doubles and zero point 10: 2 (q - 128) + 10 saturates at both ends.
  std::vector<int8_t> twice(input.size());
  Requantize(RequantizeMultiplier(1.0f, 0.5f), 128, 10, 6, input.data(), twice.data());
  EXPECT_EQ(twice, (std::vector<int8_t>{12, 8, 16, 4, 127, -128}));
}

TEST(Quantize, RequantizeInt8ToUint8) {
  const std::vector<int8_t> input = {-128, -1, 0, 127};
  std::vector<uint8_t> out(input.size());
  Requantize(RequantizeMultiplier(0.1f, 0.1f), 0, 128, 4, input.data(), out.data());
  EXPECT_EQ(out, (std::vector<uint8_t>{0, 127, 128, 255}));
  // Scale doubles from zero point -100: 2 (q + 100) clamps to [0, 255].
  Requantize(RequantizeMultiplier(1.0f, 0.5f), -100, 0, 4, input.data(), out.data());
  EXPECT_EQ(out, (std::vector<uint8_t>{0, 198, 200, 255}));
}

TEST(Dequantize, ScaleTimesOffsetInDouble) {
  const std::vector<int8_t> input = {5, -128, 127, 3};
  std::vector<float> out(input.size());
  Dequantize(0.5f, 3, 4, input.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{1.0f, -65.5f, 62.0f, 0.0f}));
  // 0.1f widened to double times 7, rounded once to float.
  const int8_t seven = 7;
  float result = 0;
  Dequantize(0.1f, 0, 1, &seven, &result);
  EXPECT_EQ(result, static_cast<float>(static_cast<double>(0.1f) * 7));
  const std::vector<uint8_t> u8 = {0, 255};
  Dequantize(2.0f, 128, 2, u8.data(), out.data());
  EXPECT_EQ(out[0], -256.0f);
  EXPECT_EQ(out[1], 254.0f);
  const std::vector<int16_t> i16 = {-32768, 32767};
  Dequantize(1.0f / 32768, 0, 2, i16.data(), out.data());
  EXPECT_EQ(out[0], -1.0f);
  EXPECT_EQ(out[1], 32767.0f / 32768);
}

TEST(Dequantize, Float16) {
  const std::vector<uint16_t> input = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x3555};
  std::vector<float> out(input.size());
  DequantizeFloat16(static_cast<int64_t>(input.size()), input.data(), out.data());
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], -2.0f);
  EXPECT_EQ(out[2], 65504.0f);
  EXPECT_EQ(out[3], 5.9604644775390625e-8f);  // 2^-24
  EXPECT_EQ(out[4], 0.0f);
  EXPECT_TRUE(std::signbit(out[4]));
  EXPECT_EQ(out[5], 0.333251953125f);
}

}  // namespace
}  // namespace kernels::reference
