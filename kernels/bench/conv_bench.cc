// CONV_2D, reference and optimized, at the MLPerf Tiny layer shapes (int8 and float32).
#include <benchmark/benchmark.h>

#include "kernels/bench/bench_util.h"
#include "kernels/bench/layer_setup.h"
#include "kernels/bench/layer_shapes.h"
#include "kernels/fixed_point.h"
#include "kernels/optimized/conv.h"
#include "kernels/reference/conv.h"

namespace kernels::bench {
namespace {

using optimized::KernelVariant;


void ConvInt8(benchmark::State& state, ConvLayer layer, KernelVariant variant) {
  const ConvSetup s(layer);
  const int channels = layer.output_channels;
  const auto input = BenchData<int8_t>(s.input_shape.FlatSize());
  const auto filter = BenchData<int8_t>(s.filter_shape.FlatSize());
  const std::vector<int32_t> bias(static_cast<size_t>(channels), 1000);
  const QuantizedMultiplier m = QuantizeMultiplier(0.003);
  const std::vector<int32_t> multipliers(static_cast<size_t>(channels), m.multiplier);
  const std::vector<int32_t> shifts(static_cast<size_t>(channels), m.shift);
  std::vector<int8_t> output(static_cast<size_t>(s.output_shape.FlatSize()));
  const int depth = static_cast<int>(s.filter_shape.FlatSizeSkipDim(0));
  const optimized::PackedInt8Weights packed =
      optimized::PackInt8Weights(filter.data(), channels, depth, bias.data(),
                                 s.params.input_offset, multipliers.data(), shifts.data(), channels);
  std::vector<std::byte> scratch(optimized::ConvInt8ScratchBytes(s.filter_shape));
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::ConvPerChannel(s.params, multipliers.data(), shifts.data(), s.input_shape,
                                input.data(), s.filter_shape, filter.data(), bias.data(),
                                s.output_shape, output.data());
    } else {
      optimized::ConvPerChannel(variant, s.params, packed, s.input_shape, input.data(),
                                s.filter_shape, s.output_shape, output.data(), scratch.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, s.macs);
}

void ConvFloat(benchmark::State& state, ConvLayer layer, KernelVariant variant) {
  const ConvSetup s(layer);
  const int channels = layer.output_channels;
  const auto input = BenchData<float>(s.input_shape.FlatSize());
  const auto filter = BenchData<float>(s.filter_shape.FlatSize());
  const auto bias = BenchData<float>(channels);
  std::vector<float> output(static_cast<size_t>(s.output_shape.FlatSize()));
  const int depth = static_cast<int>(s.filter_shape.FlatSizeSkipDim(0));
  const optimized::PackedFloatWeights packed =
      optimized::PackFloatWeights(filter.data(), channels, depth, bias.data());
  std::vector<std::byte> scratch(optimized::ConvFloatScratchBytes(s.filter_shape));
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::Conv(s.params, s.input_shape, input.data(), s.filter_shape, filter.data(),
                      bias.data(), s.output_shape, output.data());
    } else {
      optimized::Conv(variant, s.params, packed, s.input_shape, input.data(), s.filter_shape,
                      s.output_shape, output.data(), scratch.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, s.macs);
}

[[maybe_unused]] const bool registered = [] {
  for (const ConvLayer& layer : kConvLayers) {
    for (KernelVariant v : BenchVariants()) {
      benchmark::RegisterBenchmark(BenchName("Conv", "int8", layer.name, v).c_str(), ConvInt8, layer, v);
      benchmark::RegisterBenchmark(BenchName("Conv", "float", layer.name, v).c_str(), ConvFloat, layer, v);
    }
  }
  return true;
}();

}  // namespace
}  // namespace kernels::bench
