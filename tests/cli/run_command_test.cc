// `harness run` end to end on the shipped suite: reports written, the stored baseline passes,
// a baseline that claims 2 points more accuracy fails with exit 1 and the Markdown names the
// result and the metric, and --jobs 1 and --jobs 2 give the same report apart from timing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/report/json_report.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using test::CliOutcome;
using test::FreshTempDir;
using test::ReadText;
using test::RunCli;

namespace fs = std::filesystem;

const fs::path kSource = HARNESS_SOURCE_DIR;
const fs::path kSuite = kSource / "suites" / "esp32.yaml";

// The report without its timing fields (latency and start time), as JSON text.
std::string WithoutTiming(const fs::path& report_json) {
  runner::RunReport report = report::ReadJsonReport(report_json.string());
  report.environment.start_time.clear();
  report.environment.threads = 0;
  for (auto& r : report.results) r.latency_us.reset();
  return report::ToJson(report);
}

class RunCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    out_ = new fs::path(FreshTempDir("harness_run_main"));
    first_ = new CliOutcome(RunCli({"run", kSuite.string(), "--out", out_->string(), "--jobs", "2",
                                 "--baseline", (*out_ / "none.json").string(), "--update-baseline"}));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*out_);
    delete out_;
    delete first_;
  }
  static fs::path* out_;
  static CliOutcome* first_;
};
fs::path* RunCommand::out_ = nullptr;
CliOutcome* RunCommand::first_ = nullptr;

TEST_F(RunCommand, WritesTheFourReportsAndTheBaseline) {
  ASSERT_EQ(first_->code, 0) << first_->err;
  for (const char* name : {"report.json", "report.md", "report.html", "junit.xml"})
    EXPECT_TRUE(fs::exists(*out_ / name)) << name;
  EXPECT_TRUE(fs::exists(*out_ / "none.json"));
  const std::string json = ReadText(*out_ / "report.json");
  EXPECT_NE(json.find("\"harness-report/1\""), std::string::npos);
  EXPECT_NE(json.find("digits/int8/entropy"), std::string::npos);
}

TEST_F(RunCommand, TheStoredBaselinePasses) {
  ASSERT_EQ(first_->code, 0) << first_->err;
  const fs::path again = FreshTempDir("harness_run_again");
  // Two threads, as the first run: the default (every hardware thread) makes the test's memory
  // depend on the machine, which under the sanitizers can exceed what a CI runner has.
  const CliOutcome o = RunCli({"run", kSuite.string(), "--out", again.string(), "--baseline",
                            (*out_ / "none.json").string(), "--no-latency", "--jobs", "2"});
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  fs::remove_all(again);
}

TEST_F(RunCommand, ABaselineTwoPointsBetterIsARegression) {
  ASSERT_EQ(first_->code, 0) << first_->err;
  runner::RunReport better = report::ReadJsonReport((*out_ / "none.json").string());
  runner::ResultRecord* target = nullptr;
  for (auto& r : better.results)
    if (r.id == "digits/int8/minmax") target = &r;
  ASSERT_NE(target, nullptr);
  // Two points better, sample by sample: 20 of the 1000 samples it got wrong become right, so
  // the gate's McNemar test sees 20 samples lost and none gained.
  int flipped = 0;
  for (auto& correct : target->per_sample_correct) {
    if (correct == 0 && flipped < 20) {
      correct = 1;
      ++flipped;
    }
  }
  ASSERT_EQ(flipped, 20);
  *target->metrics.accuracy += 0.02;
  const fs::path baseline = *out_ / "better.json";
  report::WriteJsonReport(better, baseline.string());

  const fs::path dir = FreshTempDir("harness_run_regressed");
  const CliOutcome o = RunCli({"run", kSuite.string(), "--out", dir.string(), "--baseline",
                            baseline.string(), "--no-latency", "--jobs", "2"});
  EXPECT_EQ(o.code, 1) << o.out << o.err;
  const std::string markdown = ReadText(dir / "report.md");
  const size_t at = markdown.find("digits/int8/minmax");
  ASSERT_NE(at, std::string::npos) << markdown;
  EXPECT_NE(markdown.find("accuracy"), std::string::npos);
  EXPECT_NE(markdown.find("regressed"), std::string::npos) << markdown;
  EXPECT_NE(ReadText(dir / "junit.xml").find("<failure"), std::string::npos);
  fs::remove_all(dir);
}

TEST_F(RunCommand, OneAndTwoThreadsGiveTheSameReport) {
  ASSERT_EQ(first_->code, 0) << first_->err;
  const fs::path one = FreshTempDir("harness_run_jobs1");
  const CliOutcome o = RunCli({"run", kSuite.string(), "--out", one.string(), "--jobs", "1", "--no-latency"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(WithoutTiming(one / "report.json"), WithoutTiming(*out_ / "report.json"));
  fs::remove_all(one);
}

// Malformed suites: exit 2 with the file and line named. Written to a temporary folder with
// absolute paths to the shipped data.
std::string Models(const std::string& extra = "", const std::string& validation = "") {
  const std::string data = (kSource / "datasets" / "digits").string();
  return "models:\n"
         "  - name: digits\n"
         "    path: " + data + "/digits.onnx\n" + extra +
         "    calibration: {data: " + data + "/calib.h5}\n"
         "    validation: {data: " + (validation.empty() ? data + "/val.h5" : validation) + "}\n";
}

TEST(MalformedSuite, EachExitsTwoWithFileAndLine) {
  struct Case {
    std::string name, text, expected;
  };
  const std::string kws = (fs::path(HARNESS_SHARED_DIR) / "mlperf-tiny" / "data" / "kws01_speechcmd1000_val.h5").string();
  const std::vector<Case> cases = {
      {"syntax", "target: esp32-s3\nmethods: [fp32\n" + Models(), ".yaml:"},
      {"unknown_key", "target: esp32-s3\nmethods: [{method: int8, calibrater: mse}]\n" + Models(),
       ".yaml:2:"},
      {"missing_file", "target: esp32-s3\nmethods: [fp32]\nmodels:\n  - path: /nonexistent/none.onnx\n"
                       "    validation: {data: /nonexistent/val.h5}\n",
       ".yaml:4:"},
      // The model's entry starts on line 4 (after "models:" on line 3).
      {"task_mismatch", "target: esp32-s3\nmethods: [fp32]\n" + Models("    task: anomaly\n"), ".yaml:4:"},
      {"shape_mismatch", "target: esp32-s3\nmethods: [fp32]\n" + Models("", kws), ".yaml:4:"},
  };
  const fs::path dir = FreshTempDir("harness_run_malformed");
  for (const Case& c : cases) {
    const fs::path suite = dir / (c.name + ".yaml");
    std::ofstream(suite) << c.text;
    const CliOutcome o = RunCli({"run", suite.string(), "--out", (dir / "out").string(), "--no-latency"});
    EXPECT_EQ(o.code, 2) << c.name << ": " << o.out << o.err;
    EXPECT_NE(o.err.find(c.expected), std::string::npos) << c.name << ": " << o.err;
  }
  // The shape mismatch names both shapes.
  std::ofstream(dir / "shape.yaml") << "target: esp32-s3\nmethods: [fp32]\n" + Models("", kws);
  const CliOutcome o = RunCli({"run", (dir / "shape.yaml").string(), "--out", (dir / "out").string()});
  EXPECT_NE(o.err.find("[49, 10, 1]"), std::string::npos) << o.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness
