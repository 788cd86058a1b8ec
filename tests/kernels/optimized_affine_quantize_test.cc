// Optimized QUANTIZE float -> int8 / uint8 / int16 against reference::AffineQuantize, byte for
// byte, on random values, quotients at and next to ties, NaN, infinities, huge values, zeros of
// both signs and denormals, with every tail length, for every variant this CPU runs.
#include "kernels/optimized/affine_quantize.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/reference/quantize.h"

namespace kernels::optimized {
namespace {

std::vector<float> EdgeValues(std::mt19937& rng, float scale, int count) {
  std::vector<float> values;
  std::uniform_real_distribution<float> uniform(-300.0f, 300.0f);
  std::uniform_int_distribution<uint32_t> bits;
  for (int i = 0; static_cast<int>(values.size()) < count; ++i) {
    switch (i % 6) {
      case 0:
        values.push_back(uniform(rng) * scale);
        break;
      case 1: {  // a multiple of scale / 2 (a tie of the quotient) and its neighbours
        const float tie = (std::floor(uniform(rng)) + 0.5f) * scale;
        values.push_back(tie);
        values.push_back(std::nextafter(tie, 0.0f));
        values.push_back(std::nextafter(tie, tie * 2.0f));
        break;
      }
      case 2:  // any bit pattern: NaNs, infinities, denormals, huge values
        values.push_back(std::bit_cast<float>(bits(rng)));
        break;
      case 3:
        values.push_back(i % 12 == 3 ? 0.0f : -0.0f);
        break;
      case 4:
        values.push_back(0.49999997f * scale);
        break;
      default: {
        const float specials[] = {std::numeric_limits<float>::infinity(),
                                  -std::numeric_limits<float>::infinity(),
                                  std::numeric_limits<float>::quiet_NaN(),
                                  std::numeric_limits<float>::denorm_min(),
                                  std::numeric_limits<float>::max(), -3.0e9f, 3.0e9f};
        values.push_back(specials[static_cast<size_t>(i / 6) % 7]);
        break;
      }
    }
  }
  values.resize(static_cast<size_t>(count));
  return values;
}

template <class T>
void ExpectSameAsReference(KernelVariant variant, float scale, int32_t zero_point,
                           const std::vector<float>& values, const std::string& where) {
  const auto size = static_cast<int64_t>(values.size());
  // One guard element each side catches a store outside the tensor.
  std::vector<T> expected(values.size() + 2, T{7});
  std::vector<T> actual(values.size() + 2, T{7});
  reference::AffineQuantize(scale, zero_point, size, values.data(), expected.data() + 1);
  AffineQuantize(variant, scale, zero_point, size, values.data(), actual.data() + 1);
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << where << " element " << static_cast<int64_t>(i) - 1
                                      << " of " << size << " ("
                                      << (i >= 1 && i <= values.size() ? values[i - 1] : 0.0f)
                                      << ")";
  }
}

TEST(OptimizedAffineQuantizeTest, EveryVariantMatchesTheReferenceByteForByte) {
  std::mt19937 rng(11);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    const std::string name(VariantName(variant));
    for (int size = 0; size <= 70; ++size) {
      for (const float scale : {1.0f / 255.0f, 0.0392f, 0.5f, 3.0e-6f}) {
        const std::vector<float> values = EdgeValues(rng, scale, size);
        const std::string where = name + " size " + std::to_string(size) + " scale " +
                                  std::to_string(scale);
        ExpectSameAsReference<int8_t>(variant, scale, -5, values, where + " int8");
        ExpectSameAsReference<int8_t>(variant, scale, 127, values, where + " int8 zp 127");
        ExpectSameAsReference<uint8_t>(variant, scale, 128, values, where + " uint8");
        ExpectSameAsReference<int16_t>(variant, scale, 0, values, where + " int16");
      }
    }
    // A long run: the vector loop's steady state, and many random values.
    const std::vector<float> values = EdgeValues(rng, 0.02f, 100003);
    ExpectSameAsReference<int8_t>(variant, 0.02f, 3, values, name + " long int8");
    ExpectSameAsReference<int16_t>(variant, 0.02f, 0, values, name + " long int16");
  }
}

}  // namespace
}  // namespace kernels::optimized
