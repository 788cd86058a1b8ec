#pragma once
// Views of a TensorStatistics' histogram shared by the calibrators (internal to quant/).

#include <cstdint>
#include <vector>

#include "harness/quant/calibrators.h"
#include "harness/quant/tensor_statistics.h"

namespace harness::quant {

// One nonempty bin as the interval of values it holds, clipped to the observed [min, max].
struct BinMass {
  double lo = 0.0;
  double hi = 0.0;
  uint64_t count = 0;
};

// The nonempty bins in increasing order of value (negative side first), exact zeros excluded.
std::vector<BinMass> NonzeroBinsInOrder(const TensorStatistics& statistics);

// Counts of |x| per bin of width histogram().bin_width(), both sides folded, exact zeros left
// out, trimmed after the last nonempty bin (empty when every value is 0).
std::vector<uint64_t> MagnitudeBins(const TensorStatistics& statistics);

// Throws harness::Error naming `calibrator` when the statistics hold no value.
void RequireValues(const TensorStatistics& statistics, const char* calibrator);

// [lo, hi] for a magnitude threshold: lo = max(-threshold, min) if the data has negative values,
// else 0; hi = min(threshold, max) if it has positive values, else 0.
CalibrationRange RangeFromThreshold(const TensorStatistics& statistics, double threshold);

}  // namespace harness::quant
