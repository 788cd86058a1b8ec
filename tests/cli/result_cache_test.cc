// `harness run --cache DIR` end to end: a cold run stores every result, a warm run reuses every
// one and writes the same report; with one model's bytes changed only that model's results are
// computed again, and the report equals a run without a cache; a damaged entry is recomputed,
// and the cache holds no temporary files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "harness/report/json_report.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using test::CliOutcome;
using test::FreshTempDir;
using test::ReadText;
using test::RunCli;

const fs::path kZoo = fs::path(HARNESS_SOURCE_DIR) / "datasets";

// report.json without its start time and its cache block: what a run with and without reuse
// must share.
std::string Comparable(const fs::path& report) {
  std::string text = ReadText(report);
  text = std::regex_replace(text, std::regex("\"start_time\": \"[^\"]*\""), "\"start_time\": \"\"");
  return std::regex_replace(text, std::regex("\n  \"cache\": \\{[^}]*\\},"), "");
}

std::vector<std::string> Reused(const fs::path& report) {
  const runner::RunReport run = report::ReadJsonReport(report.string());
  EXPECT_TRUE(run.cache);
  return run.cache ? run.cache->reused : std::vector<std::string>{};
}

class ResultCache : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTempDir("result_cache");
    fs::copy_file(kZoo / "digits/digits.tflite", dir_ / "digits.tflite");
    std::ofstream(dir_ / "suite.yaml")
        << "suite: cached\ntarget: esp32-s3\nmodels:\n"
        << "  - {name: digits, path: digits.tflite, calibration: {data: "
        << kZoo / "digits/calib.h5"
        << ", samples: 16}, validation: {data: " << kZoo / "digits/val.h5"
        << ", samples: 64}}\n"
        << "  - {name: detector, path: " << kZoo / "detector/detector.tflite"
        << ", calibration: {data: " << kZoo / "detector/calib.h5"
        << ", samples: 16}, validation: {data: " << kZoo / "detector/val.h5"
        << ", samples: 32}, detection: {decoder: grid-v1, score_threshold: 0.05}}\n"
        << "  - {name: windowed, path: " << kZoo / "windowed/windowed.tflite"
        << ", calibration: {data: " << kZoo / "windowed/calib.h5"
        << ", samples: 16}, validation: {data: " << kZoo / "windowed/val.h5"
        << "}}\n"
        << "methods:\n  - fp32\n  - {method: int8, calibrators: [minmax, percentile]}\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliOutcome Run(const std::string& out, bool cached = true) {
    std::vector<std::string> args = {"run", (dir_ / "suite.yaml").string(), "--out",
                                     (dir_ / out).string(), "--no-latency"};
    if (cached) args.insert(args.end(), {"--cache", (dir_ / "cache").string()});
    return RunCli(args);
  }
  std::vector<std::string> Ids(const std::string& out, const std::string& except_model = "") {
    std::vector<std::string> ids;
    for (const auto& r : report::ReadJsonReport((dir_ / out / "report.json").string()).results)
      if (r.model != except_model) ids.push_back(r.id);
    return ids;
  }

  fs::path dir_;
};

TEST_F(ResultCache, ReusesUnchangedResultsAndRecomputesAChangedModel) {
  const CliOutcome cold = Run("cold");
  ASSERT_EQ(cold.code, 0) << cold.err;
  EXPECT_TRUE(Reused(dir_ / "cold/report.json").empty());
  ASSERT_EQ(Ids("cold").size(), 9u);

  const CliOutcome warm = Run("warm");
  ASSERT_EQ(warm.code, 0) << warm.err;
  EXPECT_EQ(Reused(dir_ / "warm/report.json"), Ids("cold"));
  EXPECT_EQ(Comparable(dir_ / "warm/report.json"), Comparable(dir_ / "cold/report.json"));
  for (const auto& entry : fs::directory_iterator(dir_ / "cold/models"))
    EXPECT_EQ(ReadText(entry.path()), ReadText(dir_ / "warm/models" / entry.path().filename()))
        << entry.path().filename();
  EXPECT_NE(ReadText(dir_ / "warm/report.md").find("Reused from the cache: 9 of 9 results"),
            std::string::npos);

  // The same float model, cross-layer equalized: other bytes, other results.
  const CliOutcome convert = RunCli({"convert", (kZoo / "digits/digits.onnx").string(), "-o",
                                     (dir_ / "digits.tflite").string(), "--equalize"});
  ASSERT_EQ(convert.code, 0) << convert.err;
  ASSERT_NE(ReadText(dir_ / "digits.tflite"), ReadText(kZoo / "digits/digits.tflite"));
  const CliOutcome changed = Run("changed");
  ASSERT_EQ(changed.code, 0) << changed.err;
  EXPECT_EQ(Reused(dir_ / "changed/report.json"), Ids("cold", "digits"));
  EXPECT_NE(ReadText(dir_ / "changed/models/digits_int8_minmax.tflite"),
            ReadText(dir_ / "cold/models/digits_int8_minmax.tflite"));
  // Reused and recomputed results together, comparisons included, are what a run without the
  // cache writes.
  const CliOutcome uncached = Run("uncached", false);
  ASSERT_EQ(uncached.code, 0) << uncached.err;
  EXPECT_EQ(Comparable(dir_ / "changed/report.json"), Comparable(dir_ / "uncached/report.json"));

  // Writes are atomic: no temporary file is left behind.
  size_t entries = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "cache")) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
    entries += entry.path().extension() == ".json";
  }
  EXPECT_EQ(entries, 12u);  // nine results, and three again for the changed model
}

TEST_F(ResultCache, ADamagedEntryIsComputedAgain) {
  ASSERT_EQ(Run("cold").code, 0);
  // Damage the entry of one result: the first record file found.
  fs::path damaged;
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "cache"))
    if (entry.path().extension() == ".json") damaged = entry.path();
  ASSERT_FALSE(damaged.empty());
  const std::string id = report::ReadJsonReport(damaged.string()).results.at(0).id;
  std::ofstream(damaged) << "{\"schema\": ";
  const CliOutcome again = Run("again");
  ASSERT_EQ(again.code, 0) << again.err;
  std::vector<std::string> expected = Ids("cold");
  std::erase(expected, id);
  EXPECT_EQ(Reused(dir_ / "again/report.json"), expected);
  EXPECT_EQ(Comparable(dir_ / "again/report.json"), Comparable(dir_ / "cold/report.json"));
  // ... and stored whole again.
  EXPECT_EQ(report::ReadJsonReport(damaged.string()).results.at(0).id, id);
}

}  // namespace
}  // namespace harness
