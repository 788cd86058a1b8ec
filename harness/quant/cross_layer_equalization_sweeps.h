#pragma once
// The numeric core of cross-layer equalization (see cross_layer_equalization.h): sweeps over
// chained layer pairs in double until the scales settle. The graph glue reads the weights into
// `EqualizationLayer`s and writes them back; this part knows nothing of graphs.
//
// Each sweep needs, for every pair, the output-channel ranges of layer 1 and the input-channel
// ranges of layer 2. They are kept up to date between sweeps instead of being recomputed from
// all weights (the .cc says why that is exact), so the result is the same doubles, the same
// sweep count and the same stopping decision as recomputing them every time.

#include <cstddef>
#include <vector>

namespace harness::quant {

// How a layer's flat weights map onto its output and input channels.
enum class WeightLayout {
  // [outputs][taps][inputs]: CONV_2D's OHWI filter (taps = H*W) and FULLY_CONNECTED's
  // [out, in] matrix (taps = 1).
  kDense,
  // [taps][outputs], output k reading input k / (outputs / inputs): DEPTHWISE_CONV_2D's
  // 1HW(C*M) filter with outputs = C*M and inputs = C.
  kDepthwise,
};

struct EqualizationLayer {
  WeightLayout layout = WeightLayout::kDense;
  size_t outputs = 0;
  size_t inputs = 0;
  std::vector<double> weights;  // outputs * taps * inputs (dense) or taps * outputs (depthwise)
  std::vector<double> bias;     // one per output, or empty
};

// Layer `first` feeds layer `second`: output channel c of `first` is input channel c of
// `second` (indices into the layer list).
struct LayerPair {
  size_t first = 0;
  size_t second = 0;
};

struct SweepOutcome {
  int sweeps = 0;
  bool converged = false;  // false if the sweep limit stopped the iteration
};

// Sweeps stop once no scale differs from 1 by more than this: the ranges then agree to about
// 1e-6 relative, far below an int8 step (1/127).
inline constexpr double kConvergedChange = 1e-6;
inline constexpr int kMaxSweeps = 1000;
// A channel whose weight range is below this fraction of its layer's widest channel is dead.
inline constexpr double kDeadChannel = 1e-4;

// Equalizes the pairs in order, sweep after sweep, until the largest |s_c - 1| of a sweep is at
// most kConvergedChange or kMaxSweeps sweeps ran; with no pairs nothing changes and the outcome
// is converged. Per pair, s_c = sqrt(r1_c / r2_c) (1 for a dead channel), output channel c of
// `first` (weights and bias) is divided by s_c and input channel c of `second` multiplied by it.
// Throws harness::Error if a layer's sizes are inconsistent or a pair's channels do not line up.
SweepOutcome EqualizePairs(std::vector<EqualizationLayer>& layers,
                           const std::vector<LayerPair>& pairs);

}  // namespace harness::quant
