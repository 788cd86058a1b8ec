// Hybrid (dynamic-range: float activations, int8 weights with per-channel scales) CONV_2D and
// FULLY_CONNECTED, reference and optimized, at the MLPerf Tiny layer shapes (the `dynamic`
// method). The hybrid depthwise benchmarks live beside the other depthwise ones.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include "kernels/bench/bench_util.h"
#include "kernels/bench/layer_setup.h"
#include "kernels/bench/layer_shapes.h"
#include "kernels/optimized/hybrid_conv.h"
#include "kernels/optimized/hybrid_fully_connected.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/fully_connected.h"
#include "kernels/reference/hybrid.h"

namespace kernels::bench {
namespace {

using optimized::KernelVariant;

// Channel scales of a real layer's size; the values only scale the float outputs.
std::vector<float> ChannelScales(int channels) {
  std::vector<float> scales(static_cast<size_t>(channels));
  for (size_t c = 0; c < scales.size(); ++c) scales[c] = 0.002f + 0.0001f * static_cast<float>(c);
  return scales;
}

void ConvHybrid(benchmark::State& state, ConvLayer layer, KernelVariant variant) {
  const ConvSetup s(layer);
  const reference::ConvParams& params = s.params;
  const Shape& input_shape = s.input_shape;
  const Shape& filter_shape = s.filter_shape;
  const Shape& output_shape = s.output_shape;
  const int channels = layer.output_channels;
  const auto input = BenchData<float>(input_shape.FlatSize());
  const auto filter = BenchData<int8_t>(filter_shape.FlatSize());
  const auto bias = BenchData<float>(channels);
  const std::vector<float> scales = ChannelScales(channels);
  const reference::FilterScales filter_scales{scales.data(), /*per_channel=*/true};
  std::vector<float> output(static_cast<size_t>(output_shape.FlatSize()));
  const optimized::PackedHybridConv packed =
      optimized::PackHybridConv(filter.data(), filter_shape, bias.data(), filter_scales);
  const auto batch_size = static_cast<int>(input_shape.FlatSizeSkipDim(0));
  Scratch scratch(variant == KernelVariant::kReference
                      ? reference::HybridScratchBytes(1, batch_size)
                      : optimized::HybridConvScratchBytes(packed, input_shape));
  std::byte* memory = scratch.data();
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::HybridConv(params, filter_scales, input_shape, input.data(), filter_shape,
                            filter.data(), bias.data(), output_shape, output.data(),
                            reference::HybridScratchAt(memory, 1, batch_size));
    } else {
      optimized::HybridConv(variant, params, packed, input_shape, input.data(), filter_shape,
                            output_shape, output.data(), memory);
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, s.macs);
}

void FullyConnectedHybrid(benchmark::State& state, FullyConnectedLayer layer,
                          KernelVariant variant) {
  const Shape input_shape{1, layer.input_depth};
  const Shape filter_shape{layer.units, layer.input_depth};
  const Shape output_shape{1, layer.units};
  reference::FullyConnectedParams params;
  params.asymmetric_quantize_inputs = true;
  const auto input = BenchData<float>(input_shape.FlatSize());
  const auto filter = BenchData<int8_t>(filter_shape.FlatSize());
  const auto bias = BenchData<float>(layer.units);
  const std::vector<float> scales = ChannelScales(layer.units);
  const reference::FilterScales filter_scales{scales.data(), /*per_channel=*/true};
  std::vector<float> output(static_cast<size_t>(layer.units));
  const optimized::PackedHybridWeights packed = optimized::PackHybridFullyConnected(
      filter.data(), layer.units, layer.input_depth, bias.data(), filter_scales);
  Scratch scratch(variant == KernelVariant::kReference
                      ? reference::HybridScratchBytes(1, layer.input_depth)
                      : optimized::HybridFullyConnectedScratchBytes(packed, 1));
  std::byte* memory = scratch.data();
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::HybridFullyConnected(params, filter_scales, input_shape, input.data(),
                                      filter_shape, filter.data(), bias.data(), output_shape,
                                      output.data(),
                                      reference::HybridScratchAt(memory, 1, layer.input_depth));
    } else {
      optimized::HybridFullyConnected(variant, params, packed, 1, input.data(), output.data(),
                                      memory);
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, int64_t{layer.input_depth} * layer.units);
}

[[maybe_unused]] const bool registered = [] {
  for (KernelVariant v : BenchVariants()) {
    for (const ConvLayer& layer : kConvLayers) {
      benchmark::RegisterBenchmark(BenchName("Conv", "hybrid", layer.name, v).c_str(), ConvHybrid,
                                   layer, v);
    }
    for (const FullyConnectedLayer& layer : kFullyConnectedLayers) {
      benchmark::RegisterBenchmark(BenchName("FullyConnected", "hybrid", layer.name, v).c_str(),
                                   FullyConnectedHybrid, layer, v);
    }
  }
  return true;
}();

}  // namespace
}  // namespace kernels::bench
