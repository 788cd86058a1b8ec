// `samples:` larger than a set. A model's own count is a demand: more rows than its set holds
// fails that model's results with the YAML line and the set's size (it used to be cut silently
// to the set). A `defaults` count is a limit shared by sets of every size: a smaller set is
// used whole, and the reports say how many rows each result used.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "harness/report/json_report.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

const fs::path kWindowed = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "windowed";

// The windowed autoencoder (calibration set 100 rows, validation set 200 rows) under fp32 and
// int8; `defaults` and the sets' extra keys as given.
std::string Suite(const std::string& defaults, const std::string& calibration_extra,
                  const std::string& validation_extra) {
  const std::string dir = kWindowed.string();
  return "target: esp32-s3\n" + defaults +  // 1
         "methods: [fp32, int8]\n"          // 2
         "models:\n"                        // 3
         "  - name: windowed\n"             // 4
         "    path: " +
         dir +
         "/windowed.onnx\n"  // 5
         "    calibration: {data: " +
         dir + "/calib.h5" + calibration_extra +
         "}\n"  // 6
         "    validation: {data: " +
         dir + "/val.h5" + validation_extra + "}\n";  // 7
}

test::CliOutcome RunSuite(const fs::path& dir, const std::string& text) {
  std::ofstream(dir / "suite.yaml") << text;
  return test::RunCli(
      {"run", (dir / "suite.yaml").string(), "--no-latency", "--out", (dir / "out").string()});
}

TEST(RunSamples, AModelsCountBeyondItsSetIsAnErrorNamingTheLineAndTheSize) {
  const fs::path dir = test::FreshTempDir("harness_run_samples_explicit");
  const std::string suite = (dir / "suite.yaml").string();
  const std::string validation_column = std::to_string(
      std::string("    validation: {data: " + kWindowed.string() + "/val.h5, samples: ").size() +
      1);
  const test::CliOutcome too_many = RunSuite(dir, Suite("", "", ", samples: 201"));
  EXPECT_EQ(too_many.code, 2) << too_many.out << too_many.err;
  EXPECT_NE(too_many.err.find(suite + ":7:" + validation_column + ": samples: 201, but " +
                              (kWindowed / "val.h5").string() + " holds 200 rows"),
            std::string::npos)
      << too_many.err;
  // Every result of the model failed with that message; the reports were still written.
  const runner::RunReport report = report::ReadJsonReport((dir / "out" / "report.json").string());
  ASSERT_EQ(report.results.size(), 2u);
  for (const auto& r : report.results) {
    ASSERT_TRUE(r.error) << r.id;
    EXPECT_NE(r.error->find("holds 200 rows"), std::string::npos) << *r.error;
  }

  const test::CliOutcome calibration = RunSuite(dir, Suite("", ", samples: 101", ""));
  EXPECT_EQ(calibration.code, 2);
  EXPECT_NE(calibration.err.find(suite + ":6:"), std::string::npos) << calibration.err;
  EXPECT_NE(calibration.err.find("samples: 101, but " + (kWindowed / "calib.h5").string() +
                                 " holds 100 rows"),
            std::string::npos)
      << calibration.err;

  // Exactly the set's size is no error.
  const test::CliOutcome exact = RunSuite(dir, Suite("", ", samples: 100", ", samples: 200"));
  EXPECT_EQ(exact.code, 0) << exact.err;
  fs::remove_all(dir);
}

TEST(RunSamples, ADefaultCountIsALimitAndTheReportsRecordTheRowsUsed) {
  const fs::path dir = test::FreshTempDir("harness_run_samples_default");
  // 250 validation rows asked of a 200-row set: all 200; 60 of the 100 calibration rows.
  const test::CliOutcome o = RunSuite(
      dir,
      Suite("defaults:\n  calibration: {samples: 60}\n  validation: {samples: 250}\n", "", ""));
  ASSERT_EQ(o.code, 0) << o.out << o.err;
  const runner::RunReport report = report::ReadJsonReport((dir / "out" / "report.json").string());
  ASSERT_EQ(report.results.size(), 2u);
  for (const auto& r : report.results) {
    EXPECT_EQ(r.validation_samples, 200) << r.id;
    // The metrics were computed over those 200 rows.
    EXPECT_EQ(r.per_sample_label.size(), 200u) << r.id;
    // fp32 does not calibrate.
    if (r.method == "int8") {
      EXPECT_EQ(r.calibration_samples, 60) << r.id;
    } else {
      EXPECT_FALSE(r.calibration_samples) << r.id;
    }
  }
  EXPECT_NE(test::ReadText(dir / "out" / "report.md")
                .find("Samples used: validation 200, calibration 60."),
            std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness
