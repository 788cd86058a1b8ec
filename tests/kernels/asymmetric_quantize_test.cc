// The vector variants of the hybrid kernels' asymmetric input quantization against the
// reference (the scalar code, compiled separately) and against hand-computed values, on random
// floats of every kind and on the edge cases of rounding and of the range.
#include "kernels/optimized/asymmetric_quantize.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/reference/hybrid.h"

namespace kernels::optimized {
namespace {

std::vector<QuantizeIsa> VectorIsas() {
  std::vector<QuantizeIsa> isas;
  for (QuantizeIsa isa : {QuantizeIsa::kAvx2, QuantizeIsa::kAvx512}) {
    if (QuantizeIsaSupported(isa)) isas.push_back(isa);
  }
  return isas;
}

std::string IsaName(QuantizeIsa isa) {
  return isa == QuantizeIsa::kAvx512 ? "avx512" : isa == QuantizeIsa::kAvx2 ? "avx2" : "scalar";
}

struct Quantized {
  std::vector<int8_t> values;
  float scale = 0.0f;
  int32_t offset = 0;
};

Quantized WithReference(const std::vector<float>& values) {
  Quantized q;
  q.values.assign(values.size(), 0x5A);
  reference::AsymmetricQuantizeFloats(values.data(), static_cast<int>(values.size()),
                                      q.values.data(), &q.scale, &q.offset);
  return q;
}

Quantized With(QuantizeIsa isa, const std::vector<float>& values) {
  Quantized q;
  q.values.assign(values.size(), 0x5A);
  AsymmetricQuantizeFloats(isa, values.data(), static_cast<int>(values.size()), q.values.data(),
                           &q.scale, &q.offset);
  return q;
}

// Compares every vector variant with the reference; the scale bit for bit.
void ExpectSameAsReference(const std::vector<float>& values, const std::string& what) {
  const Quantized expected = WithReference(values);
  for (QuantizeIsa isa : VectorIsas()) {
    const Quantized actual = With(isa, values);
    ASSERT_EQ(std::bit_cast<uint32_t>(actual.scale), std::bit_cast<uint32_t>(expected.scale))
        << IsaName(isa) << " " << what;
    ASSERT_EQ(actual.offset, expected.offset) << IsaName(isa) << " " << what;
    for (size_t i = 0; i < values.size(); ++i) {
      ASSERT_EQ(actual.values[i], expected.values[i])
          << IsaName(isa) << " " << what << " element " << i << " of " << values.size()
          << ": value " << values[i];
    }
  }
}

TEST(AsymmetricQuantizeTest, PicksAvx512WhereTheCpuHasIt) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  EXPECT_EQ(QuantizeIsaSupported(QuantizeIsa::kAvx2), __builtin_cpu_supports("avx2") != 0);
  EXPECT_EQ(QuantizeIsaSupported(QuantizeIsa::kAvx512), __builtin_cpu_supports("avx512f") != 0);
  if (__builtin_cpu_supports("avx512f")) {
    EXPECT_EQ(BestQuantizeIsa(), QuantizeIsa::kAvx512);
  }
#endif
  EXPECT_TRUE(QuantizeIsaSupported(QuantizeIsa::kScalar));
}

TEST(AsymmetricQuantizeTest, TiesRoundHalfAwayFromZeroAndJustBelowTiesDoNot) {
  // The range [-128, 127] gives scale 1 and zero point 0, so each value is its own quotient.
  const float below_half = std::nextafter(0.5f, 0.0f);  // 0.49999997f: trunc(x + 0.5) gives 1
  const std::vector<float> values = {-128.0f,    127.0f,      2.5f, -2.5f, 0.5f,   -0.5f,
                                     below_half, -below_half, 1.5f, -0.0f, 126.5f, -127.5f};
  const std::vector<int8_t> expected = {-128, 127, 3, -3, 1, -1, 0, 0, 2, 0, 127, -128};
  const Quantized reference_result = WithReference(values);
  EXPECT_EQ(reference_result.scale, 1.0f);
  EXPECT_EQ(reference_result.offset, 0);
  EXPECT_EQ(reference_result.values, expected);
  for (QuantizeIsa isa : VectorIsas()) {
    const Quantized actual = With(isa, values);
    EXPECT_EQ(actual.values, expected) << IsaName(isa);
    EXPECT_EQ(actual.scale, 1.0f) << IsaName(isa);
    EXPECT_EQ(actual.offset, 0) << IsaName(isa);
  }
}

TEST(AsymmetricQuantizeTest, NonFiniteRangesGiveZerosAndNaNElementsGiveMinus128) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (QuantizeIsa isa : VectorIsas()) {
    const Quantized infinite = With(isa, {1.0f, -inf, 2.0f});
    EXPECT_EQ(infinite.values, (std::vector<int8_t>{0, 0, 0})) << IsaName(isa);
    EXPECT_EQ(infinite.scale, 1.0f);
    // std::minmax_element skips a NaN that is not first; the NaN element itself quantizes to
    // x86's integer indefinite, clamped to -128.
    const Quantized with_nan = With(isa, {-128.0f, nan, 127.0f});
    EXPECT_EQ(with_nan.values, (std::vector<int8_t>{-128, -128, 127})) << IsaName(isa);
  }
  ExpectSameAsReference({nan}, "nan only");
  ExpectSameAsReference({nan, 1.0f, -2.0f}, "nan first");
  ExpectSameAsReference({3.0f, -1.0f, nan}, "nan last");
  ExpectSameAsReference({}, "empty");
  ExpectSameAsReference({0.0f, -0.0f}, "zeros");
}

TEST(AsymmetricQuantizeTest, DenormalRangesWhoseScaleUnderflowsMatchTheReference) {
  const float tiny = std::numeric_limits<float>::denorm_min();
  ExpectSameAsReference({tiny, 0.0f, tiny, -0.0f}, "denorm_min");
  ExpectSameAsReference({-tiny, tiny * 3, 0.0f}, "signed denormals");
  ExpectSameAsReference({std::numeric_limits<float>::min(), 0.0f, 1.0e-39f}, "smallest normal");
}

TEST(AsymmetricQuantizeTest, RandomFloatsOfEveryKindMatchTheReference) {
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<uint32_t> any_bits;
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::uniform_int_distribution<int> small_int(-300, 300);
  std::uniform_int_distribution<int> length(0, 100);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  size_t elements = 0;
  for (int trial = 0; elements < 4'000'000; ++trial) {
    // Long rows now and then; odd lengths exercise every tail.
    const int size = trial % 50 == 0 ? 5000 + length(rng) : length(rng);
    std::vector<float> values(static_cast<size_t>(size));
    const int kind = trial % 5;
    for (float& v : values) {
      switch (kind) {
        case 0:  // any bit pattern: NaNs, infinities, denormals, huge values
          v = std::bit_cast<float>(any_bits(rng));
          break;
        case 1:  // activations
          v = normal(rng);
          break;
        case 2:  // halves and their neighbours, which land on or next to ties
          v = static_cast<float>(small_int(rng)) * 0.5f;
          if (any_bits(rng) % 3 == 0) v = std::nextafter(v, any_bits(rng) % 2 ? 1e9f : -1e9f);
          break;
        case 3:  // one-sided (zero point at an end of the grid)
          v = std::abs(normal(rng)) * (trial % 2 ? 1.0f : -1.0f);
          break;
        default:  // activations with a rare NaN
          v = any_bits(rng) % 97 == 0 ? nan : normal(rng) * 1e3f;
          break;
      }
    }
    elements += values.size();
    ExpectSameAsReference(values, "trial " + std::to_string(trial));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(AsymmetricQuantizeTest, QuantizeBatchesMatchesTheReferenceInBothModes) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.5f, 2.0f);
  const int batches = 3;
  const int batch_size = 37;
  std::vector<float> input(batches * batch_size);
  for (float& v : input) v = normal(rng);
  for (bool asymmetric : {false, true}) {
    std::vector<int8_t> expected(input.size()), actual(input.size());
    std::vector<float> expected_scales(batches), actual_scales(batches);
    std::vector<int32_t> expected_offsets(batches, 99), actual_offsets(batches, -99);
    reference::QuantizeBatches(input.data(), batches, batch_size, asymmetric, expected.data(),
                               expected_scales.data(), expected_offsets.data());
    QuantizeBatches(input.data(), batches, batch_size, asymmetric, actual.data(),
                    actual_scales.data(), actual_offsets.data());
    EXPECT_EQ(actual, expected) << asymmetric;
    EXPECT_EQ(actual_scales, expected_scales) << asymmetric;
    EXPECT_EQ(actual_offsets, expected_offsets) << asymmetric;
  }
}

}  // namespace
}  // namespace kernels::optimized
