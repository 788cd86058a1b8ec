#include "harness/quant/cross_layer_equalization_sweeps.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/common/error.h"

// Why the maintained ranges equal a recomputation, bit for bit.
//
// A range is max |w| over a channel, and every weight update is one IEEE operation by a
// positive scale: w / s_c along layer 1's output axis, w * s_c along layer 2's input axis.
// Correctly rounded division (or multiplication) by a fixed positive number is monotonic and odd
// (x <= y implies fl(x / s) <= fl(y / s), and fl(-x / s) = -fl(x / s)), so
// max_e |fl(w_e / s)| = fl(max_e |w_e| / s): the range of the scaled axis is updated by the
// same single operation as its weights, and that is exact, not an approximation. (For finite
// weights: an infinite weight makes an infinite scale, and inf / inf is NaN.)
//
// The other axis of the same weights is not scaled uniformly: a dense layer's input channel i
// mixes every output channel, each by its own scale. Its ranges are recomputed, but only when
// some pair will read them, and in the same pass that scales the weights: a dense layer inside
// a chain is read twice per sweep (once per scaling) instead of four times (two scalings and
// two recomputations), and without a division and modulo per weight to find its channel. A
// depthwise filter needs no recomputation at all: output channel k reads only input k / M, so
// both axes scale channel by channel and input c's range is the max of its M outputs' ranges.
//
// Max is order-independent over the same values (|w| makes -0 and +0 equal, and
// std::max(r, NaN) keeps r as the recomputation does), so the loop order is free.

namespace harness::quant {
namespace {

// One layer together with max |w| per output and per input channel, kept current as the layer
// is scaled. An axis nobody reads ("unwatched") is not recomputed when the other axis scales.
class RangedLayer {
 public:
  RangedLayer(EqualizationLayer& layer, bool watch_outputs, bool watch_inputs)
      : layer_(layer),
        watch_outputs_(watch_outputs),
        watch_inputs_(watch_inputs),
        taps_(layer.weights.size() / (layer.layout == WeightLayout::kDense
                                          ? layer.outputs * layer.inputs
                                          : layer.outputs)),
        output_ranges_(layer.outputs, 0.0),
        input_ranges_(layer.inputs, 0.0) {
    if (layer.layout == WeightLayout::kDepthwise) {
      output_scales_.resize(layer.outputs);
      for (size_t e = 0; e < layer.weights.size(); ++e) {
        double& r = output_ranges_[e % layer.outputs];
        r = std::max(r, std::abs(layer.weights[e]));
      }
      DeriveDepthwiseInputRanges();
      return;
    }
    const double* w = layer.weights.data();
    for (size_t o = 0; o < layer.outputs; ++o) {
      double r = 0.0;
      for (size_t t = 0; t < taps_; ++t, w += layer.inputs) {
        for (size_t i = 0; i < layer.inputs; ++i) {
          r = std::max(r, std::abs(w[i]));
          input_ranges_[i] = std::max(input_ranges_[i], std::abs(w[i]));
        }
      }
      output_ranges_[o] = r;
    }
  }

  const std::vector<double>& output_ranges() const { return output_ranges_; }
  const std::vector<double>& input_ranges() const { return input_ranges_; }

  // Output channel c (weights and bias) /= scales[c].
  void DivideOutputs(const std::vector<double>& scales) {
    for (size_t c = 0; c < layer_.bias.size(); ++c) layer_.bias[c] /= scales[c];
    // Exact: see the top of this file (the same division as the channel's weights).
    for (size_t c = 0; c < layer_.outputs; ++c) output_ranges_[c] /= scales[c];
    if (layer_.layout == WeightLayout::kDepthwise) {
      ScaleDepthwise</*divide=*/true>(scales);
      DeriveDepthwiseInputRanges();
    } else if (watch_inputs_) {
      DivideDenseOutputs</*refresh_inputs=*/true>(scales);
    } else {
      DivideDenseOutputs</*refresh_inputs=*/false>(scales);
    }
  }

  // Input channel c *= scales[c].
  void MultiplyInputs(const std::vector<double>& scales) {
    // Exact: see the top of this file (the same multiplication as the channel's weights).
    for (size_t c = 0; c < layer_.inputs; ++c) input_ranges_[c] *= scales[c];
    if (layer_.layout == WeightLayout::kDepthwise) {
      const size_t multiplier = layer_.outputs / layer_.inputs;
      for (size_t k = 0; k < layer_.outputs; ++k) output_scales_[k] = scales[k / multiplier];
      for (size_t k = 0; k < layer_.outputs; ++k) output_ranges_[k] *= output_scales_[k];
      ScaleDepthwise</*divide=*/false>(output_scales_);
    } else if (watch_outputs_) {
      MultiplyDenseInputs</*refresh_outputs=*/true>(scales);
    } else {
      MultiplyDenseInputs</*refresh_outputs=*/false>(scales);
    }
  }

 private:
  // Depthwise weights [taps][outputs] /= or *= a scale per output.
  template <bool divide>
  void ScaleDepthwise(const std::vector<double>& output_scales) {
    double* w = layer_.weights.data();
    const double* s = output_scales.data();
    for (size_t t = 0; t < taps_; ++t, w += layer_.outputs) {
      for (size_t k = 0; k < layer_.outputs; ++k) {
        if constexpr (divide) {
          w[k] /= s[k];
        } else {
          w[k] *= s[k];
        }
      }
    }
  }

  void DeriveDepthwiseInputRanges() {
    const size_t multiplier = layer_.outputs / layer_.inputs;
    for (size_t c = 0; c < layer_.inputs; ++c) {
      double r = 0.0;
      for (size_t m = 0; m < multiplier; ++m) r = std::max(r, output_ranges_[c * multiplier + m]);
      input_ranges_[c] = r;
    }
  }

  // Dense weights [outputs][taps][inputs]: row o /= scales[o], and (if asked) the input ranges
  // recomputed from the new values in the same pass.
  template <bool refresh_inputs>
  void DivideDenseOutputs(const std::vector<double>& scales) {
    const size_t inputs = layer_.inputs;
    double* w = layer_.weights.data();
    double* in = input_ranges_.data();
    if constexpr (refresh_inputs) std::fill(input_ranges_.begin(), input_ranges_.end(), 0.0);
    for (size_t o = 0; o < layer_.outputs; ++o) {
      const double s = scales[o];
      for (size_t t = 0; t < taps_; ++t, w += inputs) {
        for (size_t i = 0; i < inputs; ++i) {
          w[i] /= s;
          if constexpr (refresh_inputs) in[i] = std::max(in[i], std::abs(w[i]));
        }
      }
    }
  }

  // Dense weights: column i *= scales[i], and (if asked) the output ranges recomputed from the
  // new values in the same pass. The row maximum runs in kLanes independent lanes merged at the
  // end, so the compiler can vectorize it (a single running max is a serial dependency chain);
  // max is order-independent, so the lanes give the same value.
  template <bool refresh_outputs>
  void MultiplyDenseInputs(const std::vector<double>& scales) {
    constexpr size_t kLanes = 4;
    const size_t inputs = layer_.inputs;
    const size_t whole = inputs - inputs % kLanes;
    double* w = layer_.weights.data();
    const double* s = scales.data();
    for (size_t o = 0; o < layer_.outputs; ++o) {
      double lanes[kLanes] = {};
      for (size_t t = 0; t < taps_; ++t, w += inputs) {
        for (size_t i = 0; i < whole; i += kLanes) {
          for (size_t j = 0; j < kLanes; ++j) {
            w[i + j] *= s[i + j];
            if constexpr (refresh_outputs) lanes[j] = std::max(lanes[j], std::abs(w[i + j]));
          }
        }
        for (size_t i = whole; i < inputs; ++i) {
          w[i] *= s[i];
          if constexpr (refresh_outputs) lanes[0] = std::max(lanes[0], std::abs(w[i]));
        }
      }
      if constexpr (refresh_outputs) {
        output_ranges_[o] = std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
      }
    }
  }

  EqualizationLayer& layer_;
  bool watch_outputs_;
  bool watch_inputs_;
  size_t taps_;
  std::vector<double> output_ranges_;
  std::vector<double> input_ranges_;
  std::vector<double> output_scales_;  // depthwise: the scale of each output's input channel
};

void CheckLayer(const EqualizationLayer& layer, size_t index) {
  const std::string place = "cross-layer equalization layer " + std::to_string(index);
  if (layer.outputs == 0 || layer.inputs == 0) throw Error(place, "has no channels");
  const size_t per_tap =
      layer.layout == WeightLayout::kDense ? layer.outputs * layer.inputs : layer.outputs;
  if (layer.weights.size() % per_tap != 0) {
    throw Error(place, std::to_string(layer.weights.size()) + " weights for " +
                           std::to_string(layer.outputs) + " outputs and " +
                           std::to_string(layer.inputs) + " inputs");
  }
  if (layer.layout == WeightLayout::kDepthwise && layer.outputs % layer.inputs != 0) {
    throw Error(place, "depthwise outputs are not a multiple of its inputs");
  }
  if (!layer.bias.empty() && layer.bias.size() != layer.outputs) {
    throw Error(place, "bias does not have one value per output");
  }
}

// s_c = sqrt(r1_c / r2_c) for every live channel, 1 for a dead one; returns max |s_c - 1|.
double ChooseScales(const std::vector<double>& r1, const std::vector<double>& r2,
                    std::vector<double>& scales) {
  const double widest1 = *std::max_element(r1.begin(), r1.end());
  const double widest2 = *std::max_element(r2.begin(), r2.end());
  scales.assign(r1.size(), 1.0);
  double change = 0.0;
  for (size_t c = 0; c < r1.size(); ++c) {
    // A (nearly) dead channel is left alone. With r1_c ~ 0 the channel outputs f(bias), and
    // 1/s_c = sqrt(r2_c / r1_c) would multiply that constant by orders of magnitude and blow
    // up the per-tensor activation range (MobileNet's VWW model has such channels from folded
    // batch norms: int8 accuracy fell to chance); with r2_c ~ 0 nothing reads the channel.
    if (r1[c] > kDeadChannel * widest1 && r2[c] > kDeadChannel * widest2) {
      scales[c] = std::sqrt(r1[c] / r2[c]);
    }
    change = std::max(change, std::abs(scales[c] - 1.0));
  }
  return change;
}

}  // namespace

SweepOutcome EqualizePairs(std::vector<EqualizationLayer>& layers,
                           const std::vector<LayerPair>& pairs) {
  for (size_t l = 0; l < layers.size(); ++l) CheckLayer(layers[l], l);
  std::vector<bool> is_first(layers.size(), false);
  std::vector<bool> is_second(layers.size(), false);
  for (const LayerPair& pair : pairs) {
    if (pair.first >= layers.size() || pair.second >= layers.size() || pair.first == pair.second ||
        layers[pair.first].outputs != layers[pair.second].inputs) {
      throw Error("cross-layer equalization pair " + std::to_string(pair.first) + " -> " +
                      std::to_string(pair.second),
                  "channels do not line up");
    }
    is_first[pair.first] = true;
    is_second[pair.second] = true;
  }

  SweepOutcome outcome;
  if (pairs.empty()) {
    outcome.converged = true;
    return outcome;
  }
  std::vector<RangedLayer> ranged;
  ranged.reserve(layers.size());
  for (size_t l = 0; l < layers.size(); ++l) {
    ranged.emplace_back(layers[l], is_first[l], is_second[l]);
  }

  std::vector<double> scales;  // reused by every pair: no allocation inside the sweeps
  while (outcome.sweeps < kMaxSweeps) {
    ++outcome.sweeps;
    double change = 0.0;
    for (const LayerPair& pair : pairs) {
      RangedLayer& first = ranged[pair.first];
      RangedLayer& second = ranged[pair.second];
      change = std::max(change, ChooseScales(first.output_ranges(), second.input_ranges(), scales));
      first.DivideOutputs(scales);
      second.MultiplyInputs(scales);
    }
    if (change <= kConvergedChange) {
      outcome.converged = true;
      break;
    }
  }
  return outcome;
}

}  // namespace harness::quant
