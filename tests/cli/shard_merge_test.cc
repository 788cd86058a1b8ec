// `harness run --shard K/N` and `harness merge` end to end: a suite of ten models (the shipped
// zoo, as ONNX and as .tflite, and the four MLPerf Tiny models) run whole and in 1, 2, 3 and 4
// parts, each part by the real binary in its own process; the merged report.json (apart from
// its start time), junit.xml and exit code equal the unsharded run's, against a baseline that
// makes one result regress. Then merge refuses a missing part, a part given twice and a part
// of another run, naming it.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness/report/baseline.h"
#include "harness/report/json_report.h"
#include "tests/cli/child_process.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using test::ChildProcess;
using test::CliOutcome;
using test::FreshTempDir;
using test::ReadText;
using test::RunCli;

const fs::path kZoo = fs::path(HARNESS_SOURCE_DIR) / "datasets";

// One model entry; `samples` 0: every validation sample.
std::string Model(const std::string& name, const fs::path& path, const std::string& task,
                  const fs::path& calib, const fs::path& val, int samples,
                  const std::string& extra = "") {
  std::string entry = "  - {name: " + name + ", path: " + path.string() + ", task: " + task +
                      ", calibration: {data: " + calib.string() + ", samples: 16}" +
                      ", validation: {data: " + val.string();
  if (samples > 0) entry += ", samples: " + std::to_string(samples);
  return entry + "}" + extra + "}\n";
}

// Ten models, three methods (fp32 and two calibrators, so every model has McNemar or bootstrap
// comparisons that need its results on one part); the anomaly sets keep every sample (their
// anomalies come last).
void WriteSuite(const fs::path& path) {
  const fs::path data = test::kMlperfTiny / "data";
  const fs::path models = test::kMlperfTiny / "models";
  const std::string detection =
      ", detection: {decoder: grid-v1, score_threshold: 0.05, iou_threshold: 0.5, "
      "max_detections: 10}";
  std::string suite =
      "suite: shard-merge\ntarget: esp32-s3\ndefaults:\n  latency: {repeats: 2, warmup: "
      "0}\nmodels:\n";
  for (const char* format : {"onnx", "tflite"}) {
    const std::string suffix = std::string(format) == "onnx" ? "" : "-tflite";
    suite += Model("digits" + suffix, kZoo / "digits" / (std::string("digits.") + format),
                   "classification", kZoo / "digits/calib.h5", kZoo / "digits/val.h5", 64);
    suite +=
        Model("detector" + suffix, kZoo / "detector" / (std::string("detector.") + format),
              "detection", kZoo / "detector/calib.h5", kZoo / "detector/val.h5", 48, detection);
    suite += Model("windowed" + suffix, kZoo / "windowed" / (std::string("windowed.") + format),
                   "anomaly", kZoo / "windowed/calib.h5", kZoo / "windowed/val.h5", 0);
  }
  suite += Model("kws", models / "kws_ref_model_float32.tflite", "classification",
                 data / "kws01_speechcmd1000_calib.h5", data / "kws01_speechcmd1000_val.h5", 64);
  suite +=
      Model("vww", models / "vww_96_float.tflite", "classification",
            data / "vww01_coco_person1000_calib.h5", data / "vww01_coco_person1000_val.h5", 48);
  suite += Model("ad", models / "ad01_fp32.tflite", "anomaly",
                 data / "ad01_toyadmos_car248_calib.h5", data / "ad01_toyadmos_car248_val.h5", 0);
  suite += Model("ic", models / "pretrainedResnet.tflite", "classification",
                 data / "ic01_cifar10_perf200_calib.h5", data / "ic01_cifar10_perf200_val.h5", 64);
  suite += "methods:\n  - fp32\n  - {method: int8, calibrators: [minmax, percentile]}\n";
  std::ofstream(path) << suite;
}

// "<prefix><k><separator><n>", appended piece by piece: GCC 12 warns (-Wrestrict) on a chain
// of operator+ with std::to_string.
std::string KOfN(const char* prefix, int k, const char* separator, int n) {
  std::string text = prefix;
  text += std::to_string(k);
  text += separator;
  text += std::to_string(n);
  return text;
}

// `harness ARGS` as its own process; its exit code, or a test failure.
int RunProcess(const std::vector<std::string>& args, const fs::path& dir) {
  ChildProcess child(args, dir / "stderr.txt");
  const test::ProcessEnd end = child.Wait(std::chrono::minutes(3));
  EXPECT_TRUE(end.exited) << "signal " << end.signal << (end.timed_out ? " (timed out)" : "");
  EXPECT_TRUE(end.code == 0 || end.code == 1) << end.err;
  return end.code;
}

// report.json without its timing field: the start time (latency is not measured here).
std::string WithoutStartTime(const fs::path& report) {
  return std::regex_replace(ReadText(report), std::regex("\"start_time\": \"[^\"]*\""),
                            "\"start_time\": \"\"");
}

// The first line where two texts differ, with its number, for a readable failure.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    la.clear();
    lb.clear();
    const bool more_a = static_cast<bool>(std::getline(sa, la));
    const bool more_b = static_cast<bool>(std::getline(sb, lb));
    if (!more_a && !more_b) break;
    if (la != lb) return "line " + std::to_string(line) + ": '" + la + "' vs '" + lb + "'";
  }
  return "none";
}

TEST(ShardMerge, MergedPartsEqualTheUnshardedRun) {
  const fs::path dir = FreshTempDir("shard_merge");
  const fs::path suite = dir / "suite.yaml";
  WriteSuite(suite);
  // A first run measures the costs the parts balance by; its report, with one result's size
  // made 100 bytes smaller, is the baseline, so the runs below regress (exit 1).
  ASSERT_EQ(
      RunProcess({"run", suite.string(), "--out", (dir / "first").string(), "--jobs", "2"}, dir),
      0);
  runner::RunReport first = report::ReadJsonReport((dir / "first/report.json").string());
  ASSERT_EQ(first.results.size(), 30u);
  runner::ResultRecord& shrunk = first.results[4];
  ASSERT_TRUE(shrunk.size_bytes);
  *shrunk.size_bytes -= 100;
  const fs::path baseline = dir / "baseline.json";
  report::WriteBaseline(first, baseline.string());

  const std::vector<std::string> common = {"--jobs", "2", "--no-latency", "--baseline",
                                           baseline.string()};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), common.begin(), common.end());
    return args;
  };
  const fs::path whole = dir / "whole";
  const int whole_code = RunProcess(with({"run", suite.string(), "--out", whole.string()}), dir);
  EXPECT_EQ(whole_code, 1);
  const std::string whole_json = WithoutStartTime(whole / "report.json");
  ASSERT_NE(whole_json.find(shrunk.id), std::string::npos);

  for (int n = 1; n <= 4; ++n) {
    std::vector<std::string> merge_args = {"merge"};
    for (int k = 1; k <= n; ++k) {
      const fs::path part = dir / KOfN("part", k, "of", n);
      EXPECT_EQ(RunProcess(with({"run", suite.string(), "--out", part.string(), "--shard",
                                 KOfN("", k, "/", n)}),
                           dir),
                0);
      // Parts are balanced by the baseline's measured cost and never split a model.
      const runner::RunReport written = report::ReadJsonReport((part / "report.json").string());
      ASSERT_TRUE(written.shard);
      EXPECT_EQ(written.shard->balance, "baseline");
      for (const runner::ResultRecord& r : written.results)
        for (const runner::ResultRecord& other : first.results)
          if (other.model == r.model) {
            EXPECT_TRUE(written.Find(other.id)) << other.id;
          }
      merge_args.push_back(part.string());
    }
    const fs::path merged = dir / KOfN("merged", n, "of", n);
    merge_args.insert(merge_args.end(),
                      {"--out", merged.string(), "--baseline", baseline.string()});
    const CliOutcome merge = RunCli(merge_args);
    EXPECT_EQ(merge.code, whole_code) << n << " parts: " << merge.err;
    const std::string merged_json = WithoutStartTime(merged / "report.json");
    EXPECT_TRUE(merged_json == whole_json)
        << n << " parts, first difference at " << FirstDifference(merged_json, whole_json);
    EXPECT_EQ(ReadText(merged / "junit.xml"), ReadText(whole / "junit.xml")) << n << " parts";
    EXPECT_TRUE(fs::exists(merged / "models" / "vww_int8_minmax.tflite")) << n << " parts";
  }
  fs::remove_all(dir);
}

// Three parts of a small suite (two models, fp32 only) for merge's refusals.
class MergeRefuses : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTempDir("merge_refuses");
    suite_ = dir_ / "suite.yaml";
    std::ofstream(suite_) << "suite: small\ntarget: esp32-s3\nmodels:\n" +
                                 Model("digits", kZoo / "digits/digits.tflite", "classification",
                                       kZoo / "digits/calib.h5", kZoo / "digits/val.h5", 16) +
                                 Model("kws",
                                       test::kMlperfTiny / "models/kws_ref_model_float32.tflite",
                                       "classification",
                                       test::kMlperfTiny / "data/kws01_speechcmd1000_calib.h5",
                                       test::kMlperfTiny / "data/kws01_speechcmd1000_val.h5", 16) +
                                 "methods: [fp32]\n";
    for (int k = 1; k <= 3; ++k) Part(k, 3);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Part(int k, int n) {
    const fs::path out = dir_ / KOfN("p", k, "of", n);
    const CliOutcome o = RunCli({"run", suite_.string(), "--out", out.string(), "--no-latency",
                                 "--shard", KOfN("", k, "/", n)});
    EXPECT_EQ(o.code, 0) << o.err;
    return out.string();
  }
  CliOutcome Merge(std::vector<std::string> parts) {
    parts.insert(parts.begin(), "merge");
    parts.insert(parts.end(), {"--out", (dir_ / "merged").string()});
    return RunCli(parts);
  }

  fs::path dir_, suite_;
};

TEST_F(MergeRefuses, AMissingPart) {
  const CliOutcome o = Merge({Part(1, 3), Part(3, 3)});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("part 2/3 is missing"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir_ / "merged" / "report.json"));
  // Three parts of two models: one part is empty, and it is needed all the same.
  const CliOutcome all = Merge({Part(1, 3), Part(2, 3), Part(3, 3)});
  EXPECT_EQ(all.code, 0) << all.err;
}

TEST_F(MergeRefuses, APartGivenTwice) {
  const std::string second = Part(2, 3);
  const CliOutcome o = Merge({Part(1, 3), second, Part(3, 3), second});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("part 2/3 is given twice"), std::string::npos) << o.err;
}

TEST_F(MergeRefuses, APartOfAnotherRun) {
  // Another shard count.
  CliOutcome o = Merge({Part(1, 3), Part(2, 2), Part(3, 3)});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("shard count differs"), std::string::npos) << o.err;
  // Another suite (an edited copy: its digest differs).
  std::ofstream(suite_, std::ios::app) << "# edited\n";
  const std::string edited = Part(2, 3);
  o = Merge({(dir_ / "p1of3").string(), edited, (dir_ / "p3of3").string()});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("suite sha256"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(edited), std::string::npos) << o.err;
  // A folder that holds no part.
  o = Merge({(dir_ / "p1of3").string(), dir_.string()});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find((dir_ / "report.json").string() + ": not found"), std::string::npos)
      << o.err;
}

}  // namespace
}  // namespace harness
