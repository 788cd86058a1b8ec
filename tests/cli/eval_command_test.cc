// `harness eval` on the MLPerf Tiny validation sets must give the reference figures of
// ../shared/mlperf-tiny/README.md (measured with TFLite-Micro's goldens), and its JSON must
// carry DESIGN.md's metric names. `harness lint` exit codes on clean, broken and unreadable
// models.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "tests/cli/cli_test_support.h"

namespace harness::cli {
namespace {

using test::CliOutcome;
using test::JsonValue;
using test::kMlperfTinyDir;
using test::RunCli;

struct Case {
  const char* model;
  const char* data;
  bool dequantize;
  const char* metric;
  double expected;
  double tolerance;
};

class ReferenceFigures : public ::testing::TestWithParam<Case> {};

TEST_P(ReferenceFigures, Match) {
  const Case& c = GetParam();
  std::vector<std::string> args = {"eval", kMlperfTinyDir + "models/" + c.model, "--data",
                                   kMlperfTinyDir + "data/" + c.data, "--json"};
  if (c.dequantize) args.push_back("--dequantize-weights");
  const CliOutcome run = RunCli(args);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NEAR(JsonValue(run.out, c.metric), c.expected, c.tolerance) << run.out.substr(0, 300);
}

// Accuracies are k / 800: 88.75 % and 85.50 % are exact counts (710, 684), so 1e-9 means "the
// same sample count". AUCs within 5e-4 of the README's 4 digits.
INSTANTIATE_TEST_SUITE_P(
    MlperfTiny, ReferenceFigures,
    ::testing::Values(
        Case{"kws_ref_model.tflite", "kws01_speechcmd1000_val.h5", false, "accuracy", 0.8875, 1e-9},
        Case{"kws_ref_model_float32.tflite", "kws01_speechcmd1000_val.h5", true, "accuracy",
             0.8875, 1e-9},
        Case{"vww_96_int8.tflite", "vww01_coco_person1000_val.h5", false, "accuracy", 0.855, 1e-9},
        Case{"vww_96_float.tflite", "vww01_coco_person1000_val.h5", false, "accuracy", 0.855,
             1e-9},
        Case{"ad01_int8.tflite", "ad01_toyadmos_car248_val.h5", false, "auc", 0.8557, 5e-4},
        Case{"ad01_fp32.tflite", "ad01_toyadmos_car248_val.h5", false, "auc", 0.8977, 5e-4}));

TEST(EvalCommand, JsonHasTheDesignKeysAndConsistentCounts) {
  const CliOutcome run = RunCli({"eval", kMlperfTinyDir + "models/kws_ref_model.tflite", "--data",
                           kMlperfTinyDir + "data/kws01_speechcmd1000_val.h5", "--json", "--samples",
                           "40"});
  ASSERT_EQ(run.code, 0) << run.err;
  for (const char* key : {"\"model\": ", "\"data\": ", "\"task\": \"classification\"",
                          "\"samples\": 40", "\"metrics\": {", "\"accuracy\": ", "\"top5\": ",
                          "\"confusion_matrix\": [[", "\"per_class\": [{\"class\": \"down\"",
                          "\"precision\": ", "\"recall\": ", "\"f1\": ", "\"macro_f1\": "}) {
    EXPECT_NE(run.out.find(key), std::string::npos) << key;
  }
  // The confusion matrix holds 12 rows and its counts sum to the sample count.
  const size_t begin = run.out.find("\"confusion_matrix\": [") + 21;
  const size_t end = run.out.find("]]", begin);
  const std::string matrix = run.out.substr(begin, end - begin);
  long sum = 0;
  const std::regex number("[0-9]+");
  for (auto it = std::sregex_iterator(matrix.begin(), matrix.end(), number);
       it != std::sregex_iterator(); ++it) {
    sum += std::stol(it->str());
  }
  EXPECT_EQ(sum, 40);
  EXPECT_EQ(std::count(matrix.begin(), matrix.end(), '['), 12);
  // Exactly one JSON object on one line, braces balanced.
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1);
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '{'),
            std::count(run.out.begin(), run.out.end(), '}'));
}

TEST(EvalCommand, AnomalyJsonHasAuc) {
  const CliOutcome run = RunCli({"eval", kMlperfTinyDir + "models/ad01_int8.tflite", "--data",
                           kMlperfTinyDir + "data/ad01_toyadmos_car248_val.h5", "--json"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("\"metrics\": {\"auc\": "), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("accuracy"), std::string::npos);
}

TEST(EvalCommand, BadTaskAndMissingDataAreUsageErrors) {
  EXPECT_EQ(RunCli({"eval", kMlperfTinyDir + "models/ad01_int8.tflite", "--data",
                     kMlperfTinyDir + "data/ad01_toyadmos_car248_val.h5", "--task", "segmentation"})
                .code,
            kExitBadInput);
  EXPECT_EQ(RunCli({"eval", kMlperfTinyDir + "models/ad01_int8.tflite"}).code, kExitBadInput);
}

TEST(LintCommand, ExitCodes) {
  const CliOutcome clean = RunCli({"lint", kMlperfTinyDir + "models/vww_96_int8.tflite", "--target", "esp32-s3"});
  EXPECT_EQ(clean.code, kExitOk) << clean.out;

  model::Graph graph = model::LoadTfliteFile(kMlperfTinyDir + "models/kws_ref_model.tflite");
  model::Tensor& weight = graph.tensor(graph.ops[0].inputs[1]);
  weight.quantization.zero_points[0] = 3;
  const std::string broken =
      (std::filesystem::temp_directory_path() / "harness_lint_broken.tflite").string();
  model::WriteTfliteFile(graph, broken);
  const CliOutcome bad = RunCli({"lint", broken});
  std::filesystem::remove(broken);
  EXPECT_EQ(bad.code, kExitRegression);
  EXPECT_NE(bad.out.find("weight-zero-point"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("'" + weight.name + "'"), std::string::npos) << bad.out;

  EXPECT_EQ(RunCli({"lint", kMlperfTinyDir + "README.md"}).code, kExitBadInput);
  EXPECT_EQ(RunCli({"lint", kMlperfTinyDir + "models/ad01_int8.tflite", "--target", "esp33"}).code,
            kExitBadInput);
}

}  // namespace
}  // namespace harness::cli
