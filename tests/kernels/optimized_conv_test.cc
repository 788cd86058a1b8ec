// Optimized CONV_2D against the reference: int8 bit for bit, float within the FMA rounding
// bound, for every variant this CPU runs, over random shapes, strides, paddings, dilations,
// zero points, per-channel multipliers and activation ranges, and at the MLPerf Tiny layers.
#include "kernels/optimized/conv.h"

#include <gtest/gtest.h>

#include "kernels/bench/layer_shapes.h"
#include "kernels/reference/conv.h"
#include "tests/kernels/optimized_tester.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

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
    std::vector<std::byte> scratch(ConvInt8ScratchBytes(filter_shape_));
    std::vector<int8_t> actual(expected.size());
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
    std::vector<float> expected(count), magnitude(count), actual(count);
    reference::Conv(params_, input_shape_, input.data(), filter_shape_, filter.data(), bias.data(),
                    output_shape_, expected.data());
    reference::ConvParams unclamped = params_;
    unclamped.float_activation_min = -std::numeric_limits<float>::infinity();
    unclamped.float_activation_max = std::numeric_limits<float>::infinity();
    reference::Conv(unclamped, input_shape_, Abs(input).data(), filter_shape_, Abs(filter).data(),
                    Abs(bias).data(), output_shape_, magnitude.data());
    const PackedFloatWeights packed =
        PackFloatWeights(filter.data(), c_.out_channels,
                         static_cast<int>(filter_shape_.FlatSizeSkipDim(0)), bias.data());
    std::vector<std::byte> scratch(ConvFloatScratchBytes(filter_shape_));
    Conv(variant, params_, packed, input_shape_, input.data(), filter_shape_, output_shape_,
         actual.data(), scratch.data());
    ExpectFloatNear(actual, expected, magnitude,
                    static_cast<int>(filter_shape_.FlatSizeSkipDim(0)),
                    VariantLabel(variant) + " " + Describe());
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

TEST(OptimizedConvTest, FloatWithinRoundingOfReferenceOnRandomShapes) {
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
