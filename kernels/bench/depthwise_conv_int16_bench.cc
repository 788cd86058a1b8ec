// DEPTHWISE_CONV_2D in TFLite's 16x8 mode (int16 activations, int8 weights, int64 bias),
// reference and optimized, at the MLPerf Tiny layer shapes (the int16x8 methods of VWW and KWS).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "kernels/bench/bench_util.h"
#include "kernels/bench/layer_setup.h"
#include "kernels/bench/layer_shapes.h"
#include "kernels/fixed_point.h"
#include "kernels/optimized/depthwise_conv_int16.h"
#include "kernels/reference/depthwise_conv_int16.h"

namespace kernels::bench {
namespace {

using optimized::KernelVariant;

void DepthwiseInt16x8(benchmark::State& state, DepthwiseLayer layer, KernelVariant variant) {
  DepthwiseSetup s(layer);
  s.params.quantized_activation_min = -32768;
  s.params.quantized_activation_max = 32767;
  const reference::DepthwiseParams& params = s.params;
  const Shape& input_shape = s.input_shape;
  const Shape& filter_shape = s.filter_shape;
  const Shape& output_shape = s.output_shape;
  const int channels = layer.channels;
  const int taps = layer.filter_height * layer.filter_width;
  const auto input = BenchData<int16_t>(input_shape.FlatSize());
  const auto filter = BenchData<int8_t>(filter_shape.FlatSize());
  const std::vector<int64_t> bias(static_cast<size_t>(channels), 100000);
  // About the scale of a real 16x8 layer: the outputs spread over the int16 range.
  const QuantizedMultiplier m = QuantizeMultiplier(1e-4);
  const std::vector<int32_t> multipliers(static_cast<size_t>(channels), m.multiplier);
  const std::vector<int32_t> shifts(static_cast<size_t>(channels), m.shift);
  std::vector<int16_t> output(static_cast<size_t>(output_shape.FlatSize()));
  const optimized::PackedDepthwiseInt16x8 packed = optimized::PackDepthwiseInt16x8(
      filter.data(), taps, channels, bias.data(), multipliers.data(), shifts.data());
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::DepthwiseConvPerChannel(params, multipliers.data(), shifts.data(), input_shape,
                                         input.data(), filter_shape, filter.data(), bias.data(),
                                         output_shape, output.data());
    } else {
      optimized::DepthwiseConvPerChannelInt16x8(variant, params, packed, input_shape, input.data(),
                                                filter_shape, output_shape, output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, s.macs);
}

[[maybe_unused]] const bool registered = [] {
  for (const DepthwiseLayer& layer : kDepthwiseLayers) {
    for (KernelVariant v : BenchVariants()) {
      benchmark::RegisterBenchmark(BenchName("Depthwise", "int16x8", layer.name, v).c_str(),
                                   DepthwiseInt16x8, layer, v);
    }
  }
  return true;
}();

}  // namespace
}  // namespace kernels::bench
