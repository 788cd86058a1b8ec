// Google Benchmark's flags on the harness's command line: split from the harness's own
// arguments, the ones the harness handles read into fields, the rest validated by
// benchmark::Initialize. Nothing is run.
#include "harness/bench/benchmark_flags.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/common/error.h"

namespace harness::bench {
namespace {

TEST(BenchmarkFlags, SplitsGoogleBenchmarkFlagsFromTheHarnessArguments) {
  const BenchmarkFlags flags = SplitBenchmarkFlags(
      {"suite.yaml", "--benchmark_filter=conv", "--out", "dir", "--benchmark_repetitions=9",
       "--benchmark_min_time=0.05", "--benchmark_out=x.csv", "--benchmark_out_format=csv",
       "--benchmark_format=json", "--benchmark_counters_tabular", "--benchmark_time_unit=ms"});
  EXPECT_EQ(flags.harness_args, (std::vector<std::string>{"suite.yaml", "--out", "dir"}));
  EXPECT_EQ(flags.passed, (std::vector<std::string>{"--benchmark_filter=conv", "--benchmark_counters_tabular",
                                                    "--benchmark_time_unit=ms"}));
  EXPECT_EQ(flags.repetitions, 9);
  EXPECT_DOUBLE_EQ(*flags.min_time_s, 0.05);
  EXPECT_EQ(flags.out_file, "x.csv");
  EXPECT_EQ(flags.out_format, "csv");
  EXPECT_EQ(flags.display_format, "json");
  EXPECT_EQ(flags.filter, "conv");
}

TEST(BenchmarkFlags, RefusesWhatGoogleBenchmarkWouldNotTake) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--benchmark_bogus=1"},
           {"--benchmark_min_warmup_time=soon"},
           {"--benchmark_filter"},
           {"--benchmark_format=xml"},
           {"--benchmark_out_format=yaml"},
           {"--benchmark_time_unit=weeks"},
           {"--benchmark_repetitions=0"},
           {"--benchmark_repetitions=2x"},
           {"--benchmark_min_time=-1"},
           {"--benchmark_out="}}) {
    EXPECT_THROW(SplitBenchmarkFlags(args), Error) << args[0];
  }
}

TEST(BenchmarkFlags, UnknownFlagIsNamedInTheError) {
  try {
    SplitBenchmarkFlags({"--benchmark_nonsense=3"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--benchmark_nonsense=3"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace harness::bench
