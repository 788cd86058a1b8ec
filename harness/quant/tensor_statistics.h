#pragma once
// Running statistics of one tensor over a calibration set: count, exact min and max, and a
// Histogram (see histogram.h for its layout and growth). Everything here is an integer count or
// an exact min/max, so Merge is exact, commutative and associative: statistics collected on
// any number of threads from any split of the samples, merged in any order, are bit-identical
// to statistics collected serially. -0.0 is stored as +0.0 so that min/max do not depend on
// which of two equal zeros came first.

#include <cstdint>
#include <span>

#include "harness/quant/histogram.h"

namespace harness::quant {

class TensorStatistics {
 public:
  explicit TensorStatistics(int histogram_bins = Histogram::kDefaultBins);

  // Throws harness::Error on NaN or infinity.
  void Add(std::span<const float> values);
  // Both must use the same histogram bin count (throws harness::Error otherwise).
  void Merge(const TensorStatistics& other);

  uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // The observed extremes; both 0 while empty().
  float min() const { return min_; }
  float max() const { return max_; }
  // max(|min|, |max|).
  float max_magnitude() const;
  const Histogram& histogram() const { return histogram_; }

  bool operator==(const TensorStatistics& other) const = default;

 private:
  uint64_t count_ = 0;
  float min_ = 0.0f;
  float max_ = 0.0f;
  Histogram histogram_;
};

}  // namespace harness::quant
