// The int16 softmax (TFLite-Micro's SoftmaxInt16) and its interpolated tables: hand-computed
// table entries and outputs, and a double-precision softmax within a stated number of LSB.
#include "kernels/reference/softmax_int16.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numeric>
#include <random>
#include <vector>

#include "kernels/reference/int16_lut.h"

namespace kernels::reference {
namespace {

float Exp(float x) { return std::exp(x); }
float Reciprocal(float x) { return 1.0f / (1.0f + x); }

// The real input that table position `value` (-32768 .. 32767) stands for.
double TableInput(int value, double input_min, double input_max) {
  return input_min + (value + 32768) * (input_max - input_min) / 65536.0;
}

TEST(Int16Lut, ExpTableEntriesByHand) {
  const Int16Lut lut = GenerateInt16Lut(Exp, -10.0f, 0.0f, -1.0f, 1.0f);
  // Entry 511: sample exp(-10/512) * 32768 = 32134.21 -> 32134; the interpolated midpoint
  // round((32768 + 32134) / 2) = 32451 exceeds the true midpoint round(32449.56) = 32450 by 1,
  // so the bias round(1 / 2) = 1 (half away from zero) is subtracted.
  EXPECT_EQ(lut[511], 32133);
  // The last entry, exp(0) * 32768, saturates to int16.
  EXPECT_EQ(lut[512], 32767);
  // Entry 0: sample exp(-10) * 32768 = 1.49 -> 1; interpolated midpoint round((1.52 + 1) / 2) = 1
  // but the true midpoint round(1.50) = 2, so the bias round(-1 / 2) = -1 lifts the entry to 2.
  EXPECT_EQ(lut[0], 2);
}

TEST(Int16Lut, ReciprocalTableEntriesByHand) {
  const Int16Lut lut = GenerateInt16Lut(Reciprocal, 0.0f, 1.0f, -1.0f, 1.0f);
  EXPECT_EQ(lut[512], 16384);  // 1 / 2
  EXPECT_EQ(lut[511], 16400);  // 16400.02, midpoint error 0
  EXPECT_EQ(lut[0], 32767);    // 1 saturates
}

TEST(Int16Lut, LookupInterpolatesWithRoundHalfUp) {
  Int16Lut lut{};
  lut[256] = 100;
  lut[257] = 200;
  lut[258] = 190;
  EXPECT_EQ(LookupInt16Lut(0, lut), 100);          // segment 256, offset 0
  EXPECT_EQ(LookupInt16Lut(64, lut), 150);         // halfway: 100 * 64 / 128
  EXPECT_EQ(LookupInt16Lut(1, lut), 101);          // (100 + 64) >> 7 = 1.28 -> 1
  EXPECT_EQ(LookupInt16Lut(128 + 64, lut), 195);   // slope -10: (-640 + 64) >> 7 = -4.5 -> -5
  EXPECT_EQ(LookupInt16Lut(-128, lut), lut[255]);  // the segment below, offset 0
}

// The interpolated tables against the functions themselves, at every int16 input.
void ExpectTableWithin(float (*f)(float), double input_min, double input_max, int max_lsb) {
  const Int16Lut lut = GenerateInt16Lut(f, static_cast<float>(input_min),
                                        static_cast<float>(input_max), -1.0f, 1.0f);
  int worst = 0;
  for (int v = -32768; v <= 32767; ++v) {
    const double x = TableInput(v, input_min, input_max);
    const double exact = std::min(32767.0, static_cast<double>(f(static_cast<float>(x))) * 32768.0);
    const int got = LookupInt16Lut(static_cast<int16_t>(v), lut);
    worst = std::max(worst, static_cast<int>(std::ceil(std::abs(got - exact))));
  }
  EXPECT_LE(worst, max_lsb);
}

TEST(Int16Lut, ExpTableWithinTwoLsb) { ExpectTableWithin(Exp, -10.0, 0.0, 2); }
TEST(Int16Lut, ReciprocalTableWithinTwoLsb) { ExpectTableWithin(Reciprocal, 0.0, 1.0, 2); }

TEST(SoftmaxInt16, PrepareRescalesTenUnitsToTheFullRange) {
  // input_scale 10 / 65535 and beta 1: the rescale is exactly 1 = 2^30 * 2^(1 - 31).
  const SoftmaxInt16Params p = PrepareSoftmaxInt16(1.0f, 10.0f / 65535.0f);
  EXPECT_EQ(p.input_shift, 1);
  EXPECT_NEAR(p.input_multiplier, 1 << 30, 64);  // the float scale is not exactly 10 / 65535
}

TEST(SoftmaxInt16, SingleAndEqualElementsByHand) {
  const SoftmaxInt16Params p = PrepareSoftmaxInt16(1.0f, 1.0f / 4096);
  // One element: exp(0) = lut[511] + ((32767 - 32133) * 127 + 64) >> 7 = 32762; the sum
  // normalizes to 131048 (Q1.16), recentred 32744 -> reciprocal 16400 + (-16 * 104 + 64) >> 7
  // = 16387; (32762 * 16387 + 2^13) >> 14 = 32768, clamped to 32767.
  const int16_t one = 1234;
  int16_t out = 0;
  SoftmaxInt16(p, Shape{1}, &one, &out);
  EXPECT_EQ(out, 32767);
  // Two equal elements: the sum 65524 has one bit less headroom, so each is
  // (32762 * 16387 + 2^14) >> 15 = 16384.
  const std::vector<int16_t> two = {-500, -500};
  std::vector<int16_t> halves(2);
  SoftmaxInt16(p, Shape{1, 2}, two.data(), halves.data());
  EXPECT_EQ(halves, (std::vector<int16_t>{16384, 16384}));
}

TEST(SoftmaxInt16, FarBelowTheMaximumIsNearZero) {
  // scale 1/1024: a difference of 30000 is -29.3, beyond the table's -10, so it reads entry 0
  // (2). The sum 32762 + 2 normalizes to 131056, recentred 32752: reciprocal
  // 16400 + (-16 * 112 + 64) >> 7 = 16386; (32762 * 16386 + 2^13) >> 14 = 32766 and
  // (2 * 16386 + 2^13) >> 14 = 2.
  const SoftmaxInt16Params p = PrepareSoftmaxInt16(1.0f, 1.0f / 1024);
  const std::vector<int16_t> in = {15000, -15000};
  std::vector<int16_t> out(2);
  SoftmaxInt16(p, Shape{2}, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int16_t>{32766, 2}));
}

// Rows of random logits (differences within the table's 10 units) against a double softmax.
TEST(SoftmaxInt16, MatchesDoubleSoftmaxWithinSixLsb) {
  std::mt19937 rng(7);
  for (const float scale : {1.0f / 8192, 1.0f / 4096, 3e-4f}) {
    for (const float beta : {1.0f, 0.5f}) {
      const SoftmaxInt16Params p = PrepareSoftmaxInt16(beta, scale);
      for (const int depth : {2, 5, 10, 33}) {
        const int limit = static_cast<int>(8.0f / (scale * beta));
        std::uniform_int_distribution<int> logit(-std::min(limit, 32768) / 2,
                                                 std::min(limit, 32767) / 2);
        std::vector<int16_t> in(static_cast<size_t>(depth));
        for (auto& v : in) v = static_cast<int16_t>(logit(rng));
        std::vector<int16_t> out(in.size());
        SoftmaxInt16(p, Shape{1, depth}, in.data(), out.data());

        std::vector<double> e(in.size());
        const int16_t max = *std::max_element(in.begin(), in.end());
        for (size_t i = 0; i < in.size(); ++i) {
          e[i] = std::exp(static_cast<double>(beta) * static_cast<double>(scale) * (in[i] - max));
        }
        const double sum = std::accumulate(e.begin(), e.end(), 0.0);
        int total = 0;
        for (size_t i = 0; i < in.size(); ++i) {
          EXPECT_NEAR(out[i], std::min(32767.0, 32768.0 * e[i] / sum), 6.0)
              << "scale " << scale << " beta " << beta << " depth " << depth << " i " << i;
          EXPECT_GE(out[i], 0);
          total += out[i];
        }
        EXPECT_NEAR(total, 32768, 3 * depth);  // a probability distribution in Q0.15
      }
    }
  }
}

TEST(SoftmaxInt16, RowsAreIndependentAndOrderIsKept) {
  const SoftmaxInt16Params p = PrepareSoftmaxInt16(1.0f, 1.0f / 2048);
  const std::vector<int16_t> in = {0, 1000, 2000, 3000, 3000, 2000, 1000, 0};
  std::vector<int16_t> out(8);
  SoftmaxInt16(p, Shape{2, 4}, in.data(), out.data());
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(out[static_cast<size_t>(i)], out[static_cast<size_t>(7 - i)]);
  EXPECT_LT(out[0], out[1]);
  EXPECT_LT(out[1], out[2]);
  EXPECT_LT(out[2], out[3]);
}

}  // namespace
}  // namespace kernels::reference
