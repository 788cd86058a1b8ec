// CONV_2D and FULLY_CONNECTED in TFLite's 16x8 mode (int16 activations, int8 weights, int64
// bias), reference and optimized, at the MLPerf Tiny layer shapes (the int16x8 methods).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "kernels/bench/bench_util.h"
#include "kernels/bench/layer_setup.h"
#include "kernels/bench/layer_shapes.h"
#include "kernels/fixed_point.h"
#include "kernels/optimized/conv_int16.h"
#include "kernels/optimized/fully_connected_int16.h"
#include "kernels/reference/conv_int16.h"
#include "kernels/reference/fully_connected_int16.h"

namespace kernels::bench {
namespace {

using optimized::KernelVariant;

// Per-channel requantization about the scale of a real 16x8 layer: the outputs spread over the
// int16 range.
struct Int16x8Constants {
  std::vector<int64_t> bias;
  std::vector<int32_t> multipliers, shifts;
  explicit Int16x8Constants(int channels)
      : bias(static_cast<size_t>(channels), 100000),
        multipliers(static_cast<size_t>(channels), QuantizeMultiplier(1e-4).multiplier),
        shifts(static_cast<size_t>(channels), QuantizeMultiplier(1e-4).shift) {}
};

void ConvInt16x8(benchmark::State& state, ConvLayer layer, KernelVariant variant) {
  ConvSetup s(layer);
  s.params.quantized_activation_min = -32768;
  s.params.quantized_activation_max = 32767;
  const reference::ConvParams& params = s.params;
  const Shape& input_shape = s.input_shape;
  const Shape& filter_shape = s.filter_shape;
  const Shape& output_shape = s.output_shape;
  const int channels = layer.output_channels;
  const auto input = BenchData<int16_t>(input_shape.FlatSize());
  const auto filter = BenchData<int8_t>(filter_shape.FlatSize());
  const Int16x8Constants k(channels);
  std::vector<int16_t> output(static_cast<size_t>(output_shape.FlatSize()));
  const int depth = static_cast<int>(filter_shape.FlatSizeSkipDim(0));
  const optimized::PackedInt16x8Weights packed = optimized::PackInt16x8Weights(
      filter.data(), channels, depth, 0, k.bias.data(), nullptr, /*int64_path=*/true,
      k.multipliers.data(), k.shifts.data(), channels);
  std::vector<std::byte> scratch(optimized::ConvInt16x8ScratchBytes(filter_shape));
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::ConvPerChannel(params, k.multipliers.data(), k.shifts.data(), input_shape,
                                input.data(), filter_shape, filter.data(), k.bias.data(),
                                output_shape, output.data());
    } else {
      optimized::ConvPerChannelInt16x8(variant, params, packed, input_shape, input.data(),
                                       filter_shape, output_shape, output.data(), scratch.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, s.macs);
}

void FullyConnectedInt16x8(benchmark::State& state, FullyConnectedLayer layer,
                           KernelVariant variant) {
  const Shape input_shape{1, layer.input_depth};
  const Shape filter_shape{layer.units, layer.input_depth};
  const Shape output_shape{1, layer.units};
  reference::FullyConnectedParams params;
  params.quantized_activation_min = -32768;
  params.quantized_activation_max = 32767;
  const auto input = BenchData<int16_t>(input_shape.FlatSize());
  const auto filter = BenchData<int8_t>(filter_shape.FlatSize());
  const Int16x8Constants k(layer.units);
  std::vector<int16_t> output(static_cast<size_t>(output_shape.FlatSize()));
  const optimized::PackedInt16x8Weights packed = optimized::PackInt16x8Weights(
      filter.data(), layer.units, layer.input_depth, 0, k.bias.data(), nullptr,
      /*int64_path=*/true, k.multipliers.data(), k.shifts.data(), layer.units);
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::FullyConnectedPerChannel(params, k.multipliers.data(), k.shifts.data(),
                                          input_shape, input.data(), filter_shape, filter.data(),
                                          k.bias.data(), output_shape, output.data());
    } else {
      optimized::FullyConnectedInt16x8(variant, params, packed, 1, input.data(), output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, int64_t{layer.input_depth} * layer.units);
}

[[maybe_unused]] const bool registered = [] {
  for (KernelVariant v : BenchVariants()) {
    for (const ConvLayer& layer : kConvLayers) {
      benchmark::RegisterBenchmark(BenchName("Conv", "int16x8", layer.name, v).c_str(),
                                   ConvInt16x8, layer, v);
    }
    for (const FullyConnectedLayer& layer : kFullyConnectedLayers) {
      benchmark::RegisterBenchmark(BenchName("FullyConnected", "int16x8", layer.name, v).c_str(),
                                   FullyConnectedInt16x8, layer, v);
    }
  }
  return true;
}();

}  // namespace
}  // namespace kernels::bench
