#include "harness/quant/tensor_statistics.h"

#include <algorithm>
#include <cmath>

namespace harness::quant {

TensorStatistics::TensorStatistics(int histogram_bins) : histogram_(histogram_bins) {}

float TensorStatistics::max_magnitude() const { return std::max(std::fabs(min_), std::fabs(max_)); }

void TensorStatistics::Add(std::span<const float> values) {
  histogram_.Add(values);  // first: it rejects non-finite values before anything changes
  if (values.empty()) return;
  // x + 0.0f turns -0.0 into +0.0 and leaves every other value as it is.
  float batch_min = values[0] + 0.0f;
  float batch_max = batch_min;
  for (const float value : values) {
    batch_min = std::min(batch_min, value + 0.0f);
    batch_max = std::max(batch_max, value + 0.0f);
  }
  min_ = count_ == 0 ? batch_min : std::min(min_, batch_min);
  max_ = count_ == 0 ? batch_max : std::max(max_, batch_max);
  count_ += values.size();
}

void TensorStatistics::Merge(const TensorStatistics& other) {
  histogram_.Merge(other.histogram_);
  if (other.count_ == 0) return;
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
  count_ += other.count_;
}

}  // namespace harness::quant
