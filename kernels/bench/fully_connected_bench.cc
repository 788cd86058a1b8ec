// FULLY_CONNECTED, reference and optimized, at the MLPerf Tiny layer shapes (batch 1).
#include <benchmark/benchmark.h>

#include "kernels/bench/bench_util.h"
#include "kernels/bench/layer_shapes.h"
#include "kernels/fixed_point.h"
#include "kernels/optimized/fully_connected.h"
#include "kernels/reference/fully_connected.h"

namespace kernels::bench {
namespace {

using optimized::KernelVariant;

void FullyConnectedInt8(benchmark::State& state, FullyConnectedLayer layer,
                        KernelVariant variant) {
  const auto input = BenchData<int8_t>(layer.input_depth);
  const auto filter = BenchData<int8_t>(static_cast<int64_t>(layer.input_depth) * layer.units);
  const std::vector<int32_t> bias(static_cast<size_t>(layer.units), 1000);
  const QuantizedMultiplier m = QuantizeMultiplier(0.004);
  reference::FullyConnectedParams params;
  params.input_offset = 5;
  params.output_offset = -3;
  params.output_multiplier = m.multiplier;
  params.output_shift = m.shift;
  const Shape input_shape{1, layer.input_depth};
  const Shape filter_shape{layer.units, layer.input_depth};
  const Shape output_shape{1, layer.units};
  std::vector<int8_t> output(static_cast<size_t>(layer.units));
  const optimized::PackedInt8Weights packed = optimized::PackInt8Weights(
      filter.data(), layer.units, layer.input_depth, bias.data(), params.input_offset,
      &params.output_multiplier, &params.output_shift, 1);
  std::vector<std::byte> scratch(optimized::FullyConnectedInt8ScratchBytes(layer.input_depth));
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::FullyConnected(params, input_shape, input.data(), filter_shape, filter.data(),
                                bias.data(), output_shape, output.data());
    } else {
      optimized::FullyConnectedInt8(variant, params, packed, 1, input.data(), output.data(),
                                    scratch.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, static_cast<int64_t>(layer.input_depth) * layer.units);
}

void FullyConnectedFloat(benchmark::State& state, FullyConnectedLayer layer,
                         KernelVariant variant) {
  const auto input = BenchData<float>(layer.input_depth);
  const auto filter = BenchData<float>(static_cast<int64_t>(layer.input_depth) * layer.units);
  const auto bias = BenchData<float>(layer.units);
  const reference::FullyConnectedParams params;
  const Shape input_shape{1, layer.input_depth};
  const Shape filter_shape{layer.units, layer.input_depth};
  const Shape output_shape{1, layer.units};
  std::vector<float> output(static_cast<size_t>(layer.units));
  const optimized::PackedFloatWeights packed =
      optimized::PackFloatWeights(filter.data(), layer.units, layer.input_depth, bias.data());
  for (auto _ : state) {
    if (variant == KernelVariant::kReference) {
      reference::FullyConnected(params, input_shape, input.data(), filter_shape, filter.data(),
                                bias.data(), output_shape, output.data());
    } else {
      optimized::FullyConnectedFloat(variant, params, packed, 1, input.data(), output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  SetMacs(state, static_cast<int64_t>(layer.input_depth) * layer.units);
}

[[maybe_unused]] const bool registered = [] {
  for (const FullyConnectedLayer& layer : kFullyConnectedLayers) {
    for (KernelVariant v : BenchVariants()) {
      benchmark::RegisterBenchmark(BenchName("FullyConnected", "int8", layer.name, v).c_str(),
                                   FullyConnectedInt8, layer, v);
      benchmark::RegisterBenchmark(BenchName("FullyConnected", "float", layer.name, v).c_str(),
                                   FullyConnectedFloat, layer, v);
    }
  }
  return true;
}();

}  // namespace
}  // namespace kernels::bench
