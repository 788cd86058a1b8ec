#pragma once
// A benchmark run compared with a stored baseline run, benchmark by benchmark, so that a
// nightly job flags real slowdowns and not the noise of a shared machine.
//
// The rule, for each benchmark in both runs (CPU time per iteration of every repetition):
//   - the relative change of the medians, (current - baseline) / baseline;
//   - a two-sided Mann-Whitney U test on the repetition times (mann_whitney.h);
//   - `slower` when p < alpha AND the median grew by more than `threshold`; `faster` when
//     p < alpha AND the median shrank by more than `threshold`; otherwise `same`.
// Both conditions are needed: the test alone flags changes too small to matter once there
// are many repetitions, the threshold alone flags one unlucky run. CPU time rather than wall
// time: inference runs on one thread, and CPU time leaves out the time the thread waited for a
// core that other jobs held. As Google Benchmark's compare.py: alpha 0.05, at least 2
// repetitions per side for a test, 9 or more recommended (fewer draws a warning: with 3
// against 3 repetitions the smallest possible two-sided p is 0.1, so nothing can be flagged).
// Benchmarks only in the current run are `new`, only in the baseline `missing`; neither is a
// slowdown (an op benchmark disappears when a graph changes; its model benchmark still counts).

#include <cstddef>
#include <string>
#include <vector>

#include "harness/bench/benchmark_json.h"

namespace harness::bench {

enum class Change { kSame, kSlower, kFaster, kNew, kMissing };
const char* ToString(Change change);

struct CompareOptions {
  double alpha = 0.05;
  double threshold = 0.05;  // relative change of the median, 0.05 = 5 %
};

inline constexpr size_t kMinRepetitions = 2;
inline constexpr size_t kRecommendedRepetitions = 9;

struct BenchmarkChange {
  std::string name;
  Change change = Change::kSame;
  // Medians of the CPU time in nanoseconds; 0 on the side that lacks the benchmark.
  double baseline_median_ns = 0.0;
  double current_median_ns = 0.0;
  double relative_change = 0.0;  // (current - baseline) / baseline
  double p_value = 1.0;
  size_t baseline_repetitions = 0;
  size_t current_repetitions = 0;
};

struct BenchComparison {
  std::vector<BenchmarkChange> rows;  // current run's order, then the missing ones
  std::vector<std::string> warnings;  // few repetitions, another host

  size_t Count(Change change) const;
  bool HasSlowdown() const { return Count(Change::kSlower) > 0; }
};

// Throws harness::Error naming the file and the field when the runs cannot be compared: a
// compared benchmark with fewer than kMinRepetitions repetitions on either side, or context
// field `harness_kernels` (the kernel variant) differing between the runs.
BenchComparison CompareRuns(const BenchmarkFile& current, const BenchmarkFile& baseline,
                            const CompareOptions& options);

// Median of `values`, the mean of the two middle ones for an even count; 0 when empty.
double MedianOf(std::vector<double> values);

// A plain-text table: name, baseline median, current median, change in %, p, verdict; then the
// warnings and a summary line.
std::string FormatComparison(const BenchComparison& comparison);

}  // namespace harness::bench
