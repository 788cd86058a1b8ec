// `harness bench` end to end on a tiny suite (digits, fp32 and int8): bench.json is Google
// Benchmark JSON with every repetition and the harness context; a run compared with its own
// output as baseline exits 0 (three repetitions cannot reach p < 0.05, so this cannot flake);
// a malformed baseline exits 2 naming the file and the field. No timing value is asserted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kDigits = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "digits";

struct Outcome {
  int code;
  std::string out, err;
};

Outcome RunCli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = cli::Main(args, out, err);
  return {code, out.str(), err.str()};
}

void WriteText(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

class BenchCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / "harness_bench_cli");
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    WriteText(*dir_ / "tiny.yaml",
              "suite: tiny\ntarget: esp32-s3\nmodels:\n  - name: digits\n    path: " +
                  (kDigits / "digits.tflite").string() + "\n    task: classification\n" +
                  "    calibration: {data: " + (kDigits / "calib.h5").string() + ", samples: 20}\n" +
                  "    validation: {data: " + (kDigits / "val.h5").string() + ", samples: 20}\n" +
                  "methods:\n  - fp32\n  - {method: int8, calibrator: minmax}\n");
    first_ = new Outcome(RunCli({"bench", (*dir_ / "tiny.yaml").string(), "--out", (*dir_ / "run").string(),
                                 "--repetitions", "3", "--min-time", "0.01", "--baseline",
                                 (*dir_ / "baseline.json").string(), "--update-baseline"}));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete first_;
  }
  static fs::path* dir_;
  static Outcome* first_;
};
fs::path* BenchCommand::dir_ = nullptr;
Outcome* BenchCommand::first_ = nullptr;

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
  const Outcome again = RunCli({"bench", (*dir_ / "tiny.yaml").string(), "--out", (*dir_ / "again").string(),
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
  const Outcome outcome = RunCli({"bench", (*dir_ / "tiny.yaml").string(), "--out", (*dir_ / "bad").string(),
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

}  // namespace
}  // namespace harness
