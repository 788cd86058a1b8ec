// One bad model fails its own results, not the suite: a suite pairing the shipped digits model
// with an unloadable copy of it writes every report, the broken model's results marked failed
// (status error, the message naming its file), the good model's results complete and equal to
// what `harness eval` measures on its own, and exits with code 2; the baseline is not updated.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "harness/report/json_report.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

const fs::path kDigits = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "digits";

void WriteSuite(const fs::path& suite, const fs::path& broken_model) {
  std::ofstream out(suite);
  auto model = [&](const std::string& name, const fs::path& path) {
    out << "  - name: " << name << "\n    path: " << path.string()
        << "\n    task: classification\n    calibration: {data: " << (kDigits / "calib.h5").string()
        << "}\n    validation: {data: " << (kDigits / "val.h5").string() << "}\n";
  };
  out << "suite: mixed\ntarget: esp32-s3\ndefaults:\n  calibration: {samples: 50}\n"
      << "  latency: {repeats: 2, warmup: 1}\nmodels:\n";
  model("broken", broken_model);
  model("good", kDigits / "digits.tflite");
  out << "methods:\n  - fp32\n  - {method: int8, calibrator: minmax}\n";
}

TEST(RunWithFailedModel, ReportsEveryResultAndFailsOnlyTheBrokenOnes) {
  const fs::path dir = test::FreshTempDir("harness_run_failed_model");
  // The first half of a valid model: the flatbuffer verifier refuses it.
  const std::string model_bytes = test::ReadText(kDigits / "digits.tflite");
  ASSERT_GT(model_bytes.size(), 1000u);
  const fs::path broken = dir / "broken.tflite";
  std::ofstream(broken, std::ios::binary) << model_bytes.substr(0, model_bytes.size() / 2);
  const fs::path suite = dir / "mixed.yaml";
  WriteSuite(suite, broken);
  const fs::path baseline = dir / "baseline.json";

  const test::CliOutcome run =
      test::RunCli({"run", suite.string(), "--out", (dir / "out").string(), "--jobs", "2",
                    "--baseline", baseline.string(), "--update-baseline"});
  EXPECT_EQ(run.code, 2) << run.out << run.err;
  EXPECT_NE(run.out.find("2 of 4 results failed"), std::string::npos) << run.out;
  // The first failure is the command's error, naming the result and the model file.
  EXPECT_NE(run.err.find("harness: error: broken/fp32: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(broken.string()), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(baseline)) << "a baseline with failed results was written";
  for (const char* name : {"report.json", "report.md", "report.html", "junit.xml"}) {
    EXPECT_TRUE(fs::exists(dir / "out" / name)) << name;
  }

  const runner::RunReport report = report::ReadJsonReport((dir / "out" / "report.json").string());
  ASSERT_EQ(report.results.size(), 4u);
  EXPECT_EQ(report.FailedCount(), 2u);
  for (const runner::ResultRecord& r : report.results) {
    if (r.model == "broken") {
      ASSERT_TRUE(r.error) << r.id;
      EXPECT_NE(r.error->find(broken.string()), std::string::npos) << *r.error;
      EXPECT_FALSE(r.metrics.accuracy) << r.id;
    } else {
      EXPECT_FALSE(r.error) << r.id << ": " << *r.error;
      ASSERT_TRUE(r.metrics.accuracy) << r.id;
      EXPECT_TRUE(r.latency_us) << r.id;
    }
  }
  // The good model's fp32 result is what `harness eval` measures for the same model and set,
  // and no progress line of a good result reports a failure (no job was cancelled midway).
  const runner::ResultRecord* fp32 = report.Find("good/fp32");
  ASSERT_NE(fp32, nullptr);
  const test::CliOutcome eval = test::RunCli({"eval", (kDigits / "digits.tflite").string(),
                                              "--data", (kDigits / "val.h5").string(), "--json"});
  ASSERT_EQ(eval.code, 0) << eval.err;
  EXPECT_NEAR(*fp32->metrics.accuracy, test::JsonValue(eval.out, "accuracy"), 1e-9);
  EXPECT_EQ(run.out.find("good/fp32  failed"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("good/int8/minmax  failed"), std::string::npos) << run.out;

  const std::string junit = test::ReadText(dir / "out" / "junit.xml");
  EXPECT_NE(junit.find("errors=\"2\""), std::string::npos) << junit;
  const std::string markdown = test::ReadText(dir / "out" / "report.md");
  EXPECT_NE(markdown.find("## Failed results"), std::string::npos) << markdown;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness
