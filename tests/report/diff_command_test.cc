// `harness diff REPORT BASELINE` through the real binary: exit 0 without regression, 1 with
// one (and the Markdown names it), 2 on bad input naming the file.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness/report/atomic_file.h"
#include "harness/report/baseline.h"
#include "harness/report/json_report.h"
#include "tests/report/sample_reports.h"

namespace harness::report {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string output;  // stdout and stderr together
};

Outcome RunDiff(const fs::path& report, const fs::path& baseline) {
  const fs::path capture = fs::temp_directory_path() / "harness_diff_test_output.txt";
  const std::string command = std::string(HARNESS_BINARY) + " diff '" + report.string() + "' '" +
                              baseline.string() + "' > '" + capture.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  Outcome outcome;
  outcome.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.output = ReadWholeFile(capture.string());
  fs::remove(capture);
  return outcome;
}

class DiffCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(HARNESS_BINARY)) << "build the harness target first: " << HARNESS_BINARY;
    dir_ = fs::temp_directory_path() / "harness_diff_command_test";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    report_ = dir_ / "report.json";
    baseline_ = dir_ / "baseline.json";
    runner::RunReport report = testing::SampleReport();
    WriteJsonReport(report, report_.string());
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_, report_, baseline_;
};

TEST_F(DiffCommand, SameRunExitsZero) {
  WriteBaseline(testing::SampleReport(), baseline_.string());
  const Outcome o = RunDiff(report_, baseline_);
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find("0 regressed"), std::string::npos) << o.output;
}

TEST_F(DiffCommand, TwoPointsHigherBaselineExitsOneAndNamesResultAndMetric) {
  runner::RunReport baseline = testing::SampleReport();
  baseline.results[1].metrics.accuracy = 0.92;  // the report's tolerance for accuracy: 0.5
  WriteBaseline(baseline, baseline_.string());
  const Outcome o = RunDiff(report_, baseline_);
  EXPECT_EQ(o.code, 1) << o.output;
  EXPECT_NE(o.output.find("`digits/int8/minmax`: accuracy -2.00 points"), std::string::npos)
      << o.output;
}

TEST_F(DiffCommand, BadJsonExitsTwoNamingFileAndPosition) {
  std::ofstream(baseline_) << "{\n  \"schema\": \"harness-report/1\",\n  oops\n}\n";
  const Outcome o = RunDiff(report_, baseline_);
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_NE(o.output.find("harness: error: " + baseline_.string() + ":3:3"), std::string::npos)
      << o.output;
}

TEST_F(DiffCommand, OtherSuiteExitsTwo) {
  runner::RunReport baseline = testing::SampleReport();
  baseline.suite_name = "calibrators";
  WriteBaseline(baseline, baseline_.string());
  const Outcome o = RunDiff(report_, baseline_);
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_NE(o.output.find("calibrators"), std::string::npos) << o.output;
}

TEST_F(DiffCommand, MissingFileAndWrongUsageExitTwo) {
  EXPECT_EQ(RunDiff(report_, dir_ / "absent.json").code, 2);
  const std::string command = std::string(HARNESS_BINARY) + " diff only-one.json > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 2);
}

}  // namespace
}  // namespace harness::report
