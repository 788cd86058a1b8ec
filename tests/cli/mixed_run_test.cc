// `harness run` with a `mixed` method and `harness quantize --method mixed` on the MLPerf Tiny
// anomaly autoencoder: report.json records the sensitivity of every analysed layer and names
// the layers kept in float, which the written model indeed runs in float; report.md lists them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/model/tflite_loader.h"
#include "harness/report/json_report.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using test::CliOutcome;
using test::kMlperfTinyDir;
using test::FreshTempDir;
using test::ReadText;
using test::RunCli;

namespace fs = std::filesystem;

// The ops of `graph` that compute in float32 on an activation (not the QUANTIZE / DEQUANTIZE at
// the edges of a float island).
std::vector<int32_t> FloatFullyConnectedOps(const model::Graph& graph) {
  std::vector<int32_t> ops;
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const model::Op& op = graph.ops[i];
    if (op.type == model::OpType::kFullyConnected &&
        graph.tensor(op.outputs.front()).type == model::DataType::kFloat32) {
      ops.push_back(static_cast<int32_t>(i));
    }
  }
  return ops;
}

TEST(MixedRun, ReportNamesTheKeptLayersAndEverySensitivity) {
  const fs::path dir = FreshTempDir("harness_mixed_run");
  const fs::path suite = dir / "mixed.yaml";
  std::ofstream(suite) << "suite: mixed\n"
                          "target: esp32-s3\n"
                          "defaults: {latency: {repeats: 1, warmup: 0}}\n"
                          "models:\n"
                          "  - name: ad\n"
                          "    path: " << kMlperfTinyDir << "models/ad01_fp32.tflite\n"
                          "    task: anomaly\n"
                          "    calibration: {data: " << kMlperfTinyDir << "data/ad01_toyadmos_car248_calib.h5, samples: 50}\n"
                          "    validation: {data: " << kMlperfTinyDir << "data/ad01_toyadmos_car248_val.h5}\n"
                          "methods:\n"
                          "  - {method: mixed, calibrator: minmax, budget: {accuracy_drop: 0.5}}\n";
  const fs::path out = dir / "out";
  const CliOutcome run = RunCli({"run", suite.string(), "--out", out.string(), "--jobs", "2"});
  ASSERT_EQ(run.code, 0) << run.err;

  const runner::RunReport report = report::ReadJsonReport((out / "report.json").string());
  ASSERT_EQ(report.results.size(), 1u);
  const runner::ResultRecord& result = report.results[0];
  EXPECT_EQ(result.id, "ad/mixed/minmax");
  ASSERT_TRUE(result.mixed.has_value());
  const runner::MixedPrecision& mixed = *result.mixed;
  EXPECT_EQ(mixed.metric, "auc");
  EXPECT_EQ(mixed.unit, "points");
  EXPECT_EQ(mixed.budget, 0.5);
  EXPECT_TRUE(mixed.budget_met);
  // The autoencoder's ten FULLY_CONNECTED layers, each measured.
  ASSERT_EQ(mixed.layers.size(), 10u);
  ASSERT_FALSE(mixed.kept_ops.empty());
  std::vector<int32_t> kept = mixed.kept_ops;
  std::sort(kept.begin(), kept.end());

  // The written artifact computes exactly the kept layers in float (the op indices of the
  // artifact differ: QUANTIZE / DEQUANTIZE ops are inserted, so compare counts and names).
  const model::Graph artifact = model::LoadTfliteFile((out / result.artifact).string());
  const std::vector<int32_t> float_ops = FloatFullyConnectedOps(artifact);
  EXPECT_EQ(float_ops.size(), kept.size());
  for (const runner::MixedLayer& layer : mixed.layers) {
    const bool is_kept = std::binary_search(kept.begin(), kept.end(), layer.op_index);
    bool float_in_artifact = false;
    for (int32_t op : float_ops) {
      float_in_artifact |= artifact.tensor(artifact.ops[static_cast<size_t>(op)].outputs.front()).name == layer.tensor;
    }
    EXPECT_EQ(float_in_artifact, is_kept) << layer.tensor;
  }

  const std::string markdown = ReadText(out / "report.md");
  EXPECT_NE(markdown.find("## Mixed precision"), std::string::npos);
  EXPECT_NE(markdown.find("kept float32: op " + std::to_string(mixed.kept_ops.front()) + " FULLY_CONNECTED"),
            std::string::npos);
  EXPECT_NE(ReadText(out / "report.html").find("Mixed precision"), std::string::npos);
}

TEST(MixedQuantize, PrintsEveryLayerAndWritesTheModel) {
  const fs::path dir = FreshTempDir("harness_mixed_quantize");
  const fs::path model = dir / "ad_mixed.tflite";
  const CliOutcome run = RunCli({"quantize", kMlperfTinyDir + "models/ad01_fp32.tflite", "--method", "mixed",
                              "--calib", kMlperfTinyDir + "data/ad01_toyadmos_car248_calib.h5", "--samples",
                              "50", "--budget", "0.5", "-o", model.string()});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("mixed: auc on the calibration set (points)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("budget 0.5 points: met"), std::string::npos) << run.out;
  // One line per FULLY_CONNECTED layer, at least one kept in float.
  size_t lines = 0;
  for (size_t at = run.out.find("FULLY_CONNECTED"); at != std::string::npos;
       at = run.out.find("FULLY_CONNECTED", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 10u);
  EXPECT_NE(run.out.find("-> float32"), std::string::npos);
  EXPECT_FALSE(FloatFullyConnectedOps(model::LoadTfliteFile(model.string())).empty());
}

}  // namespace
}  // namespace harness
