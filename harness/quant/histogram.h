#pragma once
// A histogram of a tensor's values whose range grows as samples arrive, built so that merging is
// exact: the same multiset of values gives bit-identical histograms whatever the order in which
// values arrive and whatever the tree shape in which partial histograms are merged.
//
// Layout. The histogram covers [-R, R] with `num_bins` bins (a power of two), half on each side
// of zero, indexed by magnitude: bin p of the positive side counts values x > 0 with
// p*w <= x < (p+1)*w, bin p of the negative side counts values x < 0 with p*w <= |x| < (p+1)*w,
// where w = R / (num_bins/2). Exact zeros (+0 and -0) are not binned: they are counted apart in
// zero_count(), because a ReLU output has many of them and every quantizer represents 0 exactly
// (the calibrators use that: a zero costs no quantization error).
//
// Range. R is always a power of two: the smallest 2^e with max|x| < 2^e over all values seen.
// It depends only on the largest magnitude, never on arrival order. When a value needs a larger
// range, R doubles (as often as needed) and each pair of adjacent bins merges into one: since w
// is a power of two, x / w is computed exactly and floor(floor(x/w) / 2) == floor(x/(2w)), so a
// grown histogram has exactly the counts of one built on the final range directly.
//
// Determinism. Bin counts are integers, R is a function of the data, so Merge is commutative
// and associative with no rounding anywhere: collect per thread or per sample in any order and
// merge in any order, the result is the same, bit for bit.
//
// Non-finite values (NaN, infinity) are rejected with harness::Error: they have no place in a
// calibration range and usually mean a broken model or input.

#include <cstdint>
#include <span>
#include <vector>

namespace harness::quant {

class Histogram {
 public:
  // 8192 bins: 4096 per side. R < 2 max|x|, so at least 2048 bins on each side carry data,
  // the resolution TensorRT's entropy calibrator uses.
  static constexpr int kDefaultBins = 8192;

  // `num_bins` must be a power of two between 2 and 2^24; throws harness::Error otherwise.
  explicit Histogram(int num_bins = kDefaultBins);

  void Add(std::span<const float> values);
  // Adds `other`'s counts; both must have the same num_bins (throws harness::Error otherwise).
  void Merge(const Histogram& other);

  int num_bins() const { return num_bins_; }
  int bins_per_side() const { return num_bins_ / 2; }
  // False while no nonzero value has been seen (then only zero_count() is meaningful).
  bool has_range() const { return has_range_; }
  // R = 2^range_exponent(); 0 when !has_range().
  int range_exponent() const { return range_exponent_; }
  double range() const;
  // w = R / bins_per_side(); 0 when !has_range().
  double bin_width() const;

  uint64_t zero_count() const { return zero_count_; }
  std::span<const uint64_t> positive_bins() const { return positive_; }
  std::span<const uint64_t> negative_bins() const { return negative_; }
  // All values seen: zeros plus every bin.
  uint64_t total_count() const;

  bool operator==(const Histogram& other) const = default;

 private:
  // Doubles R until it is 2^exponent, merging adjacent bins.
  void GrowTo(int exponent);

  int num_bins_;
  bool has_range_ = false;
  int range_exponent_ = 0;
  uint64_t zero_count_ = 0;
  std::vector<uint64_t> positive_;
  std::vector<uint64_t> negative_;
};

}  // namespace harness::quant
