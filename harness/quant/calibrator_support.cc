#include "harness/quant/calibrator_support.h"

#include <algorithm>
#include <string>

#include "harness/common/error.h"
#include "harness/quant/calibrators.h"

namespace harness::quant {

std::vector<BinMass> NonzeroBinsInOrder(const TensorStatistics& statistics) {
  const Histogram& histogram = statistics.histogram();
  const double width = histogram.bin_width();
  const double min = statistics.min();
  const double max = statistics.max();
  std::vector<BinMass> bins;
  const auto negative = histogram.negative_bins();
  for (size_t p = negative.size(); p-- > 0;) {
    if (negative[p] == 0) continue;
    const double lo = -static_cast<double>(p + 1) * width;
    const double hi = -static_cast<double>(p) * width;
    bins.push_back({std::max(lo, min), std::min(hi, max), negative[p]});
  }
  const auto positive = histogram.positive_bins();
  for (size_t p = 0; p < positive.size(); ++p) {
    if (positive[p] == 0) continue;
    const double lo = static_cast<double>(p) * width;
    const double hi = static_cast<double>(p + 1) * width;
    bins.push_back({std::max(lo, min), std::min(hi, max), positive[p]});
  }
  return bins;
}

std::vector<uint64_t> MagnitudeBins(const TensorStatistics& statistics) {
  const Histogram& histogram = statistics.histogram();
  const auto positive = histogram.positive_bins();
  const auto negative = histogram.negative_bins();
  if (!histogram.has_range()) return {};  // only zeros: there is no bin width
  std::vector<uint64_t> magnitude;
  magnitude.reserve(positive.size());
  for (size_t p = 0; p < positive.size(); ++p) {
    magnitude.push_back(positive[p] + negative[p]);
  }
  while (!magnitude.empty() && magnitude.back() == 0) magnitude.pop_back();
  return magnitude;
}

void RequireValues(const TensorStatistics& statistics, const char* calibrator) {
  if (statistics.empty()) {
    throw Error(std::string(calibrator) + " calibrator", "no statistics: the tensor saw no value");
  }
}

CalibrationRange RangeFromThreshold(const TensorStatistics& statistics, double threshold) {
  const auto value = static_cast<float>(threshold);
  return {statistics.min() < 0.0f ? std::max(-value, statistics.min()) : 0.0f,
          statistics.max() > 0.0f ? std::min(value, statistics.max()) : 0.0f};
}

}  // namespace harness::quant
