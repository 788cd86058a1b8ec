// Optimized CONV_2D against the reference, int8 and float bit for bit, for every variant this CPU runs, over random shapes, strides, paddings, dilations,
// zero points, per-channel multipliers and activation ranges, and at the MLPerf Tiny layers.
#include "kernels/optimized/conv.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/bench/layer_shapes.h"
#include "kernels/reference/conv.h"
#include "tests/kernels/optimized_tester.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

// The optimized float kernels sum in the reference's order with every multiply and add rounded
// separately, so their outputs must equal the reference's bit for bit (compared as bits: a
// tolerance would hide an FMA or a reordered sum, and operator== would let -0 pass for +0).
void ExpectSameFloatBits(const std::vector<float>& actual, const std::vector<float>& expected,
                         const std::string& where) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(std::bit_cast<uint32_t>(actual[i]), std::bit_cast<uint32_t>(expected[i]))
        << where << " at " << i << ": " << actual[i] << " vs " << expected[i];
  }
}

struct ConvCase {
  int batches, height, width, in_channels, out_channels, filter_height, filter_width;
  int stride, dilation;
  bool same;
};

class ConvTester {
 public:
  explicit ConvTester(const ConvCase& c) : c_(c) {
    const PaddedSize h = Pad(c.same, c.height, c.filter_height, c.stride, c.dilation);
    const PaddedSize w = Pad(c.same, c.width, c.filter_width, c.stride, c.dilation);
    params_.stride_height = params_.stride_width = c.stride;
    params_.dilation_height = params_.dilation_width = c.dilation;
    params_.padding_height = h.padding;
    params_.padding_width = w.padding;
    input_shape_ = Shape{c.batches, c.height, c.width, c.in_channels};
    filter_shape_ = Shape{c.out_channels, c.filter_height, c.filter_width, c.in_channels};
    output_shape_ = Shape{c.batches, h.output, w.output, c.out_channels};
  }

  bool valid() const { return output_shape_.FlatSize() > 0; }

  std::string Describe() const {
    return "conv b" + std::to_string(c_.batches) + " " + std::to_string(c_.height) + "x" +
           std::to_string(c_.width) + "x" + std::to_string(c_.in_channels) + " -> " +
           std::to_string(c_.out_channels) + " filter " + std::to_string(c_.filter_height) + "x" +
           std::to_string(c_.filter_width) + " stride " + std::to_string(c_.stride) +
           " dilation " + std::to_string(c_.dilation) + (c_.same ? " SAME" : " VALID");
  }

  void TestInt8(KernelVariant variant, std::mt19937& rng) {
    const auto input = RandomInt8(rng, input_shape_.FlatSize());
    const auto filter = RandomInt8(rng, filter_shape_.FlatSize());
    std::vector<int32_t> bias(static_cast<size_t>(c_.out_channels));
    for (auto& b : bias) b = Uniform(rng, -30000, 30000);
    const bool with_bias = Uniform(rng, 0, 3) != 0;
    const Requantization q = RandomRequantization(rng, c_.out_channels);
    params_.input_offset = -Uniform(rng, -128, 127);
    params_.output_offset = Uniform(rng, -128, 127);
    std::tie(params_.quantized_activation_min, params_.quantized_activation_max) =
        RandomActivationRange(rng);
    const int32_t* bias_data = with_bias ? bias.data() : nullptr;

    std::vector<int8_t> expected(static_cast<size_t>(output_shape_.FlatSize()));
    reference::ConvPerChannel(params_, q.multipliers.data(), q.shifts.data(), input_shape_,
                              input.data(), filter_shape_, filter.data(), bias_data,
                              output_shape_, expected.data());
    const PackedInt8Weights packed = PackInt8Weights(
        filter.data(), c_.out_channels, static_cast<int>(filter_shape_.FlatSizeSkipDim(0)),
        bias_data, params_.input_offset, q.multipliers.data(), q.shifts.data(), c_.out_channels);
    // Scratch and output full of garbage (0xAB), as a reused arena may be: padding lanes of the
    // im2col rows that reached a result, or outputs left unwritten, would differ.
    std::vector<std::byte> scratch(ConvInt8ScratchBytes(filter_shape_), std::byte{0xAB});
    std::vector<int8_t> actual(expected.size(), static_cast<int8_t>(0xAB));
    ConvPerChannel(variant, params_, packed, input_shape_, input.data(), filter_shape_,
                   output_shape_, actual.data(), scratch.data());
    ASSERT_EQ(actual, expected) << VariantLabel(variant) << " " << Describe();
  }

  void TestFloat(KernelVariant variant, std::mt19937& rng) {
    const auto input = RandomFloat(rng, input_shape_.FlatSize());
    const auto filter = RandomFloat(rng, filter_shape_.FlatSize());
    const auto bias = RandomFloat(rng, c_.out_channels);
    params_.float_activation_min = Uniform(rng, 0, 1) ? 0.0f : -std::numeric_limits<float>::infinity();
    params_.float_activation_max = Uniform(rng, 0, 1) ? 6.0f : std::numeric_limits<float>::infinity();
    const size_t count = static_cast<size_t>(output_shape_.FlatSize());
    std::vector<float> expected(count), actual(count);
    const float* bias_data = Uniform(rng, 0, 3) != 0 ? bias.data() : nullptr;
    reference::Conv(params_, input_shape_, input.data(), filter_shape_, filter.data(), bias_data,
                    output_shape_, expected.data());
    const PackedFloatWeights packed =
        PackFloatWeights(filter.data(), c_.out_channels,
                         static_cast<int>(filter_shape_.FlatSizeSkipDim(0)), bias_data);
    std::vector<std::byte> scratch(ConvFloatScratchBytes(filter_shape_), std::byte{0xAB});
    Conv(variant, params_, packed, input_shape_, input.data(), filter_shape_, output_shape_,
         actual.data(), scratch.data());
    ExpectSameFloatBits(actual, expected, VariantLabel(variant) + " " + Describe());
  }

 private:
  ConvCase c_;
  reference::ConvParams params_;
  Shape input_shape_, filter_shape_, output_shape_;
};

// Random cases small enough for the sanitizer build (at most ~1M multiply-adds each).
ConvCase RandomCase(std::mt19937& rng) {
  for (;;) {
    ConvCase c{Uniform(rng, 1, 2), Uniform(rng, 1, 20), Uniform(rng, 1, 20), Uniform(rng, 1, 70),
               Uniform(rng, 1, 70), Uniform(rng, 1, 3),  Uniform(rng, 1, 3),  Uniform(rng, 1, 2),
               Uniform(rng, 1, 2),  Uniform(rng, 0, 1) == 1};
    const int64_t macs = static_cast<int64_t>(c.batches) * c.height * c.width * c.in_channels *
                         c.out_channels * c.filter_height * c.filter_width / (c.stride * c.stride);
    if (macs <= 1'000'000 && ConvTester(c).valid()) return c;
  }
}

TEST(OptimizedConvTest, Int8MatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(20240601);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 150; ++i) {
      ConvTester(RandomCase(rng)).TestInt8(variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

// The AVX-512 VNNI GEMM on every depth tail (depth % 4, channel count % 16 and % 64) with
// garbage in the scratch rows' depth padding: reads of uninitialized padding or past a row's
// end would make it differ from the reference.
TEST(OptimizedConvTest, Avx512VnniInt8MatchesReferenceOnEveryTail) {
  if (!VariantSupported(KernelVariant::kAvx512Vnni)) GTEST_SKIP() << "CPU lacks AVX-512 VNNI";
  std::mt19937 rng(63);
  for (int channels = 1; channels <= 63; ++channels) {
    const ConvCase c{1, 5, 7, channels, 64 + channels, 3, 1, 1, 1, channels % 2 == 0};
    ConvTester(c).TestInt8(KernelVariant::kAvx512Vnni, rng);
    if (HasFatalFailure()) return;
  }
}

TEST(OptimizedConvTest, FloatMatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(7);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 60; ++i) {
      ConvTester(RandomCase(rng)).TestFloat(variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(OptimizedConvTest, Int8MatchesReferenceAtModelLayers) {
  std::mt19937 rng(11);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const bench::ConvLayer& layer : bench::kConvLayers) {
      const ConvCase c{1,
                       layer.input_height,
                       layer.input_width,
                       layer.input_channels,
                       layer.output_channels,
                       layer.filter_height,
                       layer.filter_width,
                       layer.stride,
                       1,
                       layer.same_padding};
      ConvTester(c).TestInt8(variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(OptimizedConvTest, FloatMatchesReferenceBitForBitAtModelLayers) {
  std::mt19937 rng(12);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const bench::ConvLayer& layer : bench::kConvLayers) {
      const ConvCase c{1,
                       layer.input_height,
                       layer.input_width,
                       layer.input_channels,
                       layer.output_channels,
                       layer.filter_height,
                       layer.filter_width,
                       layer.stride,
                       1,
                       layer.same_padding};
      ConvTester(c).TestFloat(variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(OptimizedConvTest, DispatchNamesEveryVariant) {
  EXPECT_EQ(VariantName(KernelVariant::kReference), "reference");
  EXPECT_EQ(VariantName(KernelVariant::kAvx512Vnni), "avx512vnni");
  EXPECT_TRUE(VariantSupported(KernelVariant::kPortable));
  const auto variants = SupportedOptimizedVariants();
  EXPECT_FALSE(variants.empty());
  EXPECT_TRUE(VariantSupported(SelectedVariant()));
}

}  // namespace
}  // namespace kernels::optimized
