// `harness convert --equalize`: the written float model has new weights but the same function,
// so `harness eval` gives the float model's figures (for KWS, the README's TFLite-Micro
// reference), and `harness quantize` takes it like any float model.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/model/model_file.h"
#include "harness/model/weight_dequantization.h"
#include "tests/cli/cli_test_support.h"

namespace harness::cli {
namespace {

using test::CliOutcome;
using test::JsonValue;
using test::kMlperfTinyDir;
using test::RunCli;

using ::testing::HasSubstr;

const std::string kDigits = std::string(HARNESS_SOURCE_DIR) + "/datasets/digits/";

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / name).string();
}

double Accuracy(const std::string& model, const std::string& data, bool dequantize = false) {
  std::vector<std::string> args = {"eval", model, "--data", data, "--json"};
  if (dequantize) args.push_back("--dequantize-weights");
  const CliOutcome run = RunCli(args);
  EXPECT_EQ(run.code, 0) << run.err;
  return JsonValue(run.out, "accuracy");
}

TEST(ConvertEqualize, DigitsKeepsItsFunctionAndQuantizes) {
  const std::string plain = TempPath("digits_plain.tflite");
  const std::string equalized = TempPath("digits_equalized.tflite");
  ASSERT_EQ(RunCli({"convert", kDigits + "digits.onnx", "-o", plain}).code, 0);
  const CliOutcome run =
      RunCli({"convert", kDigits + "digits.onnx", "--equalize", "-o", equalized});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("equalized op "));
  EXPECT_THAT(run.out, HasSubstr("DEPTHWISE_CONV_2D"));

  const model::Graph before = model::LoadModelFile(plain);
  const model::Graph after = model::LoadModelFile(equalized);
  EXPECT_EQ(after.ops.size(), before.ops.size());
  EXPECT_NE(after.buffers, before.buffers);

  // Outputs agree to ~1e-6 relative: an argmax flip is possible in principle but would be a
  // near tie; the set's accuracy is the same count of samples.
  const std::string val = kDigits + "val.h5";
  EXPECT_DOUBLE_EQ(Accuracy(equalized, val), Accuracy(plain, val));

  const std::string quantized = TempPath("digits_equalized_int8.tflite");
  const CliOutcome quantize = RunCli({"quantize", equalized, "--method", "int8", "--calib",
                                          kDigits + "calib.h5", "-o", quantized});
  ASSERT_EQ(quantize.code, 0) << quantize.err;
  EXPECT_GT(Accuracy(quantized, val), 0.5);  // a working classifier, not noise (10 classes)
}

TEST(ConvertEqualize, KeywordSpottingGivesTheReferenceFloatAccuracy) {
  const std::string equalized = TempPath("kws_equalized.tflite");
  const CliOutcome run = RunCli(
      {"convert", kMlperfTinyDir + "models/kws_ref_model_float32.tflite", "--equalize", "-o", equalized});
  ASSERT_EQ(run.code, 0) << run.err;
  // The hybrid model's int8 filters were dequantized before equalizing: a plain float model.
  EXPECT_FALSE(model::IsHybrid(model::LoadModelFile(equalized)));
  // 88.75 % = 710 / 800 (README, TFLite-Micro golden); allow one sample for a near tie.
  EXPECT_NEAR(Accuracy(equalized, kMlperfTinyDir + "data/kws01_speechcmd1000_val.h5"), 0.8875,
              1.0 / 800 + 1e-9);
}

TEST(ConvertEqualize, UnknownFlagIsBadUsage) {
  const CliOutcome run = RunCli(
      {"convert", kDigits + "digits.onnx", "--equalise", "-o", TempPath("never_written.tflite")});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("--equalise"));
}

}  // namespace
}  // namespace harness::cli
