// `harness quantize --method mixed --keep int16x8`: a bad precision or --keep on another
// method is a usage error (exit 2) naming the flag; on the MLPerf Tiny anomaly autoencoder the
// layers it prints as kept are int16x8 in the written model, and none is float.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "harness/model/model_file.h"
#include "tests/cli/cli_test_support.h"

namespace harness {
namespace {

using test::CliOutcome;
using test::FreshTempDir;
using test::kMlperfTinyDir;
using test::RunCli;

namespace fs = std::filesystem;

const std::string kModel = kMlperfTinyDir + "models/ad01_fp32.tflite";
const std::string kCalib = kMlperfTinyDir + "data/ad01_toyadmos_car248_calib.h5";

TEST(MixedKeepCli, AnUnknownPrecisionIsAUsageError) {
  const fs::path dir = FreshTempDir("harness_mixed_keep_bad");
  const CliOutcome run = RunCli({"quantize", kModel, "--method", "mixed", "--keep", "int16", "--calib", kCalib,
                                 "--samples", "4", "-o", (dir / "m.tflite").string()});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--keep expects float32 or int16x8, got 'int16'"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir / "m.tflite"));
}

TEST(MixedKeepCli, KeepOnAnotherMethodIsAUsageError) {
  const fs::path dir = FreshTempDir("harness_mixed_keep_method");
  const CliOutcome run = RunCli({"quantize", kModel, "--method", "int8", "--keep", "int16x8", "--calib", kCalib,
                                 "--samples", "4", "-o", (dir / "m.tflite").string()});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--keep applies only to --method mixed"), std::string::npos) << run.err;
}

TEST(MixedKeepCli, KeptLayersAreInt16x8InTheWrittenModel) {
  const fs::path dir = FreshTempDir("harness_mixed_keep_int16");
  const fs::path out = dir / "ad_mixed16.tflite";
  const CliOutcome run = RunCli({"quantize", kModel, "--method", "mixed", "--keep", "int16x8", "--calib", kCalib,
                                 "--samples", "50", "--budget", "0.5", "-o", out.string()});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("-> int16x8"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("-> float32"), std::string::npos) << run.out;

  const model::Graph graph = model::LoadModelFile(out.string());
  size_t int16_layers = 0;
  for (const model::Op& op : graph.ops) {
    EXPECT_NE(op.type, model::OpType::kDequantize);
    if (op.type == model::OpType::kFullyConnected &&
        graph.tensor(op.outputs.front()).type == model::DataType::kInt16) {
      ++int16_layers;
    }
  }
  // As many int16 layers as the printout keeps.
  size_t printed = 0;
  for (size_t at = run.out.find("-> int16x8"); at != std::string::npos; at = run.out.find("-> int16x8", at + 1)) {
    ++printed;
  }
  EXPECT_EQ(int16_layers, printed);
}

}  // namespace
}  // namespace harness
