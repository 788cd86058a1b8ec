// Optimized DEPTHWISE_CONV_2D against the reference, int8 and float bit for bit, for every variant this CPU runs, over random shapes (depth multipliers 1-3,
// strides, dilations, SAME/VALID) and quantization parameters, and at the MLPerf Tiny layers.
#include "kernels/optimized/depthwise_conv.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kernels/bench/layer_shapes.h"
#include "kernels/reference/depthwise_conv.h"
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

struct DepthwiseCase {
  int batches, height, width, in_channels, multiplier, filter_height, filter_width;
  int stride, dilation;
  bool same;
};

class DepthwiseTester {
 public:
  explicit DepthwiseTester(const DepthwiseCase& c) : c_(c) {
    const PaddedSize h = Pad(c.same, c.height, c.filter_height, c.stride, c.dilation);
    const PaddedSize w = Pad(c.same, c.width, c.filter_width, c.stride, c.dilation);
    params_.stride_height = params_.stride_width = c.stride;
    params_.dilation_height = params_.dilation_width = c.dilation;
    params_.padding_height = h.padding;
    params_.padding_width = w.padding;
    params_.depth_multiplier = c.multiplier;
    channels_ = c.in_channels * c.multiplier;
    input_shape_ = Shape{c.batches, c.height, c.width, c.in_channels};
    filter_shape_ = Shape{1, c.filter_height, c.filter_width, channels_};
    output_shape_ = Shape{c.batches, h.output, w.output, channels_};
  }

  bool valid() const { return output_shape_.FlatSize() > 0; }

  std::string Describe() const {
    return "depthwise b" + std::to_string(c_.batches) + " " + std::to_string(c_.height) + "x" +
           std::to_string(c_.width) + "x" + std::to_string(c_.in_channels) + " multiplier " +
           std::to_string(c_.multiplier) + " filter " + std::to_string(c_.filter_height) + "x" +
           std::to_string(c_.filter_width) + " stride " + std::to_string(c_.stride) +
           " dilation " + std::to_string(c_.dilation) + (c_.same ? " SAME" : " VALID");
  }

  void TestInt8(KernelVariant variant, std::mt19937& rng) {
    const auto input = RandomInt8(rng, input_shape_.FlatSize());
    const auto filter = RandomInt8(rng, filter_shape_.FlatSize());
    std::vector<int32_t> bias(static_cast<size_t>(channels_));
    for (auto& b : bias) b = Uniform(rng, -30000, 30000);
    const int32_t* bias_data = Uniform(rng, 0, 3) != 0 ? bias.data() : nullptr;
    const Requantization q = RandomRequantization(rng, channels_);
    params_.input_offset = -Uniform(rng, -128, 127);
    params_.output_offset = Uniform(rng, -128, 127);
    std::tie(params_.quantized_activation_min, params_.quantized_activation_max) =
        RandomActivationRange(rng);

    std::vector<int8_t> expected(static_cast<size_t>(output_shape_.FlatSize()));
    reference::DepthwiseConvPerChannel(params_, q.multipliers.data(), q.shifts.data(),
                                       input_shape_, input.data(), filter_shape_, filter.data(),
                                       bias_data, output_shape_, expected.data());
    const PackedDepthwiseInt8 packed =
        PackDepthwiseInt8(filter.data(), c_.filter_height * c_.filter_width, channels_, bias_data,
                          q.multipliers.data(), q.shifts.data());
    std::vector<int8_t> actual(expected.size(),
                               static_cast<int8_t>(0xAB));  // an unwritten output differs
    DepthwiseConvPerChannel(variant, params_, packed, input_shape_, input.data(), filter_shape_,
                            output_shape_, actual.data());
    ASSERT_EQ(actual, expected) << VariantLabel(variant) << " " << Describe();
  }

  void TestFloat(KernelVariant variant, std::mt19937& rng) {
    const auto input = RandomFloat(rng, input_shape_.FlatSize());
    const auto filter = RandomFloat(rng, filter_shape_.FlatSize());
    const auto bias = RandomFloat(rng, channels_);
    params_.float_activation_min = Uniform(rng, 0, 1) ? 0.0f : -std::numeric_limits<float>::infinity();
    params_.float_activation_max = Uniform(rng, 0, 1) ? 6.0f : std::numeric_limits<float>::infinity();
    const size_t count = static_cast<size_t>(output_shape_.FlatSize());
    std::vector<float> expected(count), actual(count);
    const float* bias_data = Uniform(rng, 0, 3) != 0 ? bias.data() : nullptr;
    reference::DepthwiseConv(params_, input_shape_, input.data(), filter_shape_, filter.data(),
                             bias_data, output_shape_, expected.data());
    DepthwiseConv(variant, params_, input_shape_, input.data(), filter_shape_, filter.data(),
                  bias_data, output_shape_, actual.data());
    ExpectSameFloatBits(actual, expected, VariantLabel(variant) + " " + Describe());
  }

 private:
  DepthwiseCase c_;
  reference::DepthwiseParams params_;
  int channels_ = 0;
  Shape input_shape_, filter_shape_, output_shape_;
};

DepthwiseCase RandomCase(std::mt19937& rng) {
  for (;;) {
    // Mostly multiplier 1 (the vectorised path), sometimes 2 or 3.
    const int multiplier = Uniform(rng, 0, 2) == 0 ? Uniform(rng, 2, 3) : 1;
    DepthwiseCase c{Uniform(rng, 1, 2), Uniform(rng, 1, 20), Uniform(rng, 1, 20),
                    Uniform(rng, 1, 70), multiplier,         Uniform(rng, 1, 5),
                    Uniform(rng, 1, 5),  Uniform(rng, 1, 2), Uniform(rng, 1, 2),
                    Uniform(rng, 0, 1) == 1};
    if (DepthwiseTester(c).valid()) return c;
  }
}

TEST(OptimizedDepthwiseConvTest, Int8MatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(99);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 200; ++i) {
      DepthwiseTester(RandomCase(rng)).TestInt8(variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

// The special paths of the vector code, each hit on purpose: 3x3 windows inside the image (the
// input offset folded into the bias, two pixels per step, odd run lengths), the border pixels
// around them, 8-channel tensors (two pixels per vector), partial channel blocks.
TEST(OptimizedDepthwiseConvTest, Int8MatchesReferenceOn3x3InteriorAndBorderPaths) {
  std::mt19937 rng(17);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int channels : {8, 16, 24, 32, 40}) {
      for (int stride : {1, 2}) {
        for (const auto& [height, width] : {std::pair{7, 9}, std::pair{12, 12}, std::pair{5, 2}}) {
          for (bool same : {true, false}) {
            const DepthwiseCase c{2, height, width, channels, 1, 3, 3, stride, 1, same};
            DepthwiseTester tester(c);
            if (!tester.valid()) continue;
            tester.TestInt8(variant, rng);
            if (HasFatalFailure()) return;
          }
        }
      }
    }
  }
}

TEST(OptimizedDepthwiseConvTest, FloatMatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(5);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 100; ++i) {
      DepthwiseTester(RandomCase(rng)).TestFloat(variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(OptimizedDepthwiseConvTest, Int8MatchesReferenceAtModelLayers) {
  std::mt19937 rng(3);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const bench::DepthwiseLayer& layer : bench::kDepthwiseLayers) {
      const DepthwiseCase c{1, layer.input_height, layer.input_width, layer.channels, 1,
                            layer.filter_height, layer.filter_width, layer.stride, 1,
                            layer.same_padding};
      DepthwiseTester(c).TestInt8(variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(OptimizedDepthwiseConvTest, FloatMatchesReferenceBitForBitAtModelLayers) {
  std::mt19937 rng(4);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const bench::DepthwiseLayer& layer : bench::kDepthwiseLayers) {
      const DepthwiseCase c{1, layer.input_height, layer.input_width, layer.channels, 1,
                            layer.filter_height, layer.filter_width, layer.stride, 1,
                            layer.same_padding};
      DepthwiseTester(c).TestFloat(variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
