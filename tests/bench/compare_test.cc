// Reading Google Benchmark JSON and comparing two runs on synthetic files: slower, faster,
// same (small change, or large but not significant), new, missing, time units, and the errors
// that name the file and the field.
#include "harness/bench/compare.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "harness/bench/benchmark_json.h"
#include "harness/common/error.h"

namespace harness::bench {
namespace {

using ::testing::HasSubstr;

struct Synthetic {
  std::string name;
  std::vector<double> cpu_times;
  std::string unit = "us";
};

// Google Benchmark's layout: each repetition an iteration run, then a median aggregate (whose
// value is deliberately wrong, to show that aggregates are not read).
std::string MakeJson(const std::vector<Synthetic>& benchmarks, const std::string& kernels = "portable") {
  std::string runs;
  for (const Synthetic& b : benchmarks) {
    const std::string reps = std::to_string(b.cpu_times.size());
    for (size_t i = 0; i < b.cpu_times.size(); ++i) {
      const std::string t = std::to_string(b.cpu_times[i]);
      runs += std::string(runs.empty() ? "" : ",") + R"({"name": ")" + b.name + R"(", "run_name": ")" +
              b.name + R"(", "run_type": "iteration", "repetitions": )" + reps +
              R"(, "repetition_index": )" + std::to_string(i) + R"(, "threads": 1, "iterations": 100,
               "real_time": )" + t + R"(, "cpu_time": )" + t + R"(, "time_unit": ")" + b.unit + "\"}";
    }
    runs += R"(, {"name": ")" + b.name + R"(_median", "run_name": ")" + b.name +
            R"(", "run_type": "aggregate", "aggregate_name": "median", "repetitions": )" + reps +
            R"(, "threads": 1, "iterations": )" + reps +
            R"(, "real_time": 1e9, "cpu_time": 1e9, "time_unit": "ns"})";
  }
  return R"({"context": {"host_name": "ci", "harness_kernels": ")" + kernels +
         R"("}, "benchmarks": [)" + runs + "]}";
}

std::vector<double> Series(double start, double step, size_t n) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = start + step * static_cast<double>(i);
  return v;
}

const BenchmarkChange& Row(const BenchComparison& c, const std::string& name) {
  for (const BenchmarkChange& r : c.rows)
    if (r.name == name) return r;
  throw std::runtime_error("no row " + name);
}

TEST(BenchmarkJson, ReadsIterationsAndSkipsAggregates) {
  const BenchmarkFile file = ParseBenchmarkJson(MakeJson({{"a/model", {1.0, 2.0, 3.0}}}), "run.json");
  ASSERT_EQ(file.benchmarks.size(), 1u);
  EXPECT_EQ(file.benchmarks[0].name, "a/model");
  EXPECT_EQ(file.benchmarks[0].cpu_ns, (std::vector<double>{1000.0, 2000.0, 3000.0}));
  EXPECT_EQ(file.context.at("harness_kernels"), "portable");
}

TEST(BenchmarkJson, ErrorsNameTheFileAndTheField) {
  try {
    ParseBenchmarkJson(MakeJson({{"a", {1.0, 2.0}, "fortnights"}}), "base.json");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), "base.json");
    EXPECT_THAT(e.message(), HasSubstr("benchmarks[0].time_unit"));
  }
  try {
    ParseBenchmarkJson(R"({"context": {}})", "base.json");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("benchmarks"));
  }
  try {
    ParseBenchmarkJson(R"({"benchmarks": [{"name": "a", "run_type": "iteration", "time_unit": "ns", "real_time": 1}]})",
                       "base.json");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("benchmarks[0].cpu_time"));
  }
  EXPECT_THROW(ParseBenchmarkJson("{not json", "base.json"), Error);
}

TEST(CompareRuns, ClearSlowdownFasterAndSame) {
  // Ten repetitions each. slow: +20 %, every new time above every old one (p = 2 / C(20, 10)).
  // fast: -20 %. steady: the same values interleaved (p well above 0.05).
  const BenchmarkFile baseline = ParseBenchmarkJson(
      MakeJson({{"slow", Series(100, 1, 10)}, {"fast", Series(100, 1, 10)}, {"steady", Series(100, 2, 10)}}),
      "base.json");
  const BenchmarkFile current = ParseBenchmarkJson(
      MakeJson({{"slow", Series(120, 1, 10)}, {"fast", Series(80, 1, 10)}, {"steady", Series(101, 2, 10)}}),
      "new.json");
  const BenchComparison c = CompareRuns(current, baseline, {});
  EXPECT_EQ(Row(c, "slow").change, Change::kSlower);
  EXPECT_NEAR(Row(c, "slow").relative_change, 20.0 / 104.5, 1e-12);
  EXPECT_LT(Row(c, "slow").p_value, 1e-4);
  EXPECT_EQ(Row(c, "fast").change, Change::kFaster);
  EXPECT_EQ(Row(c, "steady").change, Change::kSame);
  EXPECT_GT(Row(c, "steady").p_value, 0.05);
  EXPECT_TRUE(c.HasSlowdown());
  EXPECT_TRUE(c.warnings.empty());
}

TEST(CompareRuns, SignificantButBelowThresholdIsSame) {
  // +3 % on every repetition: the test rejects, the threshold (5 %) does not.
  const BenchmarkFile baseline = ParseBenchmarkJson(MakeJson({{"a", Series(100, 0.1, 10)}}), "base.json");
  const BenchmarkFile current = ParseBenchmarkJson(MakeJson({{"a", Series(103, 0.1, 10)}}), "new.json");
  const BenchComparison c = CompareRuns(current, baseline, {});
  EXPECT_LT(Row(c, "a").p_value, 0.05);
  EXPECT_EQ(Row(c, "a").change, Change::kSame);
  // With a 2 % threshold the same data is a slowdown.
  EXPECT_EQ(Row(CompareRuns(current, baseline, {0.05, 0.02}), "a").change, Change::kSlower);
}

TEST(CompareRuns, LargeButNotSignificantIsSame) {
  // +50 % in the median from three repetitions each: the smallest possible p is 0.1.
  const BenchmarkFile baseline = ParseBenchmarkJson(MakeJson({{"a", {100, 101, 102}}}), "base.json");
  const BenchmarkFile current = ParseBenchmarkJson(MakeJson({{"a", {150, 151, 152}}}), "new.json");
  const BenchComparison c = CompareRuns(current, baseline, {});
  EXPECT_NEAR(Row(c, "a").p_value, 0.1, 1e-12);
  EXPECT_EQ(Row(c, "a").change, Change::kSame);
  EXPECT_FALSE(c.HasSlowdown());
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_THAT(c.warnings[0], HasSubstr("9+ recommended"));
}

TEST(CompareRuns, NewAndMissingBenchmarksAreListedNotFailed) {
  const BenchmarkFile baseline =
      ParseBenchmarkJson(MakeJson({{"kept", Series(100, 1, 9)}, {"gone", Series(5, 1, 9)}}), "base.json");
  const BenchmarkFile current =
      ParseBenchmarkJson(MakeJson({{"kept", Series(100, 1, 9)}, {"added", Series(7, 1, 9)}}), "new.json");
  const BenchComparison c = CompareRuns(current, baseline, {});
  ASSERT_EQ(c.rows.size(), 3u);
  EXPECT_EQ(Row(c, "kept").change, Change::kSame);
  EXPECT_DOUBLE_EQ(Row(c, "kept").p_value, 1.0);
  EXPECT_EQ(Row(c, "added").change, Change::kNew);
  EXPECT_EQ(Row(c, "gone").change, Change::kMissing);
  EXPECT_EQ(c.rows.back().name, "gone");
  EXPECT_FALSE(c.HasSlowdown());
  const std::string table = FormatComparison(c);
  EXPECT_THAT(table, HasSubstr("gone"));
  EXPECT_THAT(table, HasSubstr("0 slower, 0 faster, 1 same, 1 new, 1 missing"));
}

TEST(CompareRuns, TimeUnitsAreConverted) {
  std::vector<double> micro = Series(100, 1, 9), nano(micro.size());
  for (size_t i = 0; i < micro.size(); ++i) nano[i] = micro[i] * 1000.0;
  const BenchmarkFile baseline = ParseBenchmarkJson(MakeJson({{"a", micro, "us"}}), "base.json");
  const BenchmarkFile current = ParseBenchmarkJson(MakeJson({{"a", nano, "ns"}}), "new.json");
  const BenchComparison c = CompareRuns(current, baseline, {});
  EXPECT_DOUBLE_EQ(Row(c, "a").relative_change, 0.0);
  EXPECT_DOUBLE_EQ(Row(c, "a").baseline_median_ns, 104000.0);
}

TEST(CompareRuns, MismatchedBaselinesAreErrorsNamingTheField) {
  const BenchmarkFile current = ParseBenchmarkJson(MakeJson({{"a", Series(1, 1, 9)}}), "new.json");
  try {
    CompareRuns(current, ParseBenchmarkJson(MakeJson({{"a", Series(1, 1, 9)}}, "reference"), "base.json"), {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), "base.json");
    EXPECT_THAT(e.message(), HasSubstr("context.harness_kernels"));
  }
  try {
    CompareRuns(current, ParseBenchmarkJson(MakeJson({{"a", {5.0}}}), "base.json"), {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), "base.json");
    EXPECT_THAT(e.message(), HasSubstr("repetitions"));
  }
}

TEST(MedianOf, OddEvenEmpty) {
  EXPECT_DOUBLE_EQ(MedianOf({3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(MedianOf({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(MedianOf({}), 0.0);
}

}  // namespace
}  // namespace harness::bench
