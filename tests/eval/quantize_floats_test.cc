// The vector loops of QuantizeFloats against the scalar QuantizeValue (their definition) and
// against hand-computed values: millions of random floats of every kind, the rounding traps
// (ties, the double just below one half, negative zero), NaN, infinities, huge values and
// denormals, for int8, uint8 and int16 destinations and every tail length.
#include "harness/eval/quantize_floats.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace harness::eval {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

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

// Quantizes into a buffer one byte past the destination's start (no alignment to rely on) with
// guard bytes after it, and returns the values; fails when a guard byte changed.
template <typename Quantized>
std::vector<Quantized> Quantize(QuantizeIsa isa, const std::vector<float>& values, float scale,
                                int32_t zero_point) {
  constexpr unsigned char kGuard = 0xA5;
  const size_t bytes = values.size() * sizeof(Quantized);
  std::vector<std::byte> buffer(1 + bytes + 64, std::byte{kGuard});
  QuantizeFloats<Quantized>(isa, values, scale, zero_point, buffer.data() + 1);
  for (size_t i = 1 + bytes; i < buffer.size(); ++i) {
    EXPECT_EQ(buffer[i], std::byte{kGuard}) << IsaName(isa) << " wrote past the end";
  }
  EXPECT_EQ(buffer[0], std::byte{kGuard}) << IsaName(isa) << " wrote before the start";
  std::vector<Quantized> result(values.size());
  if (bytes > 0) std::memcpy(result.data(), buffer.data() + 1, bytes);
  return result;
}

// The scalar definition, element by element.
template <typename Quantized>
std::vector<Quantized> Expected(const std::vector<float>& values, float scale, int32_t zero_point) {
  std::vector<Quantized> result;
  for (float v : values) {
    result.push_back(static_cast<Quantized>(QuantizeValue(v, scale, zero_point,
                                                          std::numeric_limits<Quantized>::min(),
                                                          std::numeric_limits<Quantized>::max())));
  }
  return result;
}

template <typename Quantized>
void ExpectSameAsScalar(const std::vector<float>& values, float scale, int32_t zero_point,
                        const std::string& what) {
  const std::vector<Quantized> expected = Expected<Quantized>(values, scale, zero_point);
  ASSERT_EQ(Quantize<Quantized>(QuantizeIsa::kScalar, values, scale, zero_point), expected);
  for (QuantizeIsa isa : VectorIsas()) {
    const std::vector<Quantized> actual = Quantize<Quantized>(isa, values, scale, zero_point);
    for (size_t i = 0; i < values.size(); ++i) {
      ASSERT_EQ(actual[i], expected[i])
          << IsaName(isa) << " " << what << " element " << i << " of " << values.size()
          << ": value " << values[i] << " scale " << scale << " zero point " << zero_point;
    }
  }
}

void ExpectSameAsScalarForEveryType(const std::vector<float>& values, float scale,
                                    int32_t zero_point, const std::string& what) {
  ExpectSameAsScalar<int8_t>(values, scale, zero_point, what + " int8");
  ExpectSameAsScalar<uint8_t>(values, scale, zero_point, what + " uint8");
  ExpectSameAsScalar<int16_t>(values, scale, zero_point, what + " int16");
}

TEST(QuantizeFloatsTest, PicksAvx512WhereTheCpuHasIt) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    EXPECT_EQ(BestQuantizeIsa(), QuantizeIsa::kAvx512);
  } else if (__builtin_cpu_supports("avx2")) {
    EXPECT_EQ(BestQuantizeIsa(), QuantizeIsa::kAvx2);
  }
#endif
}

TEST(QuantizeFloatsTest, HandComputedTiesAndTraps) {
  // scale 0.5: value / scale is 2 * value exactly. Ties go away from zero; the largest double
  // below one half (0.49999999999999994, whose x + 0.5 rounds to 1) goes to 0; -0 goes to 0;
  // NaN to the zero point; infinities and huge values to the ends of the range.
  const float inf = kInf;
  const std::vector<float> values = {1.25f,
                                     -1.25f,
                                     0.25f,
                                     -0.25f,
                                     -0.0f,
                                     std::nanf(""),
                                     inf,
                                     -inf,
                                     3.0e38f,
                                     -3.0e38f,
                                     std::numeric_limits<float>::denorm_min()};
  const std::vector<int8_t> expected = {4, -2, 2, 0, 1, 1, 127, -128, 127, -128, 1};
  for (QuantizeIsa isa : VectorIsas()) {
    EXPECT_EQ(Quantize<int8_t>(isa, values, 0.5f, 1), expected) << IsaName(isa);
  }
  // Just below a tie stays below: 0.49999997f over scale 1 (trunc(x + 0.5f) in float would give
  // 1). A float over a float never comes within 2^-24 of a tie in relative terms, so the double
  // trap 0.49999999999999994 itself is out of reach of this function's inputs.
  const float below_half = std::nextafter(0.5f, 0.0f);
  const std::vector<float> near = {below_half, -below_half, 0.5f, -0.5f};
  for (QuantizeIsa isa : VectorIsas()) {
    EXPECT_EQ(Quantize<int16_t>(isa, near, 1.0f, 0), (std::vector<int16_t>{0, 0, 1, -1}))
        << IsaName(isa);
    EXPECT_EQ(Quantize<uint8_t>(isa, near, 1.0f, 100), (std::vector<uint8_t>{100, 100, 101, 99}))
        << IsaName(isa);
  }
}

TEST(QuantizeFloatsTest, QuotientInDoubleNotFloat) {
  // The AD value of QuantizeValue's comment: the float32 quotient is a tie (-135.5 -> -136), the
  // double one is not (-135.4999978 -> -135).
  const float value = -0x1.a7dc4ap+5f;
  const float scale = 0x1.90664cp-2f;
  for (QuantizeIsa isa : VectorIsas()) {
    EXPECT_EQ(Quantize<int16_t>(isa, {value, -value}, scale, 0), (std::vector<int16_t>{-135, 135}))
        << IsaName(isa);
  }
}

TEST(QuantizeFloatsTest, EdgeValuesMatchTheScalarCodeForEveryTypeAndTail) {
  const float inf = kInf;
  const float max = std::numeric_limits<float>::max();
  const float tiny = std::numeric_limits<float>::denorm_min();
  const std::vector<float> edges = {
      0.0f,     -0.0f,     std::nanf(""), -std::nanf(""), inf,     -inf,   max,    -max,   tiny,
      -tiny,    1.0e-39f,  0.5f,          -0.5f,          1.5f,    -1.5f,  2.5f,   127.5f, -128.5f,
      32767.5f, -32768.5f, 255.5f,        1.0e9f,         -1.0e9f, 3.0e9f, -3.0e9f};
  for (size_t length = 0; length <= edges.size(); ++length) {
    const std::vector<float> values(edges.begin(), edges.begin() + static_cast<long>(length));
    for (float scale : {1.0f, 0.5f, 1.0f / 255.0f, tiny, max, 3.0e-5f}) {
      for (int32_t zero_point :
           {0, -128, 127, 33, -1000, 40000, std::numeric_limits<int32_t>::min(),
            std::numeric_limits<int32_t>::max()}) {
        ExpectSameAsScalarForEveryType(values, scale, zero_point, "edges");
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(QuantizeFloatsTest, MillionsOfRandomFloatsMatchTheScalarCode) {
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<uint32_t> any_bits;
  std::normal_distribution<float> normal(0.0f, 40.0f);
  std::uniform_int_distribution<int> halves(-70000, 70000);
  std::uniform_int_distribution<int> length(0, 90);
  std::uniform_real_distribution<float> log_scale(-12.0f, 4.0f);
  std::uniform_int_distribution<int32_t> zero_points(-200, 200);
  size_t elements = 0;
  for (int trial = 0; elements < 3'000'000; ++trial) {
    const int size = trial % 40 == 0 ? 3000 + length(rng) : length(rng);
    std::vector<float> values(static_cast<size_t>(size));
    const float scale = trial % 3 == 0 ? std::bit_cast<float>(any_bits(rng) & 0x7FFFFFFFU)
                                       : std::exp2(log_scale(rng));
    const int kind = trial % 4;
    for (float& v : values) {
      switch (kind) {
        case 0:  // any bit pattern: NaNs, infinities, denormals, huge values
          v = std::bit_cast<float>(any_bits(rng));
          break;
        case 1:  // features
          v = normal(rng);
          break;
        case 2:  // multiples of half the scale and their neighbours: on or next to ties
          v = static_cast<float>(halves(rng)) * 0.5f * scale;
          if (any_bits(rng) % 3 == 0) v = std::nextafter(v, any_bits(rng) % 2 ? kInf : -kInf);
          break;
        default:  // pixels over 255, as the image sets
          v = static_cast<float>(any_bits(rng) % 256) / 255.0f;
          break;
      }
    }
    elements += values.size();
    if (!(scale > 0.0f) || !std::isfinite(scale)) continue;  // InputPreparer rejects these
    ExpectSameAsScalarForEveryType(values, scale, zero_points(rng),
                                   "trial " + std::to_string(trial));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace harness::eval
