#pragma once
// Reading Google Benchmark's JSON output (what `--benchmark_out_format=json` and `harness bench`
// write) back into the repetition times of each benchmark, for the baseline comparison.
//
// The format: {"context": {...}, "benchmarks": [run, ...]} where each run has `name`,
// `run_name` (the name without an aggregate suffix), `run_type` ("iteration" for one
// repetition, "aggregate" for mean / median / stddev / cv over them), `repetitions`,
// `repetition_index`, `real_time`, `cpu_time`, `time_unit` ("ns", "us", "ms", "s") and user
// counters. Only iteration runs are read: the statistics are recomputed from the repetitions.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace harness::bench {

struct BenchmarkSamples {
  std::string name;             // run_name
  std::vector<double> cpu_ns;   // one per repetition, in file order
  std::vector<double> real_ns;
};

struct BenchmarkFile {
  std::string source;                          // the path, for messages
  std::map<std::string, std::string> context;  // the context's string-valued fields
  std::vector<BenchmarkSamples> benchmarks;    // in order of first appearance
};

// Throws harness::Error(source, "<field>: <problem>") naming the JSON field at fault
// ("benchmarks[4].time_unit: unknown unit 'fortnights'") when the text is not Google
// Benchmark JSON, when a run reports an error, or when it holds no iteration run at all.
BenchmarkFile ParseBenchmarkJson(std::string_view text, const std::string& source);
BenchmarkFile ReadBenchmarkJson(const std::string& path);

}  // namespace harness::bench
