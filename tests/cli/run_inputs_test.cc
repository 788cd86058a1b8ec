// The provenance of `harness run`: every input is recorded by its path relative to the suite
// file, so the same suite named by an absolute or a relative path records the same inputs and a
// baseline made from another working directory still pairs them (no "inputs changed"). And a
// run of some results (--only) is compared with those results of the suite's baseline only.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "harness/report/json_report.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

TEST(RunInputs, RecordedRelativeToTheSuiteWhateverTheWorkingDirectory) {
  const fs::path suite = fs::path(HARNESS_SOURCE_DIR) / "suites" / "esp32.yaml";
  const fs::path out = test::FreshTempDir("harness_run_inputs");
  const auto run = [&](const fs::path& suite_path, const std::string& name) {
    const test::CliOutcome o = test::RunCli({"run", suite_path.string(), "--only", "windowed/fp32",
                                             "--no-latency", "--out", (out / name).string()});
    EXPECT_EQ(o.code, 0) << o.err;
    return report::ReadJsonReport((out / name / "report.json").string());
  };
  const runner::RunReport absolute = run(fs::absolute(suite), "absolute");
  const runner::RunReport relative = run(fs::relative(suite), "relative");
  ASSERT_EQ(absolute.inputs.size(), 2u);  // fp32 needs no calibration set
  EXPECT_EQ(absolute.inputs, relative.inputs);
  EXPECT_EQ(absolute.inputs[0].path, "../datasets/windowed/windowed.onnx");
  EXPECT_EQ(absolute.inputs[1].path, "../datasets/windowed/val.h5");

  // Compared with each other, no input changed.
  const test::CliOutcome diff = test::RunCli({"diff", (out / "relative" / "report.json").string(),
                                              (out / "absolute" / "report.json").string()});
  EXPECT_EQ(diff.code, 0) << diff.out << diff.err;
  EXPECT_EQ(diff.out.find("changed"), std::string::npos) << diff.out;
  fs::remove_all(out);
}

TEST(RunInputs, OnlyComparesTheSelectedResultsAndRefusesToUpdateTheBaseline) {
  const fs::path suite = fs::path(HARNESS_SOURCE_DIR) / "suites" / "esp32.yaml";
  const fs::path out = test::FreshTempDir("harness_run_only");
  const test::CliOutcome o = test::RunCli({"run", suite.string(), "--only", "windowed/int8/*",
                                           "--no-latency", "--out", out.string()});
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("0 new, 0 missing"), std::string::npos) << o.out;

  const test::CliOutcome update =
      test::RunCli({"run", suite.string(), "--only", "windowed/*", "--update-baseline", "--out",
                    out.string(), "--baseline", (out / "b.json").string()});
  EXPECT_EQ(update.code, 2);
  EXPECT_NE(update.err.find("--only"), std::string::npos) << update.err;
  EXPECT_FALSE(fs::exists(out / "b.json"));
  fs::remove_all(out);
}

}  // namespace
}  // namespace harness
