// The sweeps of cross-layer equalization keep channel ranges current instead of recomputing
// them. Truth: a second, straightforward implementation kept here (every range recomputed from
// all weights before every pair, channel of a flat index by division and modulo), which must
// give exactly the same doubles, sweep count and convergence on seeded random chains.
#include "harness/quant/cross_layer_equalization_sweeps.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "harness/common/error.h"

namespace harness::quant {
namespace {

// ---- The straightforward implementation ---------------------------------------------------

// Channel of flat index e along an axis: (e / stride) % count.
struct Axis {
  size_t stride;
  size_t count;
  size_t of(size_t e) const { return (e / stride) % count; }
};

Axis OutputAxis(const EqualizationLayer& layer) {
  if (layer.layout == WeightLayout::kDepthwise) return {1, layer.outputs};
  return {layer.weights.size() / layer.outputs, layer.outputs};
}

Axis InputAxis(const EqualizationLayer& layer) {
  if (layer.layout == WeightLayout::kDepthwise) {
    return {layer.outputs / layer.inputs, layer.inputs};
  }
  return {1, layer.inputs};
}

std::vector<double> Ranges(const std::vector<double>& weights, const Axis& axis) {
  std::vector<double> ranges(axis.count, 0.0);
  for (size_t e = 0; e < weights.size(); ++e) {
    ranges[axis.of(e)] = std::max(ranges[axis.of(e)], std::abs(weights[e]));
  }
  return ranges;
}

SweepOutcome RecomputingEqualize(std::vector<EqualizationLayer>& layers,
                                 const std::vector<LayerPair>& pairs) {
  SweepOutcome outcome;
  while (!pairs.empty() && outcome.sweeps < 1000) {
    ++outcome.sweeps;
    double change = 0.0;
    for (const LayerPair& pair : pairs) {
      EqualizationLayer& first = layers[pair.first];
      EqualizationLayer& second = layers[pair.second];
      const std::vector<double> r1 = Ranges(first.weights, OutputAxis(first));
      const std::vector<double> r2 = Ranges(second.weights, InputAxis(second));
      const double widest1 = *std::max_element(r1.begin(), r1.end());
      const double widest2 = *std::max_element(r2.begin(), r2.end());
      std::vector<double> scales(r1.size(), 1.0);
      for (size_t c = 0; c < r1.size(); ++c) {
        if (r1[c] > 1e-4 * widest1 && r2[c] > 1e-4 * widest2) scales[c] = std::sqrt(r1[c] / r2[c]);
        change = std::max(change, std::abs(scales[c] - 1.0));
      }
      for (size_t e = 0; e < first.weights.size(); ++e) {
        first.weights[e] /= scales[OutputAxis(first).of(e)];
      }
      for (size_t c = 0; c < first.bias.size(); ++c) first.bias[c] /= scales[c];
      for (size_t e = 0; e < second.weights.size(); ++e) {
        second.weights[e] *= scales[InputAxis(second).of(e)];
      }
    }
    if (change <= 1e-6) {
      outcome.converged = true;
      break;
    }
  }
  if (pairs.empty()) outcome.converged = true;
  return outcome;
}

// ---- Random chains ------------------------------------------------------------------------

// Weights uniform in [-1, 1] times a per-output and a per-input factor spread over e^-3 ... e^3
// (unbalanced, so the sweeps have work to do); with `dead`, some output channels are scaled to
// 1e-7 and some input channels to 0, below the dead-channel threshold.
EqualizationLayer RandomLayer(WeightLayout layout, size_t outputs, size_t inputs, size_t taps,
                              bool with_bias, bool dead, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_real_distribution<double> spread(-3.0, 3.0);
  std::bernoulli_distribution dies(0.2);
  EqualizationLayer layer;
  layer.layout = layout;
  layer.outputs = outputs;
  layer.inputs = inputs;
  std::vector<double> out_factor(outputs), in_factor(inputs);
  for (double& f : out_factor) f = dead && dies(rng) ? 1e-7 : std::exp(spread(rng));
  for (double& f : in_factor) f = dead && dies(rng) ? 0.0 : std::exp(spread(rng));
  if (layout == WeightLayout::kDense) {
    for (size_t o = 0; o < outputs; ++o) {
      for (size_t e = 0; e < taps * inputs; ++e) {
        layer.weights.push_back(unit(rng) * out_factor[o] * in_factor[e % inputs]);
      }
    }
  } else {
    const size_t multiplier = outputs / inputs;
    for (size_t t = 0; t < taps; ++t) {
      for (size_t k = 0; k < outputs; ++k) {
        layer.weights.push_back(unit(rng) * out_factor[k] * in_factor[k / multiplier]);
      }
    }
  }
  if (with_bias) {
    for (size_t o = 0; o < outputs; ++o) layer.bias.push_back(unit(rng));
  }
  return layer;
}

struct LayerSpec {
  WeightLayout layout;
  size_t outputs;
  size_t taps;
};

// A chain of layers, each feeding the next; the first has `first_inputs` inputs.
std::vector<EqualizationLayer> RandomChain(const std::vector<LayerSpec>& specs, size_t first_inputs,
                                           bool dead, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<EqualizationLayer> layers;
  size_t inputs = first_inputs;
  for (size_t l = 0; l < specs.size(); ++l) {
    const LayerSpec& spec = specs[l];
    // (A depthwise spec's outputs are a multiple of its inputs.) The last layer has no bias, as
    // a chain's layer 2 need not have one.
    layers.push_back(
        RandomLayer(spec.layout, spec.outputs, inputs, spec.taps, l + 1 < specs.size(), dead, rng));
    inputs = spec.outputs;
  }
  return layers;
}

std::vector<LayerPair> ChainPairs(size_t layers) {
  std::vector<LayerPair> pairs;
  for (size_t l = 0; l + 1 < layers; ++l) pairs.push_back({l, l + 1});
  return pairs;
}

void ExpectSameAsRecomputation(const std::vector<LayerSpec>& specs, size_t first_inputs,
                               bool dead) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::vector<EqualizationLayer> fast = RandomChain(specs, first_inputs, dead, seed);
    std::vector<EqualizationLayer> slow = fast;
    const std::vector<LayerPair> pairs = ChainPairs(fast.size());
    const SweepOutcome fast_outcome = EqualizePairs(fast, pairs);
    const SweepOutcome slow_outcome = RecomputingEqualize(slow, pairs);
    EXPECT_EQ(fast_outcome.sweeps, slow_outcome.sweeps);
    EXPECT_EQ(fast_outcome.converged, slow_outcome.converged);
    EXPECT_GT(fast_outcome.sweeps, 1);  // the chains are unbalanced: there was work to do
    for (size_t l = 0; l < fast.size(); ++l) {
      // Bitwise: EXPECT_EQ on doubles is ==, and no value here is NaN.
      EXPECT_EQ(fast[l].weights, slow[l].weights) << "layer " << l;
      EXPECT_EQ(fast[l].bias, slow[l].bias) << "layer " << l;
    }
  }
}

constexpr WeightLayout kDense = WeightLayout::kDense;
constexpr WeightLayout kDepthwise = WeightLayout::kDepthwise;

TEST(CrossLayerEqualizationSweeps, DepthwiseToConvChainMatchesRecomputation) {
  // conv 3x3 -> dw 3x3 -> pw -> dw 3x3 (multiplier 2) -> pw: the MobileNet pattern, with
  // channel counts that are not multiples of the vector width.
  ExpectSameAsRecomputation(
      {{kDense, 6, 9}, {kDepthwise, 6, 9}, {kDense, 7, 1}, {kDepthwise, 14, 9}, {kDense, 5, 1}}, 3,
      /*dead=*/false);
}

TEST(CrossLayerEqualizationSweeps, DepthwiseToConvWithDeadChannelsMatchesRecomputation) {
  ExpectSameAsRecomputation(
      {{kDepthwise, 8, 9}, {kDense, 9, 1}, {kDepthwise, 9, 4}, {kDense, 4, 1}}, 8, /*dead=*/true);
}

TEST(CrossLayerEqualizationSweeps, ConvToConvChainMatchesRecomputation) {
  ExpectSameAsRecomputation({{kDense, 5, 9}, {kDense, 8, 9}, {kDense, 3, 4}}, 3, /*dead=*/false);
  ExpectSameAsRecomputation({{kDense, 5, 9}, {kDense, 8, 9}, {kDense, 3, 4}}, 3, /*dead=*/true);
}

TEST(CrossLayerEqualizationSweeps, FullyConnectedChainWithDeadChannelsMatchesRecomputation) {
  ExpectSameAsRecomputation({{kDense, 16, 1}, {kDense, 11, 1}, {kDense, 9, 1}, {kDense, 2, 1}}, 10,
                            /*dead=*/true);
}

TEST(CrossLayerEqualizationSweeps, NoPairsChangesNothing) {
  std::mt19937_64 rng(7);
  std::vector<EqualizationLayer> layers = {RandomLayer(kDense, 4, 3, 1, true, false, rng)};
  const std::vector<EqualizationLayer> before = layers;
  const SweepOutcome outcome = EqualizePairs(layers, {});
  EXPECT_EQ(outcome.sweeps, 0);
  EXPECT_TRUE(outcome.converged);
  EXPECT_EQ(layers[0].weights, before[0].weights);
}

TEST(CrossLayerEqualizationSweeps, RejectsPairsWhoseChannelsDoNotLineUp) {
  std::mt19937_64 rng(8);
  std::vector<EqualizationLayer> layers = {RandomLayer(kDense, 4, 3, 1, true, false, rng),
                                           RandomLayer(kDense, 2, 5, 1, false, false, rng)};
  EXPECT_THROW(EqualizePairs(layers, {{0, 1}}), Error);
}

}  // namespace
}  // namespace harness::quant
