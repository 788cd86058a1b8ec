#include "harness/quant/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <string>

#include "harness/common/error.h"

namespace harness::quant {
namespace {

// log2 of a power of two.
int Log2(int power_of_two) { return std::countr_zero(static_cast<unsigned>(power_of_two)); }

// The smallest e with magnitude < 2^e (magnitude > 0 and finite). frexp returns m in [0.5, 1)
// with magnitude = m * 2^e, so 2^(e-1) <= magnitude < 2^e.
int RangeExponentFor(double magnitude) {
  int exponent = 0;
  std::frexp(magnitude, &exponent);
  return exponent;
}

}  // namespace

Histogram::Histogram(int num_bins) : num_bins_(num_bins) {
  if (num_bins < 2 || num_bins > (1 << 24) ||
      !std::has_single_bit(static_cast<unsigned>(num_bins))) {
    throw Error("histogram", "bin count must be a power of two between 2 and 2^24, got " +
                                 std::to_string(num_bins));
  }
  positive_.assign(static_cast<size_t>(bins_per_side()), 0);
  negative_.assign(static_cast<size_t>(bins_per_side()), 0);
}

double Histogram::range() const { return has_range_ ? std::ldexp(1.0, range_exponent_) : 0.0; }

double Histogram::bin_width() const {
  return has_range_ ? std::ldexp(1.0, range_exponent_ - Log2(bins_per_side())) : 0.0;
}

uint64_t Histogram::total_count() const {
  return std::accumulate(positive_.begin(), positive_.end(), zero_count_) +
         std::accumulate(negative_.begin(), negative_.end(), uint64_t{0});
}

void Histogram::Add(std::span<const float> values) {
  // The largest magnitude as the largest absolute bit pattern: for floats the unsigned order of
  // |x|'s bits is the order of the magnitudes, infinity's pattern is above every finite one and
  // NaN's above infinity's. An integer max without a branch per value vectorizes; calibration
  // runs this over every activation of every sample.
  uint32_t max_bits = 0;
  for (const float value : values) {
    max_bits = std::max(max_bits, std::bit_cast<uint32_t>(value) & 0x7FFFFFFFU);
  }
  if (max_bits >= 0x7F800000U) {
    const auto bad = std::find_if(values.begin(), values.end(),
                                  [](float value) { return !std::isfinite(value); });
    throw Error("histogram", "non-finite value " + std::to_string(*bad));
  }
  const auto max_magnitude = static_cast<double>(std::bit_cast<float>(max_bits));
  if (max_magnitude == 0.0) {
    zero_count_ += values.size();
    return;
  }
  const int needed = RangeExponentFor(max_magnitude);
  if (!has_range_) {
    has_range_ = true;
    range_exponent_ = needed;
  } else if (needed > range_exponent_) {
    GrowTo(needed);
  }
  // Dividing by a power of two is exact in double for every float input (no overflow or
  // underflow is possible in double's exponent range), so the bin index is the exact floor.
  // Without branches: ReLU outputs are zero about half the time, in no predictable pattern. A
  // zero lands in positive bin 0 with an increment of 0 and is counted apart.
  const double inverse_width = 1.0 / bin_width();
  uint64_t zeros = 0;
  for (const float value : values) {
    const double magnitude = std::fabs(static_cast<double>(value));
    const auto bin = static_cast<size_t>(magnitude * inverse_width);
    const bool zero = value == 0.0f;
    zeros += zero ? 1U : 0U;
    (value < 0.0f ? negative_.data() : positive_.data())[bin] += zero ? 0U : 1U;
  }
  zero_count_ += zeros;
}

void Histogram::GrowTo(int exponent) {
  // Doubling R k times maps bin p to bin p >> k. Bin indices are below 2^23, so a shift of 30
  // already sends everything to bin 0; capping keeps the shift well defined.
  const int shift = std::min(exponent - range_exponent_, 30);
  for (std::vector<uint64_t>* side : {&positive_, &negative_}) {
    std::vector<uint64_t> grown(side->size(), 0);
    for (size_t p = 0; p < side->size(); ++p) grown[p >> shift] += (*side)[p];
    *side = std::move(grown);
  }
  range_exponent_ = exponent;
}

void Histogram::Merge(const Histogram& other) {
  if (other.num_bins_ != num_bins_) {
    throw Error("histogram", "cannot merge histograms with " + std::to_string(num_bins_) + " and " +
                                 std::to_string(other.num_bins_) + " bins");
  }
  zero_count_ += other.zero_count_;
  if (!other.has_range_) return;
  if (!has_range_) {
    has_range_ = true;
    range_exponent_ = other.range_exponent_;
  } else if (other.range_exponent_ > range_exponent_) {
    GrowTo(other.range_exponent_);
  }
  const int shift = std::min(range_exponent_ - other.range_exponent_, 30);
  for (size_t p = 0; p < positive_.size(); ++p) {
    positive_[p >> shift] += other.positive_[p];
    negative_[p >> shift] += other.negative_[p];
  }
}

}  // namespace harness::quant
