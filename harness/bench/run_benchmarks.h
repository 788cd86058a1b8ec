#pragma once
// Times benchmarks with Google Benchmark and returns its JSON report, unchanged but for extra
// context fields. Two sources:
// - RunBenchmarks: a suite's prepared models (bench_plan.h). Names: "<result id>/model" for one
//   whole inference, "<result id>/<op name>" for one op alone ("digits/int8/minmax/op07_CONV_2D").
// - RunKernelBenchmarks: the kernel microbenchmarks of kernels/bench/, registered statically
//   when the harness_kernel_benchmarks library is linked (the `harness` binary when
//   HARNESS_BUILD_BENCHMARKS is on): "<Op>_<type>/<layer>/<variant>" and the peak-rate probes.
// Each benchmark runs `repetitions` times for at least `min_time_s` seconds per repetition; every
// repetition is an "iteration" run in the JSON, followed by the mean / median / stddev / cv
// aggregates. Counter `MACs`: multiply-accumulates per second (benchmarks without MACs have none).

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "harness/bench/bench_plan.h"

namespace harness::bench {

struct BenchRunOptions {
  int repetitions = 10;
  double min_time_s = 0.5;
  // Google Benchmark flags for benchmark::Initialize, after the two above (benchmark_flags.h);
  // --benchmark_filter selects by name within what is registered.
  std::vector<std::string> benchmark_flags;
  std::string display_format = "console";  // console (medians only when repeated), json, csv
  std::string out_file;                     // a copy in out_format; empty: none
  std::string out_format = "json";
  // Added to the JSON context (string values), e.g. harness_suite, harness_kernels.
  std::map<std::string, std::string> context;
};

struct BenchRunResult {
  // Google Benchmark JSON with the context added; empty when --benchmark_list_tests only
  // listed the names (to the console).
  std::string json;
  size_t benchmark_count = 0;  // benchmarks the filter selected
};

// Prints Google Benchmark's console table (or the display_format's output) to `console`.
// Throws Error("command line", ...) when the filter selects nothing, or naming out_file when it
// cannot be written. Not reentrant: Google Benchmark's registry is global; this clears it
// (the kernel benchmarks too, so RunKernelBenchmarks cannot follow in the same process).
BenchRunResult RunBenchmarks(const std::vector<ModelBenchmark>& benchmarks,
                             const BenchRunOptions& options, std::ostream& console);

// Throws Error when no kernel benchmark is linked in (built with HARNESS_BUILD_BENCHMARKS=OFF,
// or a test binary) or a suite run already cleared them, and as RunBenchmarks otherwise.
BenchRunResult RunKernelBenchmarks(const BenchRunOptions& options, std::ostream& console);

}  // namespace harness::bench
