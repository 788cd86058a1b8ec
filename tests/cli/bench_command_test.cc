// `harness bench` end to end on a tiny suite (digits, fp32 and int8): bench.json is Google
// Benchmark JSON with every repetition and the harness context; a run compared with its own
// output as baseline exits 0 (three repetitions cannot reach p < 0.05, so this cannot flake);
// a malformed baseline exits 2 naming the file and the field. Google Benchmark's flags pass
// through (an unknown one exits 2, --benchmark_filter selects by name), and without a suite the
// real binary runs the kernel microbenchmarks linked into it. No timing value is asserted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using test::CliOutcome;
using test::FreshTempDir;
using test::RunCli;

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kDigits = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "digits";

void WriteText(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

// The real binary, whose kernel benchmarks register at static initialization (the test binary
// links none); stdout and stderr together.
CliOutcome RunBinary(const std::vector<std::string>& args, const fs::path& capture) {
  std::string command = HARNESS_BINARY;
  for (const std::string& arg : args) command += " '" + arg + "'";
  command += " > '" + capture.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, test::ReadText(capture), ""};
}

// run_name of every iteration run of a bench.json.
std::set<std::string> IterationNames(const fs::path& bench_json) {
  std::ifstream in(bench_json);
  const nlohmann::json json = nlohmann::json::parse(in);
  std::set<std::string> names;
  for (const nlohmann::json& run : json.at("benchmarks")) {
    if (run.at("run_type") == "iteration") names.insert(run.at("run_name").get<std::string>());
  }
  return names;
}

class BenchCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(FreshTempDir("harness_bench_cli"));
    WriteText(*dir_ / "tiny.yaml",
              "suite: tiny\ntarget: esp32-s3\nmodels:\n  - name: digits\n    path: " +
                  (kDigits / "digits.tflite").string() + "\n    task: classification\n" +
                  "    calibration: {data: " + (kDigits / "calib.h5").string() + ", samples: 20}\n" +
                  "    validation: {data: " + (kDigits / "val.h5").string() + ", samples: 20}\n" +
                  "methods:\n  - fp32\n  - {method: int8, calibrator: minmax}\n");
    first_ = new CliOutcome(RunCli({"bench", (*dir_ / "tiny.yaml").string(), "--out", (*dir_ / "run").string(),
                                    "--repetitions", "3", "--min-time", "0.01", "--baseline",
                                    (*dir_ / "baseline.json").string(), "--update-baseline"}));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete first_;
  }
  static fs::path* dir_;
  static CliOutcome* first_;
};
fs::path* BenchCommand::dir_ = nullptr;
CliOutcome* BenchCommand::first_ = nullptr;

TEST_F(BenchCommand, WritesGoogleBenchmarkJson) {
  ASSERT_EQ(first_->code, 0) << first_->err << first_->out;
  std::ifstream in(*dir_ / "run" / "bench.json");
  const nlohmann::json json = nlohmann::json::parse(in);
  const nlohmann::json& context = json.at("context");
  EXPECT_EQ(context.at("harness_suite"), "tiny");
  EXPECT_TRUE(context.contains("harness_kernels"));
  EXPECT_TRUE(context.contains("host_name"));
  EXPECT_TRUE(context.contains("num_cpus"));

  std::set<std::string> names;
  size_t iterations = 0;
  bool model_has_macs = false;
  for (const nlohmann::json& run : json.at("benchmarks")) {
    for (const char* field : {"name", "run_name", "run_type", "repetitions", "real_time", "cpu_time", "time_unit"})
      EXPECT_TRUE(run.contains(field)) << field << " in " << run.dump();
    EXPECT_EQ(run.at("repetitions"), 3);
    if (run.at("run_type") == "iteration") {
      ++iterations;
      EXPECT_TRUE(run.contains("repetition_index"));
      names.insert(run.at("run_name").get<std::string>());
      if (run.at("run_name") == "digits/int8/minmax/model") model_has_macs = run.contains("MACs");
    } else {
      EXPECT_EQ(run.at("run_type"), "aggregate");
    }
  }
  EXPECT_EQ(iterations, 3 * names.size());
  EXPECT_TRUE(names.count("digits/fp32/model"));
  EXPECT_TRUE(names.count("digits/int8/minmax/model"));
  EXPECT_TRUE(model_has_macs);
  size_t int8_ops = 0;
  for (const std::string& n : names) int8_ops += n.rfind("digits/int8/minmax/op", 0) == 0;
  EXPECT_GE(int8_ops, 3u);
  // The digits model starts with a convolution; names carry no Google Benchmark suffix.
  EXPECT_TRUE(names.count("digits/int8/minmax/op00_CONV_2D"));
  EXPECT_TRUE(names.count("digits/fp32/op00_CONV_2D"));
  EXPECT_TRUE(fs::exists(*dir_ / "baseline.json"));
}

TEST_F(BenchCommand, ComparedWithItselfExitsZero) {
  ASSERT_EQ(first_->code, 0) << first_->err;
  const CliOutcome again = RunCli({"bench", (*dir_ / "tiny.yaml").string(), "--out", (*dir_ / "again").string(),
                                "--repetitions", "3", "--min-time", "0.01", "--only", "digits/int8/*",
                                "--baseline", (*dir_ / "baseline.json").string()});
  EXPECT_EQ(again.code, 0) << again.err << again.out;
  EXPECT_THAT(again.out, HasSubstr("digits/int8/minmax/model"));
  // fp32 was not run this time: its benchmarks are listed as missing, not failed.
  EXPECT_THAT(again.out, HasSubstr("missing"));
  EXPECT_THAT(again.out, HasSubstr("0 slower"));
}

TEST_F(BenchCommand, MalformedBaselineExitsTwoNamingFileAndField) {
  const fs::path bad = *dir_ / "bad.json";
  WriteText(bad, R"({"context": {}, "benchmarks": [{"name": "x", "run_type": "iteration", "real_time": 1,
                     "cpu_time": 1, "time_unit": "weeks"}]})");
  const CliOutcome outcome = RunCli({"bench", (*dir_ / "tiny.yaml").string(), "--out", (*dir_ / "bad").string(),
                                  "--repetitions", "3", "--min-time", "0.01", "--baseline", bad.string()});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_THAT(outcome.err, HasSubstr(bad.string()));
  EXPECT_THAT(outcome.err, HasSubstr("benchmarks[0].time_unit"));
}

TEST_F(BenchCommand, BadOptionsExitTwo) {
  const std::string suite = (*dir_ / "tiny.yaml").string();
  EXPECT_EQ(RunCli({"bench", suite, "--min-time", "zero"}).code, 2);
  EXPECT_EQ(RunCli({"bench", suite, "--kernels", "quantum"}).code, 2);
  EXPECT_EQ(RunCli({"bench", suite, "--update-baseline"}).code, 2);
  EXPECT_EQ(RunCli({"bench", suite, "--only", "nothing/*"}).code, 2);
}

TEST_F(BenchCommand, GoogleBenchmarkFlagsAreValidated) {
  const std::string suite = (*dir_ / "tiny.yaml").string();
  const CliOutcome unknown = RunCli({"bench", suite, "--benchmark_bogus=1"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("--benchmark_bogus=1"));
  // Parsed by Google Benchmark and found malformed: left over, so unrecognized.
  EXPECT_EQ(RunCli({"bench", suite, "--benchmark_min_warmup_time=soon"}).code, 2);
  // Values Google Benchmark would answer with exit() are refused first.
  EXPECT_EQ(RunCli({"bench", suite, "--benchmark_format=xml"}).code, 2);
  EXPECT_EQ(RunCli({"bench", suite, "--benchmark_time_unit=weeks"}).code, 2);
  EXPECT_EQ(RunCli({"bench", suite, "--benchmark_repetitions=0"}).code, 2);
  // One setting, two spellings: refused, not one silently winning.
  const CliOutcome both = RunCli({"bench", suite, "--repetitions", "3", "--benchmark_repetitions=3"});
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("same setting"));
  EXPECT_EQ(RunCli({"bench", suite, "--min-time", "0.1", "--benchmark_min_time=0.1"}).code, 2);
  // Suite-only options make no sense for the kernel benchmarks.
  EXPECT_EQ(RunCli({"bench", "--only", "digits/*"}).code, 2);
  EXPECT_EQ(RunCli({"bench", "--kernels", "reference"}).code, 2);
}

TEST_F(BenchCommand, BenchmarkFilterSelectsBenchmarksOfTheSuite) {
  const fs::path out = *dir_ / "filtered";
  const fs::path copy = *dir_ / "copy.json";
  const CliOutcome outcome =
      RunCli({"bench", (*dir_ / "tiny.yaml").string(), "--out", out.string(), "--only", "digits/int8/*",
              "--benchmark_filter=/(model|op00_CONV_2D)$", "--benchmark_repetitions=2",
              "--benchmark_min_time=0.01", "--benchmark_out=" + copy.string()});
  ASSERT_EQ(outcome.code, 0) << outcome.err << outcome.out;
  EXPECT_EQ(IterationNames(out / "bench.json"),
            (std::set<std::string>{"digits/int8/minmax/model", "digits/int8/minmax/op00_CONV_2D"}));
  // --benchmark_out in JSON is bench.json itself.
  EXPECT_EQ(test::ReadText(copy), test::ReadText(out / "bench.json"));

  const CliOutcome none = RunCli({"bench", (*dir_ / "tiny.yaml").string(), "--out", out.string(),
                               "--only", "digits/int8/*", "--benchmark_filter=no_such_benchmark"});
  EXPECT_EQ(none.code, 2);
  EXPECT_THAT(none.err, HasSubstr("no_such_benchmark"));
}

TEST_F(BenchCommand, WithoutSuiteTheTestBinaryHasNoKernelBenchmarks) {
  const CliOutcome outcome = RunCli({"bench", "--benchmark_filter=FullyConnected"});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_THAT(outcome.err, HasSubstr("kernel benchmarks"));
}

TEST_F(BenchCommand, WithoutSuiteRunsTheKernelBenchmarks) {
  ASSERT_TRUE(fs::exists(HARNESS_BINARY)) << "build the harness target first: " << HARNESS_BINARY;
  const fs::path capture = *dir_ / "kernels.txt";
  // One small kernel at one layer shape, every variant.
  const std::vector<std::string> common = {"bench", "--benchmark_filter=^FullyConnected_int8/kws/fc_64to12/",
                                           "--repetitions", "3", "--benchmark_min_time=0.01",
                                           "--baseline", (*dir_ / "kernels_baseline.json").string()};
  std::vector<std::string> first = common;
  first.insert(first.end(), {"--out", (*dir_ / "kernels").string(), "--update-baseline"});
  const CliOutcome made = RunBinary(first, capture);
  if (made.code == 2 && made.out.find("HARNESS_BUILD_BENCHMARKS=OFF") != std::string::npos) {
    GTEST_SKIP() << "built without the kernel benchmarks";
  }
  ASSERT_EQ(made.code, 0) << made.out;
  const std::set<std::string> names = IterationNames(*dir_ / "kernels" / "bench.json");
  EXPECT_TRUE(names.count("FullyConnected_int8/kws/fc_64to12/reference")) << made.out;
  EXPECT_TRUE(names.count("FullyConnected_int8/kws/fc_64to12/portable")) << made.out;
  for (const std::string& name : names) EXPECT_EQ(name.rfind("FullyConnected_int8/kws/fc_64to12/", 0), 0u) << name;

  std::vector<std::string> again = common;
  again.insert(again.end(), {"--out", (*dir_ / "kernels_again").string()});
  const CliOutcome compared = RunBinary(again, capture);
  EXPECT_EQ(compared.code, 0) << compared.out;
  EXPECT_THAT(compared.out, HasSubstr("0 slower"));
}

}  // namespace
}  // namespace harness
