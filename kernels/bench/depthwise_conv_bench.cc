// DEPTHWISE_CONV_2D, reference and optimized, at the MLPerf Tiny layer shapes.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include "kernels/bench/bench_util.h"
#include "kernels/bench/layer_setup.h"
#include "kernels/bench/layer_shapes.h"
#include "kernels/fixed_point.h"
#include "kernels/optimized/depthwise_conv.h"
#include "kernels/optimized/hybrid_depthwise.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/reference/hybrid.h"

namespace kernels::bench {
namespace {

using optimized::KernelVariant;


void DepthwiseInt8(benchmark::State& state, DepthwiseLayer layer, KernelVariant variant) {
  const DepthwiseSetup s(layer);
  const int channels = layer.channels;
  const auto input = BenchData<int8_t>(s.input_shape.FlatSize());
  const auto filter = BenchData<int8_t>(s.filter_shape.FlatSize());
  const std::vector<int32_t> bias(static_cast<size_t>(channels), 1000);
  const QuantizedMultiplier m = QuantizeMultiplier(0.01);
  const std::vector<int32_t> multipliers(static_cast<size_t>(channels), m.multiplier);
  const std::vector<int32_t> shifts(static_cast<size_t>(channels), m.shift);
  std::vector<int8_t> output(static_cast<size_t>(s.output_shape.FlatSize()));
  const optimized::PackedDepthwiseInt8 packed = optimized::PackDepthwiseInt8(
      filter.data(), layer.filter_height * layer.filter_width, channels, bias.data(),
      multipliers.data(), shifts.data());
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::DepthwiseConvPerChannel(s.params, multipliers.data(), shifts.data(),
                                         s.input_shape, input.data(), s.filter_shape,
                                         filter.data(), bias.data(), s.output_shape, output.data());
    } else {
      optimized::DepthwiseConvPerChannel(variant, s.params, packed, s.input_shape, input.data(),
                                         s.filter_shape, s.output_shape, output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, s.macs);
}

void DepthwiseFloat(benchmark::State& state, DepthwiseLayer layer, KernelVariant variant) {
  const DepthwiseSetup s(layer);
  const auto input = BenchData<float>(s.input_shape.FlatSize());
  const auto filter = BenchData<float>(s.filter_shape.FlatSize());
  const auto bias = BenchData<float>(layer.channels);
  std::vector<float> output(static_cast<size_t>(s.output_shape.FlatSize()));
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::DepthwiseConv(s.params, s.input_shape, input.data(), s.filter_shape,
                               filter.data(), bias.data(), s.output_shape, output.data());
    } else {
      optimized::DepthwiseConv(variant, s.params, s.input_shape, input.data(), s.filter_shape,
                               filter.data(), bias.data(), s.output_shape, output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, s.macs);
}

// Hybrid (dynamic range): float input quantized per call, int8 weights, per-channel scales,
// float bias, RELU6.
void DepthwiseHybrid(benchmark::State& state, DepthwiseLayer layer, KernelVariant variant) {
  DepthwiseSetup s(layer);
  s.params.float_activation_min = 0.0f;
  s.params.float_activation_max = 6.0f;
  const auto input = BenchData<float>(s.input_shape.FlatSize());
  const auto filter = BenchData<int8_t>(s.filter_shape.FlatSize());
  const auto bias = BenchData<float>(layer.channels);
  const std::vector<float> channel_scales(static_cast<size_t>(layer.channels), 0.004f);
  const reference::FilterScales scales{channel_scales.data(), /*per_channel=*/true};
  std::vector<float> output(static_cast<size_t>(s.output_shape.FlatSize()));
  const int batch_size = static_cast<int>(s.input_shape.FlatSizeSkipDim(0));
  // 16-byte aligned, as the runtime's arena.
  Scratch scratch_memory(reference::HybridScratchBytes(1, batch_size));
  const reference::HybridScratch scratch =
      reference::HybridScratchAt(scratch_memory.data(), 1, batch_size);
  const optimized::PackedHybridDepthwise packed = optimized::PackHybridDepthwise(
      filter.data(), layer.filter_height * layer.filter_width, layer.channels, bias.data(),
      scales);
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::HybridDepthwiseConv(s.params, scales, s.input_shape, input.data(),
                                     s.filter_shape, filter.data(), bias.data(), s.output_shape,
                                     output.data(), scratch);
    } else {
      optimized::HybridDepthwiseConv(variant, s.params, packed, s.input_shape, input.data(),
                                     s.filter_shape, s.output_shape, output.data(), scratch);
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, s.macs);
}

[[maybe_unused]] const bool registered = [] {
  for (const DepthwiseLayer& layer : kDepthwiseLayers) {
    for (KernelVariant v : BenchVariants()) {
      benchmark::RegisterBenchmark(BenchName("Depthwise", "int8", layer.name, v).c_str(), DepthwiseInt8,
                                   layer, v);
      benchmark::RegisterBenchmark(BenchName("Depthwise", "float", layer.name, v).c_str(),
                                   DepthwiseFloat, layer, v);
      benchmark::RegisterBenchmark(BenchName("Depthwise", "hybrid", layer.name, v).c_str(),
                                   DepthwiseHybrid, layer, v);
    }
  }
  return true;
}();

}  // namespace
}  // namespace kernels::bench
