// The regression gate end to end on the models the repository ships: reruns with benign changes
// (another calibration seed, another calibration sample count, the models in another order) flag
// nothing, and real regressions (a bias perturbed so accuracy drops about 2 points and one
// class's recall about 20, a detector's weights perturbed so mAP drops at least 3 points) are
// caught, named first and exit 1. Several whole runs each, so the names carry ReferenceFigures
// (left out of the sanitizer run, ci/test.sh); the same rules are checked on synthetic runs in
// tests/report/regression_gate_test.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/report/json_report.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using test::FreshTempDir;
using test::JsonValue;
using test::ReadText;
using test::RunCli;

namespace fs = std::filesystem;

const fs::path kData = fs::path(HARNESS_SOURCE_DIR) / "datasets";

struct SuiteShape {
  int samples = 50;
  int seed = 1;
  bool reversed = false;
  std::string digits_model = (kData / "digits" / "digits.tflite").string();
  std::string detector_model = (kData / "detector" / "detector.tflite").string();
};

// A small suite over the three shipped models: fp32, int8 under two calibrators, int16x8.
void WriteSuite(const fs::path& path, const SuiteShape& shape) {
  const std::string d = kData.string();
  const std::vector<std::string> models = {
      "  - {name: digits, path: " + shape.digits_model +
          ", task: classification, calibration: {data: " + d +
          "/digits/calib.h5}, validation: {data: " + d + "/digits/val.h5}}\n",
      "  - {name: detector, path: " + shape.detector_model +
          ", task: detection, calibration: {data: " + d +
          "/detector/calib.h5}, validation: {data: " + d +
          "/detector/val.h5}, detection: {decoder: grid-v1, score_threshold: 0.05, "
          "iou_threshold: 0.5, max_detections: 10}}\n",
      "  - {name: windowed, path: " + d + "/windowed/windowed.tflite, task: anomaly, " +
          "calibration: {data: " + d + "/windowed/calib.h5}, validation: {data: " + d +
          "/windowed/val.h5}}\n"};
  std::ofstream out(path);
  out << "suite: gate\ntarget: esp32-s3\ndefaults:\n  calibration: {samples: " << shape.samples
      << ", seed: " << shape.seed << "}\nmodels:\n";
  if (shape.reversed) {
    for (auto it = models.rbegin(); it != models.rend(); ++it) out << *it;
  } else {
    for (const auto& m : models) out << m;
  }
  out << "methods:\n  - fp32\n  - {method: int8, calibrators: [minmax, percentile]}\n"
         "  - {method: int16x8, calibrator: minmax}\n";
}

// `harness run` of the suite against `baseline` (written when `update`), without latency: the
// host's timing is no part of what these tests measure.
test::CliOutcome RunSuite(const fs::path& suite, const fs::path& out, const fs::path& baseline,
                          bool update = false) {
  std::vector<std::string> args = {"run", suite.string(), "--out",      out.string(),     "--jobs",
                                   "2",   "--no-latency", "--baseline", baseline.string()};
  if (update) args.push_back("--update-baseline");
  return RunCli(args);
}

class GateReferenceFigures : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTempDir("harness_gate_reruns");
    WriteSuite(dir_ / "base.yaml", {});
    const auto first = RunSuite(dir_ / "base.yaml", dir_ / "base", dir_ / "baseline.json", true);
    ASSERT_EQ(first.code, 0) << first.err;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// 20 reruns: seeds 2 to 21, calibration sample counts 30, 50 and 100 in turn, every other one
// with the models in reverse order. The README states the count this measures (0 of 240).
TEST_F(GateReferenceFigures, BenignRerunsOfASmallSuiteFlagNothing) {
  int flagged = 0, results = 0, within_noise = 0;
  std::string flagged_ids;
  for (int rerun = 0; rerun < 20; ++rerun) {
    SuiteShape shape;
    shape.seed = 2 + rerun;
    shape.samples = std::vector<int>{30, 50, 100}[static_cast<size_t>(rerun % 3)];
    shape.reversed = rerun % 2 == 1;
    const fs::path suite = dir_ / "rerun.yaml";
    WriteSuite(suite, shape);
    const auto outcome = RunSuite(suite, dir_ / "rerun", dir_ / "baseline.json");
    ASSERT_NE(outcome.code, 2) << outcome.err;
    const runner::RunReport report =
        report::ReadJsonReport((dir_ / "rerun" / "report.json").string());
    results += static_cast<int>(report.results.size());
    // Results with a change beyond its tolerance that the paired test did not confirm: what a
    // tolerance-only gate would have flagged.
    const std::string json = ReadText(dir_ / "rerun" / "report.json");
    for (const auto& r : report.results) {
      const size_t at = json.find("\"id\": \"" + r.id + "\"");
      const size_t end = json.find("\"per_sample\"", at);
      if (json.substr(at, end - at).find("not_significant") != std::string::npos) ++within_noise;
    }

    if (outcome.code == 1) {
      ++flagged;
      flagged_ids += "rerun " + std::to_string(rerun) + ": " +
                     ReadText(dir_ / "rerun" / "report.md").substr(0, 2000) + "\n";
    }
  }
  std::cout << "benign reruns: " << flagged << " flagged of " << results << " results; "
            << within_noise << " beyond a tolerance but not significant\n";
  EXPECT_EQ(results, 20 * 12);
  EXPECT_EQ(flagged, 0) << flagged_ids;
}

// The model file with `edit` applied to the data of tensor `tensor`, as float32 values.
fs::path Perturbed(const fs::path& model, const fs::path& out, int32_t tensor,
                   const std::function<void(std::vector<float>&)>& edit) {
  model::Graph graph = model::LoadTfliteFile(model.string());
  const int32_t buffer = graph.tensors.at(static_cast<size_t>(tensor)).buffer;
  std::vector<uint8_t>& bytes = graph.buffers.at(static_cast<size_t>(buffer));
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), bytes.size());
  edit(values);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  model::WriteTfliteFile(graph, out.string());
  return out;
}

// Input `input` of the last op of type `type`.
int32_t LastOpInput(const fs::path& model, model::OpType type, size_t input) {
  const model::Graph graph = model::LoadTfliteFile(model.string());
  int32_t tensor = -1;
  for (const auto& op : graph.ops)
    if (op.type == type) tensor = op.inputs.at(input);
  return tensor;
}

double Evaluate(const fs::path& model, const std::string& set, const std::string& metric) {
  const auto outcome = RunCli({"eval", model.string(), "--data", set, "--json"});
  EXPECT_EQ(outcome.code, 0) << outcome.err;
  return JsonValue(outcome.out, metric);
}

TEST_F(GateReferenceFigures, InjectedRegressionsAreCaughtNamedFirstAndExitOne) {
  const fs::path digits = kData / "digits" / "digits.tflite";
  const fs::path detector = kData / "detector" / "detector.tflite";
  const std::string digits_val = (kData / "digits" / "val.h5").string();
  const std::string detector_val = (kData / "detector" / "val.h5").string();

  // Digits: lower class 3's logit bias until accuracy drops by about 2 points (most of them
  // class 3's samples, about a tenth of the set, so its recall falls about 20 points).
  const double accuracy = Evaluate(digits, digits_val, "accuracy");
  const int32_t bias = LastOpInput(digits, model::OpType::kFullyConnected, 2);
  fs::path bad_digits;
  for (double shift = 0.5; shift < 50.0; shift *= 1.25) {
    bad_digits =
        Perturbed(digits, dir_ / "digits_bad.tflite", bias,
                  [shift](std::vector<float>& b) { b.at(3) -= static_cast<float>(shift); });
    if (accuracy - Evaluate(bad_digits, digits_val, "accuracy") >= 0.018) break;
  }
  const double digits_drop = accuracy - Evaluate(bad_digits, digits_val, "accuracy");
  EXPECT_GE(digits_drop, 0.018);
  EXPECT_LE(digits_drop, 0.03);

  // Detector: seeded noise on the last convolution's weights until mAP drops 3 points.
  const double map = Evaluate(detector, detector_val, "map");
  const int32_t weights = LastOpInput(detector, model::OpType::kConv2D, 1);
  fs::path bad_detector;
  for (double sigma = 0.02; sigma < 2.0; sigma *= 1.3) {
    bad_detector =
        Perturbed(detector, dir_ / "detector_bad.tflite", weights, [sigma](std::vector<float>& w) {
          std::mt19937_64 engine(1);
          std::normal_distribution<double> noise(0.0, sigma);
          for (float& x : w)
            x += static_cast<float>(noise(engine) * std::fabs(static_cast<double>(x)));
        });
    if (map - Evaluate(bad_detector, detector_val, "map") >= 0.03) break;
  }
  EXPECT_GE(map - Evaluate(bad_detector, detector_val, "map"), 0.03);

  SuiteShape shape;
  shape.digits_model = bad_digits.string();
  shape.detector_model = bad_detector.string();
  WriteSuite(dir_ / "bad.yaml", shape);
  const auto outcome = RunSuite(dir_ / "bad.yaml", dir_ / "bad", dir_ / "baseline.json");
  EXPECT_EQ(outcome.code, 1) << outcome.err;
  // The terminal summary names the regressions too, most severe first.
  const size_t printed = outcome.out.find("harness: regressed ");
  ASSERT_NE(printed, std::string::npos) << outcome.out;
  const std::string printed_first =
      outcome.out.substr(printed, outcome.out.find('\n', printed) - printed);
  EXPECT_TRUE(printed_first.find("digits/") != std::string::npos ||
              printed_first.find("detector/") != std::string::npos)
      << printed_first;

  const std::string markdown = ReadText(dir_ / "bad" / "report.md");
  const size_t section = markdown.find("## Regressions");
  ASSERT_NE(section, std::string::npos) << markdown;
  const size_t first_line = markdown.find("- `", section);
  const std::string first =
      markdown.substr(first_line, markdown.find('\n', first_line) - first_line);
  EXPECT_TRUE(first.find("digits/") != std::string::npos ||
              first.find("detector/") != std::string::npos)
      << first;
  // Every perturbed result regressed, on the metric and the class that were hurt; the
  // untouched model did not.
  const runner::RunReport report = report::ReadJsonReport((dir_ / "bad" / "report.json").string());
  const std::string json = ReadText(dir_ / "bad" / "report.json");
  const size_t from = json.find("\"regressions\"");
  const std::string regressions = json.substr(from, json.find(']', from) - from);
  for (const auto& r : report.results) {
    const bool hurt = r.model != "windowed";
    EXPECT_EQ(regressions.find("\"" + r.id + "\"") != std::string::npos, hurt)
        << r.id << regressions;
  }
  EXPECT_NE(markdown.find("`digits/fp32`: accuracy"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("class 3 recall"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("`detector/fp32`: map"), std::string::npos) << markdown;
}

}  // namespace
}  // namespace harness
