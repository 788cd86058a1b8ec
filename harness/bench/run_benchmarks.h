#pragma once
// Times the prepared benchmarks with Google Benchmark and returns its JSON report, unchanged
// but for extra context fields. Benchmark names: "<result id>/model" for one whole inference,
// "<result id>/<op name>" for one op alone ("digits/int8/minmax/op07_CONV_2D"). Each runs
// `repetitions` times for at least `min_time_s` seconds per repetition; every repetition is an
// "iteration" run in the JSON, followed by the mean / median / stddev / cv aggregates. Counter
// `MACs`: multiply-accumulates per second (ops without MACs have none).

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "harness/bench/bench_plan.h"

namespace harness::bench {

struct BenchRunOptions {
  int repetitions = 10;
  double min_time_s = 0.5;
  // Added to the JSON context (string values), e.g. harness_suite, harness_kernels.
  std::map<std::string, std::string> context;
};

// Prints Google Benchmark's console table (medians only, when repeated) to `console`.
// Not reentrant: Google Benchmark's registry is global.
std::string RunBenchmarks(const std::vector<ModelBenchmark>& benchmarks,
                          const BenchRunOptions& options, std::ostream& console);

}  // namespace harness::bench
