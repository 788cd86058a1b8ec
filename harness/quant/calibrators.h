#pragma once
// Calibrators: turn a tensor's statistics (tensor_statistics.h) into the float range [min, max]
// to quantize it with. The quantizer derives scale and zero point from that range.
//
// ## Calibrators
//
// - `minmax`: the observed [min, max], exactly (what the TFLite converter does). No parameter.
//   Best when the tensor has no outliers and every value is worth representing.
// - `percentile`: the range that keeps `percentile` % of the values (default 99.99). Helps when
//   rare outliers stretch the observed range. Parameters `percentile`, `symmetric`.
// - `entropy`: the clipping threshold that minimises KL(P‖Q) between the histogram and its
//   quantized version (TensorRT's entropy calibrator). Parameters `num_levels`, `symmetric`. Helps
//   with long-tailed activations, where most of the information sits near zero.
// - `mse`: the range that minimises the expected squared quantization error (rounding inside the
//   range plus clipping outside). Parameters `num_levels`, `symmetric`. Minimises the mean
//   squared error by construction; often best for weights and heavy-tailed activations.
//
// What is returned. `minmax` returns the observed extremes, which may exclude 0. The other
// calibrators return a range [lo, hi] with lo <= 0 <= hi inside [min(min, 0), max(max, 0)]: they
// clip tails, never widen, and a side with no data stays at 0 (a post-ReLU tensor gets [0, hi]).
// Putting 0 exactly on the grid (the zero-point nudge) and choosing a nonzero scale for a
// [0, 0] range (an all-zero tensor) are the quantizer's job. Empty statistics throw
// harness::Error.
//
// Parameters (CalibratorOptions):
// - `num_levels`: levels of the target integer type, 256 for int8, 65536 for int16.
// - `symmetric`: calibrate for a symmetric quantizer (int8 weights, int16x8 activations): one
//   threshold T for both signs, range [-T, T] (clipped to the signs present), grid step
//   T / (num_levels/2 - 1) as TFLite's symmetric quantization (127 for int8, 32767 for int16).
//   Otherwise an affine quantizer: step (hi - lo) / (num_levels - 1), zero point rounded.
// - `percentile`: in (0, 100].
// - The histogram bin count is a property of the statistics (TensorStatistics' constructor).
//
// Details:
// - percentile: quantiles are read off the histogram with linear interpolation inside a bin
//   (each bin's extent clipped to the observed [min, max]; exact zeros as a point mass at 0).
//   Symmetric: T = the percentile of |x|. Asymmetric: a one-sided tensor (all >= 0 or all <= 0)
//   cuts (100 - percentile) % from its one tail; a two-sided tensor cuts half of that from each
//   tail separately, so a skewed activation keeps its skew.
// - entropy: on the histogram of |x| without the exact zeros, for every candidate i from
//   L bins up to the last nonempty bin: P = the first i bins with all mass beyond folded into
//   bin i-1; Q = the first i bins (without that mass) merged into L groups of i/L bins (the last
//   group takes the remainder), each group's mass spread evenly over its nonzero bins. Q's
//   empty bins get 1e-4 of a count before both are normalised (P > 0 where Q = 0 happens only
//   when folded outliers land on an empty last bin; P = 0 terms vanish, so P needs no
//   smoothing). The smallest i with the least KL(P‖Q) wins; T = min(i * w, max|x|).
//   L = num_levels / 2 (128 for int8) for a two-sided tensor or when symmetric, L = num_levels
//   (256 levels over [0, T]) for a one-sided tensor. With no more nonempty bins than L there
//   is nothing to clip and T = max|x|. Exact zeros are left out (like the `skip_zeros` option of
//   NVIDIA's pytorch-quantization; TensorRT keeps them in bin 0): every range represents 0
//   exactly, and a ReLU's mass of zeros in bin 0 would make any candidate that merges bin 0
//   with its neighbours look terrible, forcing T below 2L bins whatever the tail looks like.
// - mse: each bin's count is spread uniformly over the bin (its extent clipped to the observed
//   [min, max]); the expected squared error of that uniform mass is integrated in closed form
//   against the quantizer's grid: multiples of the step with 0 exactly on the grid (the zero
//   point rounded half away from zero, as TFLite), values beyond the grid clamped to its end.
//   Exact zeros cost nothing. Candidates are bin edges (the last one replaced by the observed
//   extreme). One-sided and symmetric cases search one threshold; a two-sided asymmetric tensor
//   searches (lo, hi) by coordinate descent from the observed range (each step a coarse pass
//   over about 128 candidates, then every edge around the best) until neither end moves.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/quant/tensor_statistics.h"

namespace harness::quant {

struct CalibrationRange {
  float min = 0.0f;
  float max = 0.0f;
};

struct CalibratorOptions {
  double percentile = 99.99;
  int num_levels = 256;
  bool symmetric = false;
};

CalibrationRange CalibrateMinMax(const TensorStatistics& statistics);
CalibrationRange CalibratePercentile(const TensorStatistics& statistics, double percentile,
                                     bool symmetric);
CalibrationRange CalibrateEntropy(const TensorStatistics& statistics, int num_levels,
                                  bool symmetric);
CalibrationRange CalibrateMse(const TensorStatistics& statistics, int num_levels, bool symmetric);

// Expected squared error per value (exact zeros included in the count) of quantizing the
// histogram's mass with the range [lo, hi] (lo <= 0 <= hi, lo < hi), under the mse calibrator's
// model above. Exposed for tests and reports.
double ExpectedSquaredError(const TensorStatistics& statistics, double lo, double hi,
                            int num_levels, bool symmetric);

// Calibrators hold only their options: Calibrate may run on many threads at once.
class Calibrator {
 public:
  virtual ~Calibrator() = default;
  virtual std::string_view name() const = 0;
  // Throws harness::Error when `statistics` is empty.
  virtual CalibrationRange Calibrate(const TensorStatistics& statistics) const = 0;
};

// "minmax", "percentile", "entropy" or "mse"; throws harness::Error for any other name and for
// invalid options (percentile outside (0, 100], num_levels not an even number >= 4).
std::unique_ptr<Calibrator> MakeCalibrator(std::string_view name,
                                           const CalibratorOptions& options = {});
// The names MakeCalibrator accepts, in a fixed order.
std::vector<std::string> CalibratorNames();

}  // namespace harness::quant
