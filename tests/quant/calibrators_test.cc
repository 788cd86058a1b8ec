// Every calibrator against an independent truth computed in the test from the raw samples or
// from the histogram: exact extremes (minmax), a sort (percentile), a direct KL divergence per
// candidate (entropy), and a brute-force search that quantizes the raw samples (mse).
#include "harness/quant/calibrators.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "harness/common/error.h"
#include "tests/quant/sample_data.h"

namespace harness::quant {
namespace {

constexpr size_t kSamples = 200000;

TensorStatistics StatisticsOf(const std::vector<float>& values) {
  TensorStatistics statistics;
  statistics.Add(values);
  return statistics;
}

std::vector<float> Relu(std::vector<float> values) {
  for (float& v : values) v = std::max(v, 0.0f);
  return values;
}

std::vector<float> Negated(std::vector<float> values) {
  for (float& v : values) v = -v;
  return values;
}

// ---- minmax ---------------------------------------------------------------------------------

TEST(MinMaxCalibrator, ReturnsTheObservedExtremes) {
  const auto values = testing::GaussianSamples(kSamples, 1, 2.0, 0.5);  // all positive, mostly
  const CalibrationRange range = CalibrateMinMax(StatisticsOf(values));
  EXPECT_EQ(range.min, *std::min_element(values.begin(), values.end()));
  EXPECT_EQ(range.max, *std::max_element(values.begin(), values.end()));
}

// ---- percentile -----------------------------------------------------------------------------

// The value of 1-based rank `rank` in sorted order.
double SortedAtRank(std::vector<float> values, size_t rank) {
  std::sort(values.begin(), values.end());
  return values.at(rank - 1);
}

std::vector<float> Magnitudes(std::vector<float> values) {
  for (float& v : values) v = std::fabs(v);
  return values;
}

TEST(PercentileCalibrator, TwoSidedCutsEachTailSeparately) {
  // Ranks by hand: 99.99 % of 200000 leaves 10 values in each tail, 99 % leaves 1000.
  struct Case {
    double percentile;
    size_t low_rank;
    size_t high_rank;
  };
  const auto values = testing::GaussianSamples(kSamples, 2, 0.5, 1.0);
  const TensorStatistics statistics = StatisticsOf(values);
  const double width = statistics.histogram().bin_width();
  for (const Case& c : {Case{99.99, 10, 199990}, Case{99.0, 1000, 199000}}) {
    const CalibrationRange range = CalibratePercentile(statistics, c.percentile, false);
    EXPECT_NEAR(range.min, SortedAtRank(values, c.low_rank), width) << c.percentile;
    EXPECT_NEAR(range.max, SortedAtRank(values, c.high_rank), width) << c.percentile;
  }
}

TEST(PercentileCalibrator, OneSidedKeepsZeroAndCutsOneTail) {
  const auto values = Relu(testing::LaplacianSamples(kSamples, 3));  // half exact zeros
  const TensorStatistics statistics = StatisticsOf(values);
  const double width = statistics.histogram().bin_width();
  const CalibrationRange range = CalibratePercentile(statistics, 99.9, false);
  EXPECT_EQ(range.min, 0.0f);
  EXPECT_NEAR(range.max, SortedAtRank(values, 199800), width);

  const auto negative = Negated(values);
  const CalibrationRange mirrored = CalibratePercentile(StatisticsOf(negative), 99.9, false);
  EXPECT_NEAR(mirrored.min, SortedAtRank(negative, 200), width);
  EXPECT_EQ(mirrored.max, 0.0f);
  // A median inside the mass of exact zeros is exactly 0.
  EXPECT_EQ(CalibratePercentile(statistics, 40.0, false).max, 0.0f);
}

TEST(PercentileCalibrator, SymmetricUsesMagnitudes) {
  const auto values = testing::LaplacianSamples(kSamples, 4, 0.25);
  const TensorStatistics statistics = StatisticsOf(values);
  const double width = statistics.histogram().bin_width();
  const CalibrationRange range = CalibratePercentile(statistics, 99.99, true);
  const double expected = SortedAtRank(Magnitudes(values), 199980);
  EXPECT_NEAR(range.max, expected, width);
  EXPECT_NEAR(range.min, -expected, width);
  // 100 % keeps everything: each side ends at its observed extreme.
  const CalibrationRange everything = CalibratePercentile(statistics, 100.0, true);
  EXPECT_EQ(everything.min, statistics.min());
  EXPECT_EQ(everything.max, statistics.max());
}

// ---- entropy --------------------------------------------------------------------------------

// |x| counts per bin straight from the histogram's accessors, exact zeros left out, trimmed.
std::vector<double> MagnitudeCounts(const TensorStatistics& statistics) {
  const Histogram& h = statistics.histogram();
  std::vector<double> counts;
  for (size_t p = 0; p < h.positive_bins().size(); ++p) {
    counts.push_back(static_cast<double>(h.positive_bins()[p] + h.negative_bins()[p]));
  }
  while (counts.back() == 0.0) counts.pop_back();
  return counts;
}

// KL(P||Q) for the first `kept` bins quantized to `levels` groups, written from the spec in
// calibrators.h: group of bin j = min(j / (kept / levels), levels - 1).
double ReferenceDivergence(const std::vector<double>& counts, size_t kept, size_t levels) {
  std::vector<double> p(counts.begin(), counts.begin() + static_cast<long>(kept));
  for (size_t j = kept; j < counts.size(); ++j) p[kept - 1] += counts[j];
  const size_t per_group = kept / levels;
  std::vector<double> group_mass(levels, 0.0);
  std::vector<double> group_nonzero(levels, 0.0);
  for (size_t j = 0; j < kept; ++j) {
    const size_t group = std::min(j / per_group, levels - 1);
    group_mass[group] += counts[j];
    group_nonzero[group] += counts[j] > 0.0 ? 1.0 : 0.0;
  }
  std::vector<double> q(kept);
  for (size_t j = 0; j < kept; ++j) {
    const size_t group = std::min(j / per_group, levels - 1);
    q[j] = counts[j] > 0.0 ? group_mass[group] / group_nonzero[group] : 1e-4;
  }
  double p_sum = 0.0;
  double q_sum = 0.0;
  for (size_t j = 0; j < kept; ++j) {
    p_sum += p[j];
    q_sum += q[j];
  }
  double kl = 0.0;
  for (size_t j = 0; j < kept; ++j) {
    if (p[j] > 0.0) kl += p[j] / p_sum * std::log((p[j] / p_sum) / (q[j] / q_sum));
  }
  return kl;
}

// Checks that the calibrator's threshold is one whose divergence is the least of all
// candidates; returns that threshold.
double ExpectLeastDivergence(const TensorStatistics& statistics, size_t levels, float threshold) {
  const std::vector<double> counts = MagnitudeCounts(statistics);
  const double width = statistics.histogram().bin_width();
  double least = std::numeric_limits<double>::infinity();
  double chosen = std::numeric_limits<double>::infinity();
  for (size_t kept = levels; kept <= counts.size(); ++kept) {
    const double kl = ReferenceDivergence(counts, kept, levels);
    least = std::min(least, kl);
    const auto candidate = static_cast<float>(std::min(
        static_cast<double>(kept) * width, static_cast<double>(statistics.max_magnitude())));
    if (candidate == threshold) chosen = std::min(chosen, kl);
  }
  EXPECT_LE(chosen, least * (1.0 + 1e-9) + 1e-15) << "threshold " << threshold;
  return threshold;
}

TEST(EntropyCalibrator, TwoSidedThresholdHasTheLeastDivergence) {
  for (const auto& values :
       {testing::GaussianSamples(kSamples, 5), testing::LaplacianSamples(kSamples, 6)}) {
    const TensorStatistics statistics = StatisticsOf(values);
    const CalibrationRange range = CalibrateEntropy(statistics, 256, false);
    EXPECT_EQ(range.min, -range.max);
    ExpectLeastDivergence(statistics, 128, range.max);
    EXPECT_LT(range.max, statistics.max_magnitude());  // long tails get clipped
  }
}

TEST(EntropyCalibrator, OneSidedUsesAllLevelsOnOneSide) {
  const TensorStatistics statistics = StatisticsOf(Relu(testing::LaplacianSamples(kSamples, 7)));
  const CalibrationRange range = CalibrateEntropy(statistics, 256, false);
  EXPECT_EQ(range.min, 0.0f);
  ExpectLeastDivergence(statistics, 256, range.max);
  // Symmetric calibration of the same tensor uses 128 levels per side.
  const CalibrationRange symmetric = CalibrateEntropy(statistics, 256, true);
  EXPECT_EQ(symmetric.min, 0.0f);
  ExpectLeastDivergence(statistics, 128, symmetric.max);
}

TEST(EntropyCalibrator, ExactZerosDoNotMoveTheThreshold) {
  const auto relu = Relu(testing::LaplacianSamples(kSamples, 16));
  std::vector<float> nonzero;
  for (const float v : relu) {
    if (v != 0.0f) nonzero.push_back(v);
  }
  ASSERT_GT(relu.size() - nonzero.size(), kSamples / 3);
  const CalibrationRange with_zeros = CalibrateEntropy(StatisticsOf(relu), 256, false);
  const CalibrationRange without = CalibrateEntropy(StatisticsOf(nonzero), 256, false);
  EXPECT_EQ(with_zeros.min, 0.0f);
  EXPECT_EQ(with_zeros.max, without.max);
}

TEST(EntropyCalibrator, ManyLevelsDoNotClip) {
  // 65536 levels exceed the histogram's bins: no candidate quantizes anything away.
  const TensorStatistics statistics = StatisticsOf(testing::LaplacianSamples(kSamples, 8));
  const CalibrationRange range = CalibrateEntropy(statistics, 65536, true);
  EXPECT_EQ(range.max, statistics.max());
  EXPECT_EQ(range.min, statistics.min());
}

// ---- mse ------------------------------------------------------------------------------------

// Squared error of quantizing every sample with TFLite's affine scheme for [lo, hi]: scale
// (hi - lo) / (levels - 1), zero point rounded and clamped, values clamped to the integer range.
double AffineSampleMse(const std::vector<float>& values, double lo, double hi, int levels) {
  const double scale = (hi - lo) / (levels - 1);
  const double zero_point = std::clamp(std::round(-lo / scale), 0.0, levels - 1.0);
  double total = 0.0;
  for (const double v : values) {
    const double q = std::clamp(std::round(v / scale) + zero_point, 0.0, levels - 1.0);
    const double error = v - (q - zero_point) * scale;
    total += error * error;
  }
  return total / static_cast<double>(values.size());
}

double SymmetricSampleMse(const std::vector<float>& values, double threshold, int levels) {
  const double half = levels / 2 - 1;
  const double scale = threshold / half;
  double total = 0.0;
  for (const double v : values) {
    const double error = v - std::clamp(std::round(v / scale), -half, half) * scale;
    total += error * error;
  }
  return total / static_cast<double>(values.size());
}

struct BruteForce {
  double threshold = 0.0;
  double mse = std::numeric_limits<double>::infinity();
};

// The best of 201 thresholds spread over [0.2, 1] x `extreme` (steps of 0.4 %).
template <typename Mse>
BruteForce SearchThreshold(double extreme, const Mse& mse_at) {
  BruteForce best;
  for (int k = 0; k <= 200; ++k) {
    const double threshold = extreme * (0.2 + 0.8 * k / 200.0);
    const double mse = mse_at(threshold);
    if (mse < best.mse) best = {threshold, mse};
  }
  return best;
}

TEST(MseCalibrator, OneSidedMatchesBruteForceOnSamples) {
  for (const auto& values : {Relu(testing::GaussianSamples(kSamples, 9)),
                             Magnitudes(testing::LaplacianSamples(kSamples, 10))}) {
    const TensorStatistics statistics = StatisticsOf(values);
    const CalibrationRange range = CalibrateMse(statistics, 256, false);
    EXPECT_EQ(range.min, 0.0f);
    const BruteForce best = SearchThreshold(
        statistics.max(), [&](double hi) { return AffineSampleMse(values, 0.0, hi, 256); });
    EXPECT_NEAR(range.max, best.threshold, 0.03 * best.threshold);
    EXPECT_LE(AffineSampleMse(values, 0.0, range.max, 256), best.mse * 1.005);
  }
}

TEST(MseCalibrator, SymmetricMatchesBruteForceOnSamples) {
  for (const int levels : {256, 65536}) {
    for (const auto& values :
         {testing::GaussianSamples(kSamples, 11), testing::LaplacianSamples(kSamples, 12)}) {
      const TensorStatistics statistics = StatisticsOf(values);
      const CalibrationRange range = CalibrateMse(statistics, levels, true);
      const double threshold = std::max(-range.min, range.max);
      const BruteForce best = SearchThreshold(statistics.max_magnitude(), [&](double t) {
        return SymmetricSampleMse(values, t, levels);
      });
      EXPECT_NEAR(threshold, best.threshold, 0.03 * best.threshold) << levels;
      EXPECT_LE(SymmetricSampleMse(values, threshold, levels), best.mse * 1.005) << levels;
    }
  }
}

TEST(MseCalibrator, TwoSidedAffineIsAtLeastAsGoodAsAGridSearch) {
  const auto values = testing::LaplacianSamples(kSamples, 13, 0.5);
  std::vector<float> skewed = values;
  for (float& v : skewed) v = v > 0 ? 3.0f * v : v;  // heavier positive tail
  const TensorStatistics statistics = StatisticsOf(skewed);
  const CalibrationRange range = CalibrateMse(statistics, 256, false);
  ASSERT_LT(range.min, 0.0f);
  ASSERT_GT(range.max, 0.0f);
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i <= 24; ++i) {
    for (int j = 0; j <= 24; ++j) {
      const double lo = static_cast<double>(statistics.min()) * (0.2 + 0.8 * i / 24.0);
      const double hi = static_cast<double>(statistics.max()) * (0.2 + 0.8 * j / 24.0);
      best = std::min(best, AffineSampleMse(skewed, lo, hi, 256));
    }
  }
  EXPECT_LE(AffineSampleMse(skewed, range.min, range.max, 256), best * 1.005);
}

// The closed-form model against the error of actually quantizing the samples, within 1 %
// (a bin is a small fraction of a quantization step, so spreading a bin's mass uniformly is
// accurate). The ReLU case has half its values at exactly 0: they must cost nothing, else the
// int8 model would be off by about 50 % (s^2 / 12 for each of them).
TEST(MseCalibrator, ModelErrorMatchesSampleError) {
  for (const auto& values : {testing::GaussianSamples(kSamples, 14, 0.2, 1.0),
                             Relu(testing::GaussianSamples(kSamples, 17))}) {
    const TensorStatistics statistics = StatisticsOf(values);
    for (const double fraction : {0.3, 0.6, 1.0}) {
      const double lo = static_cast<double>(statistics.min()) * fraction;
      const double hi = static_cast<double>(statistics.max()) * fraction;
      const double affine = AffineSampleMse(values, lo, hi, 256);
      EXPECT_NEAR(ExpectedSquaredError(statistics, lo, hi, 256, false), affine, 0.01 * affine)
          << fraction;
      const double symmetric = SymmetricSampleMse(values, hi, 65536);
      EXPECT_NEAR(ExpectedSquaredError(statistics, -hi, hi, 65536, true), symmetric,
                  0.01 * symmetric)
          << fraction;
    }
  }
}

// ---- edge cases and lookup ------------------------------------------------------------------

TEST(Calibrators, EdgeCases) {
  struct Case {
    const char* what;
    std::vector<float> values;
    CalibrationRange minmax;
    CalibrationRange clipped;  // what every other calibrator returns
  };
  const std::vector<Case> cases = {
      {"all zero", std::vector<float>(1000, 0.0f), {0, 0}, {0, 0}},
      {"constant", std::vector<float>(1000, 3.0f), {3, 3}, {0, 3}},
      {"single sample", {-2.5f}, {-2.5f, -2.5f}, {-2.5f, 0}},
      {"constant negative", std::vector<float>(77, -0.75f), {-0.75f, -0.75f}, {-0.75f, 0}},
  };
  for (const Case& c : cases) {
    const TensorStatistics statistics = StatisticsOf(c.values);
    for (const std::string& name : CalibratorNames()) {
      for (const bool symmetric : {false, true}) {
        CalibratorOptions options;
        options.symmetric = symmetric;
        const CalibrationRange range = MakeCalibrator(name, options)->Calibrate(statistics);
        const CalibrationRange expected = name == "minmax" ? c.minmax : c.clipped;
        EXPECT_EQ(range.min, expected.min) << c.what << " " << name << " " << symmetric;
        EXPECT_EQ(range.max, expected.max) << c.what << " " << name << " " << symmetric;
      }
    }
  }
}

// All-negative data is the mirror image of all-positive data.
TEST(Calibrators, AllNegativeMirrorsAllPositive) {
  const auto positive = Magnitudes(testing::LaplacianSamples(kSamples, 15));
  const TensorStatistics up = StatisticsOf(positive);
  const TensorStatistics down = StatisticsOf(Negated(positive));
  const double width = up.histogram().bin_width();
  for (const std::string& name : CalibratorNames()) {
    const auto calibrator = MakeCalibrator(name);
    const CalibrationRange a = calibrator->Calibrate(up);
    const CalibrationRange b = calibrator->Calibrate(down);
    EXPECT_NEAR(b.min, -a.max, width) << name;
    EXPECT_NEAR(b.max, -a.min, width) << name;
  }
}

TEST(Calibrators, LookupByNameAndOptionChecks) {
  EXPECT_EQ(CalibratorNames(),
            (std::vector<std::string>{"minmax", "percentile", "entropy", "mse"}));
  for (const std::string& name : CalibratorNames()) EXPECT_EQ(MakeCalibrator(name)->name(), name);
  EXPECT_THROW(MakeCalibrator("kl"), Error);
  CalibratorOptions bad_percentile;
  bad_percentile.percentile = 0.0;
  EXPECT_THROW(MakeCalibrator("percentile", bad_percentile), Error);
  CalibratorOptions bad_levels;
  bad_levels.num_levels = 255;
  EXPECT_THROW(MakeCalibrator("mse", bad_levels), Error);
  for (const std::string& name : CalibratorNames()) {
    EXPECT_THROW(MakeCalibrator(name)->Calibrate(TensorStatistics()), Error) << name;
  }
}

}  // namespace
}  // namespace harness::quant
