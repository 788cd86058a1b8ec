// The entropy calibrator scores candidates with a grouped form and evaluates only the near-best
// ones directly (entropy_calibrator.cc). Its ranges must be bit-identical to the previous
// implementation, which evaluated every candidate directly; that implementation is kept here
// verbatim as the second implementation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "harness/model/tflite_loader.h"
#include "harness/quant/calibration.h"
#include "harness/quant/calibrator_support.h"
#include "harness/quant/calibrators.h"
#include "harness/quant/method.h"
#include "harness/runtime/compiled_model.h"
#include "tests/quant/sample_data.h"
#include "tests/quant/small_float_model.h"

namespace harness::quant {
namespace {

// ---- the previous implementation, unchanged -------------------------------------------------

double PreviousDivergence(const std::vector<uint64_t>& bins, size_t kept, uint64_t tail,
                          size_t levels, std::vector<double>& p, std::vector<double>& q) {
  p.assign(bins.begin(), bins.begin() + static_cast<std::ptrdiff_t>(kept));
  p[kept - 1] += static_cast<double>(tail);
  q.assign(kept, 0.0);
  const size_t group_size = kept / levels;
  for (size_t group = 0; group < levels; ++group) {
    const size_t begin = group * group_size;
    const size_t end = group + 1 == levels ? kept : begin + group_size;
    double mass = 0.0;
    size_t nonzero = 0;
    for (size_t j = begin; j < end; ++j) {
      mass += static_cast<double>(bins[j]);
      nonzero += bins[j] != 0 ? 1 : 0;
    }
    if (nonzero == 0) continue;
    const double share = mass / static_cast<double>(nonzero);
    for (size_t j = begin; j < end; ++j) q[j] = bins[j] != 0 ? share : 0.0;
  }
  double p_total = 0.0;
  double q_total = 0.0;
  for (size_t j = 0; j < kept; ++j) {
    if (q[j] == 0.0) q[j] = 1e-4;
    p_total += p[j];
    q_total += q[j];
  }
  double divergence = 0.0;
  for (size_t j = 0; j < kept; ++j) {
    if (p[j] == 0.0) continue;
    const double p_j = p[j] / p_total;
    divergence += p_j * std::log(p_j / (q[j] / q_total));
  }
  return divergence;
}

CalibrationRange PreviousCalibrateEntropy(const TensorStatistics& statistics, int num_levels,
                                          bool symmetric) {
  const double max_magnitude = statistics.max_magnitude();
  const std::vector<uint64_t> bins = MagnitudeBins(statistics);
  const bool two_sided = statistics.min() < 0.0f && statistics.max() > 0.0f;
  const auto levels = static_cast<size_t>(symmetric || two_sided ? num_levels / 2 : num_levels);
  if (bins.size() <= levels) return RangeFromThreshold(statistics, max_magnitude);
  uint64_t tail = 0;
  size_t best_kept = bins.size();
  double best_divergence = std::numeric_limits<double>::infinity();
  std::vector<double> p;
  std::vector<double> q;
  for (size_t kept = bins.size(); kept >= levels; --kept) {
    if (kept < bins.size()) tail += bins[kept];
    const double divergence = PreviousDivergence(bins, kept, tail, levels, p, q);
    if (divergence <= best_divergence) {
      best_divergence = divergence;
      best_kept = kept;
    }
  }
  const double threshold =
      std::min(static_cast<double>(best_kept) * statistics.histogram().bin_width(), max_magnitude);
  return RangeFromThreshold(statistics, threshold);
}

// ---- comparisons -----------------------------------------------------------------------------

uint32_t Bits(float v) {
  uint32_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

void ExpectSameRanges(const TensorStatistics& statistics, const std::string& what) {
  for (const int num_levels : {256, 64, 16}) {
    for (const bool symmetric : {false, true}) {
      const CalibrationRange fast = CalibrateEntropy(statistics, num_levels, symmetric);
      const CalibrationRange previous =
          PreviousCalibrateEntropy(statistics, num_levels, symmetric);
      EXPECT_EQ(Bits(fast.min), Bits(previous.min))
          << what << " levels " << num_levels << " symmetric " << symmetric;
      EXPECT_EQ(Bits(fast.max), Bits(previous.max))
          << what << " levels " << num_levels << " symmetric " << symmetric;
    }
  }
}

// Values whose histograms stress the grouped score: smooth, heavy-tailed, one-sided, sparse
// (few samples, so many empty bins), discrete (long runs of empty bins), and bimodal.
std::vector<float> RandomValues(std::mt19937_64& engine, int shape, size_t n) {
  std::vector<float> values;
  const uint64_t seed = engine();
  switch (shape) {
    case 0: return testing::GaussianSamples(n, seed, 0.0, 0.5 + 3.0 * testing::Uniform01(engine));
    case 1: return testing::LaplacianSamples(n, seed, 0.1 + testing::Uniform01(engine));
    case 2: {
      values = testing::LaplacianSamples(n, seed);
      for (float& v : values) v = std::max(v, 0.0f);
      return values;
    }
    case 3: {
      values = testing::GaussianSamples(n, seed);
      for (float& v : values) v = std::round(v * 4.0f) / 4.0f;
      return values;
    }
    default: {
      values = testing::GaussianSamples(n, seed, 0.0, 0.3);
      const auto far = testing::GaussianSamples(n / 5, seed + 1, 6.0, 0.5);
      values.insert(values.end(), far.begin(), far.end());
      return values;
    }
  }
}

TEST(EntropyCalibratorSpeed, SameRangesAsThePreviousImplementationOnRandomHistograms) {
  std::mt19937_64 engine(20261123);
  for (int trial = 0; trial < 40; ++trial) {
    const int shape = trial % 5;
    const size_t n = trial % 3 == 0 ? 300 : 20000;
    const int histogram_bins = trial % 4 == 0 ? 1024 : 8192;
    TensorStatistics statistics(histogram_bins);
    statistics.Add(RandomValues(engine, shape, n));
    ExpectSameRanges(statistics, "trial " + std::to_string(trial));
  }
}

TEST(EntropyCalibratorSpeed, SameRangesAsThePreviousImplementationOnKwsActivations) {
  const model::Graph graph = PrepareFloatGraph(model::LoadTfliteFile(
      std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/kws_ref_model_float32.tflite"));
  const runtime::CompiledModel compiled(graph);
  // MFCC-like seeded inputs: the statistics are those of the real model's activations.
  const CalibrationResult calibration =
      RunCalibration(compiled, 8, [](size_t i, std::span<std::byte> input) {
        const std::vector<float> values =
            testing::SeededValues(input.size() / sizeof(float), 11 + i, -30.0f, 30.0f);
        std::memcpy(input.data(), values.data(), input.size());
      });
  size_t compared = 0;
  for (size_t t = 0; t < calibration.statistics.size(); ++t) {
    if (!calibration.statistics[t] || calibration.statistics[t]->empty()) continue;
    ExpectSameRanges(*calibration.statistics[t], "tensor " + std::to_string(t));
    ++compared;
  }
  EXPECT_GT(compared, 10u);
}

}  // namespace
}  // namespace harness::quant
