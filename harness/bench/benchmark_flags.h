#pragma once
// Google Benchmark's own flags on `harness bench`'s command line: every `--benchmark_*`
// argument is taken out of the harness's arguments. Most go to benchmark::Initialize unchanged
// (and are validated by it); a few are settings the harness already has or output the harness
// writes itself, and are read here instead:
//   --benchmark_repetitions=N, --benchmark_min_time=S  the same settings as --repetitions N and
//       --min-time S (giving both spellings of one setting is an error: no silent winner);
//   --benchmark_format=console|json|csv                 what the terminal shows;
//   --benchmark_out=FILE, --benchmark_out_format=F      a copy of the results in format F.
// The harness always writes bench.json itself, in Google Benchmark's JSON format.

#include <optional>
#include <string>
#include <vector>

namespace harness::bench {

struct BenchmarkFlags {
  std::vector<std::string> harness_args;  // every argument that is not a --benchmark_* flag
  std::vector<std::string> passed;        // for benchmark::Initialize, in command-line order
  std::optional<int> repetitions;         // --benchmark_repetitions
  std::optional<double> min_time_s;       // --benchmark_min_time
  std::string display_format = "console";
  std::string out_file;  // empty: none
  std::string out_format = "json";
  std::string filter;  // the last --benchmark_filter (empty: every benchmark)
};

// Throws Error("command line", ...) on a --benchmark_* flag that Google Benchmark does not know
// or whose value it cannot parse (as benchmark::ReportUnrecognizedArguments would report it, but
// as an error instead of a print), and on a bad format, time unit or repetition value, which
// benchmark::Initialize would answer with exit().
BenchmarkFlags SplitBenchmarkFlags(const std::vector<std::string>& args);

// Applies the harness's settings and then `passed` to Google Benchmark's global flags. Every
// flag the harness depends on is reset first, so that one run's flags do not leak into the next
// run of the same process. Throws as SplitBenchmarkFlags on a flag Initialize leaves unparsed.
void InitializeBenchmarkFlags(int repetitions, double min_time_s,
                              const std::vector<std::string>& passed);

}  // namespace harness::bench
