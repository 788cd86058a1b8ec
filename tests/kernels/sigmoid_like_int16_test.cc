// LOGISTIC and TANH int16 (TFLite-Micro's table-and-interpolation kernels): the prepare step's
// multiplier and shift by hand, the sigmoid table against the exact function, hand-computed
// outputs, and every int16 input against double precision within a stated number of LSB, plus
// monotonicity and symmetry.
#include "kernels/reference/sigmoid_like_int16.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace kernels::reference {
namespace {

std::vector<int16_t> AllInt16() {
  std::vector<int16_t> all;
  all.reserve(65536);
  for (int v = -32768; v <= 32767; ++v) all.push_back(static_cast<int16_t>(v));
  return all;
}

TEST(SigmoidTableUint16, WithinOneAndAHalfUnitsOfTheSigmoid) {
  EXPECT_EQ(kSigmoidTableUint16[0], 32768);
  EXPECT_EQ(kSigmoidTableUint16[255], 65535);
  for (int i = 0; i < 256; ++i) {
    const double exact = 65536.0 / (1.0 + std::exp(-i / 24.0));
    ASSERT_NEAR(kSigmoidTableUint16[i], exact, 1.5) << i;
    if (i > 0) {
      ASSERT_GE(kSigmoidTableUint16[i], kSigmoidTableUint16[i - 1]);
    }
  }
}

TEST(CheckedLog2, PowersOfTwoOnly) {
  int log2 = 0;
  EXPECT_TRUE(CheckedLog2(1.0f / 32768, &log2));
  EXPECT_EQ(log2, -15);
  EXPECT_TRUE(CheckedLog2(4096.0f, &log2));
  EXPECT_EQ(log2, 12);
  EXPECT_FALSE(CheckedLog2(3.0f / 32768, &log2));
  EXPECT_EQ(log2, -13);  // log2(3 / 32768) = -13.415, rounded
}

TEST(PrepareSigmoidLikeInt16, PowerOfTwoScales) {
  // 2^-12 is the table's native scale (with the factor 3 applied by the kernel): multiplier 0.
  const auto logistic = PrepareSigmoidLikeInt16(SigmoidLikeFunction::kLogistic, 1.0f / 4096);
  EXPECT_EQ(logistic.input_multiplier, 0);
  EXPECT_EQ(logistic.input_left_shift, 0);
  // 2^-11: TANH keeps the power-of-two path with shift 1 ...
  const auto tanh = PrepareSigmoidLikeInt16(SigmoidLikeFunction::kTanh, 1.0f / 2048);
  EXPECT_EQ(tanh.input_multiplier, 0);
  EXPECT_EQ(tanh.input_left_shift, 1);
  // ... LOGISTIC takes the general path: 2^-11 * 12288 = 6, doubled 12 times to 24576.
  const auto general = PrepareSigmoidLikeInt16(SigmoidLikeFunction::kLogistic, 1.0f / 2048);
  EXPECT_EQ(general.input_multiplier, 24576);
  EXPECT_EQ(general.input_left_shift, 12);
}

TEST(PrepareSigmoidLikeInt16, GeneralScaleDoublesThenTruncates) {
  // 0.001 * 12288 = 12.288; doubled 11 times: 25165.8 (the 10th, 12582.9, is still <= 16383.5),
  // truncated to 25165.
  const auto p = PrepareSigmoidLikeInt16(SigmoidLikeFunction::kTanh, 0.001f);
  EXPECT_EQ(p.input_left_shift, 11);
  EXPECT_EQ(p.input_multiplier, 25165);
}

TEST(LogisticInt16, HandValues) {
  const auto p = PrepareSigmoidLikeInt16(SigmoidLikeFunction::kLogistic, 1.0f / 4096);
  const std::vector<int16_t> in = {0, 512, -512, 32767, -32768};
  std::vector<int16_t> out(in.size());
  LogisticInt16(p, static_cast<int64_t>(in.size()), in.data(), out.data());
  EXPECT_EQ(out[0], 16384);  // (32768 << 9 + 2^9) >> 10
  // 512 * 3 = 1536 = entry 3 exactly: (34813 << 9 + 2^9) >> 10 = 17407 (sigmoid(0.125) * 32768
  // = 17406.7); its mirror (2^25 - (34813 << 9) + 2^9 - 1) >> 10 = 15361.
  EXPECT_EQ(out[1], 17407);
  EXPECT_EQ(out[2], 15361);
  // 32767 * 3 = 98301 = entry 191 + 509 / 512, still inside the table (x = 8.0):
  // (65513 << 9) + 509 * 1 = 33543165, + 2^9 >> 10 = 32757 (sigmoid(8) * 32768 = 32757.0).
  // -32768 * 3 = entry 192 exactly: (2^25 - (65514 << 9) + 2^9 - 1) >> 10 = 11 (exact 10.99).
  EXPECT_EQ(out[3], 32757);
  EXPECT_EQ(out[4], 11);
}

TEST(LogisticInt16, SaturatesBeyondTheTable) {
  // Scale 2^-11: x up to 16, beyond the table's 10.6; the saturated negative side gives 1.
  const auto p = PrepareSigmoidLikeInt16(SigmoidLikeFunction::kLogistic, 1.0f / 2048);
  const std::vector<int16_t> in = {32767, -32768};
  std::vector<int16_t> out(2);
  LogisticInt16(p, 2, in.data(), out.data());
  EXPECT_EQ(out[0], 32767);
  EXPECT_EQ(out[1], 1);
}

TEST(TanhInt16, HandValues) {
  const auto p = PrepareSigmoidLikeInt16(SigmoidLikeFunction::kTanh, 1.0f / 4096);
  const std::vector<int16_t> in = {0, 256, -256};
  std::vector<int16_t> out(in.size());
  TanhInt16(p, 3, in.data(), out.data());
  EXPECT_EQ(out[0], 0);  // (32768 << 8) - 2^23 + 2^7 = 128, >> 8 = 0
  // 256 * 3 = 768 = entry 3 at the tanh step: ((34813 << 8) - 2^23 + 2^7) >> 8 = 2045
  // (tanh(0.0625) * 32768 = 2045.3); the mirror (-(34813 << 8) + 2^23 + 2^7 - 1) >> 8 = -2044.5
  // floored to -2045.
  EXPECT_EQ(out[1], 2045);
  EXPECT_EQ(out[2], -2045);
}

struct Case {
  float scale;
  double max_lsb;
};

// Every int16 input for power-of-two and general scales: within `max_lsb` of 32768 * f(x)
// (clamped to the int16 range), monotone, and symmetric to within one unit (LOGISTIC) or four
// (TANH: the input rescale rounds half up, so x and -x can land one input unit, 1 / 12288, apart,
// which near 0 is up to 2.7 output units of tanh, plus the output rounding).
TEST(LogisticInt16, AllInputsAgainstDouble) {
  const std::vector<int16_t> in = AllInt16();
  std::vector<int16_t> out(in.size());
  for (const Case c : {Case{1.0f / 4096, 2.0}, Case{1.0f / 2048, 2.0}, Case{0.001f, 2.0},
                       Case{3.0e-4f, 2.0}, Case{1.0f / 32768, 2.0}}) {
    const auto p = PrepareSigmoidLikeInt16(SigmoidLikeFunction::kLogistic, c.scale);
    LogisticInt16(p, static_cast<int64_t>(in.size()), in.data(), out.data());
    for (size_t i = 0; i < in.size(); ++i) {
      const double x = static_cast<double>(c.scale) * in[i];
      const double exact = std::min(32767.0, 32768.0 / (1.0 + std::exp(-x)));
      ASSERT_NEAR(out[i], exact, c.max_lsb) << "scale " << c.scale << " q " << in[i];
      if (i > 0) {
        ASSERT_GE(out[i], out[i - 1]) << "scale " << c.scale << " q " << in[i];
      }
      if (in[i] > -32768) {
        const size_t mirror = in.size() - i;  // the index of -in[i]
        ASSERT_NEAR(out[i] + out[mirror], 32768, 1) << "scale " << c.scale << " q " << in[i];
      }
    }
  }
}

TEST(TanhInt16, AllInputsAgainstDouble) {
  const std::vector<int16_t> in = AllInt16();
  std::vector<int16_t> out(in.size());
  for (const Case c : {Case{1.0f / 4096, 4.0}, Case{1.0f / 2048, 4.0}, Case{0.001f, 4.0},
                       Case{3.0e-4f, 4.0}, Case{1.0f / 32768, 4.0}}) {
    const auto p = PrepareSigmoidLikeInt16(SigmoidLikeFunction::kTanh, c.scale);
    TanhInt16(p, static_cast<int64_t>(in.size()), in.data(), out.data());
    for (size_t i = 0; i < in.size(); ++i) {
      const double x = static_cast<double>(c.scale) * in[i];
      const double exact = std::clamp(32768.0 * std::tanh(x), -32768.0, 32767.0);
      ASSERT_NEAR(out[i], exact, c.max_lsb) << "scale " << c.scale << " q " << in[i];
      if (i > 0) {
        ASSERT_GE(out[i], out[i - 1]) << "scale " << c.scale << " q " << in[i];
      }
      if (in[i] > -32768) {
        const size_t mirror = in.size() - i;
        ASSERT_NEAR(out[i] + out[mirror], 0, 4) << "scale " << c.scale << " q " << in[i];
      }
    }
  }
}

}  // namespace
}  // namespace kernels::reference
