// Deployability of a result on a suite target. ToLintTarget: a target with int16 activations
// runs TFLite's 16x8 kernels, whose weighted ops take INT64 biases, so INT64 is allowed exactly
// there. DeploymentProblems: one line per lint rule and message, naming every op it concerns.
#include <gtest/gtest.h>

#include <string>

#include "harness/model/model_file.h"
#include "harness/quant/float16.h"
#include "harness/quant/lint.h"
#include "harness/quant/method.h"
#include "harness/runner/result_job.h"
#include "harness/suite/target.h"

namespace harness::runner {
namespace {

TEST(LintTargetOfSuiteTarget, Esp32S3RunsTheInt64BiasesOf16x8Kernels) {
  const suite::Target* esp32 = suite::FindBuiltinTarget("esp32-s3");
  ASSERT_NE(esp32, nullptr);
  const quant::LintTarget lint = ToLintTarget(*esp32);
  EXPECT_TRUE(lint.types.count(model::DataType::kInt16));
  EXPECT_TRUE(lint.types.count(model::DataType::kInt64));
  EXPECT_TRUE(lint.types.count(model::DataType::kInt32));
  EXPECT_FALSE(lint.types.count(model::DataType::kFloat16));
  EXPECT_FALSE(lint.runs_hybrid_ops);
}

TEST(LintTargetOfSuiteTarget, AnInt8OnlyTargetAllowsNoInt64) {
  suite::Target target = *suite::FindBuiltinTarget("esp32-s3");
  target.types = {suite::ElementType::kInt8};
  const quant::LintTarget lint = ToLintTarget(target);
  EXPECT_TRUE(lint.types.count(model::DataType::kInt8));
  EXPECT_TRUE(lint.types.count(model::DataType::kInt32));  // bias and shape tensors
  EXPECT_FALSE(lint.types.count(model::DataType::kInt16));
  EXPECT_FALSE(lint.types.count(model::DataType::kInt64));
}

TEST(DeploymentProblems, OneLinePerRuleNamingEveryOp) {
  const suite::Target& esp32 = *suite::FindBuiltinTarget("esp32-s3");
  const quant::LintTarget lint_target = ToLintTarget(esp32);
  const model::Graph fp16 = quant::QuantizeFloat16(quant::PrepareFloatGraph(
      model::LoadModelFile(std::string(HARNESS_SOURCE_DIR) + "/datasets/digits/digits.onnx")));

  // The second implementation: the op list read off the lint findings one by one.
  std::string ops;
  size_t count = 0;
  std::string message;
  for (const quant::LintFinding& f : quant::Lint(fp16, lint_target).findings) {
    if (f.severity != quant::LintSeverity::kError) continue;
    ASSERT_EQ(f.rule, "target-type");  // float16 tensors are this model's only problem
    message = f.message;
    ops += (count++ > 0 ? ", " : "") + std::to_string(f.op_index);
  }
  ASSERT_GT(count, 1u);
  const std::vector<std::string> problems = DeploymentProblems(fp16, 1000, 1000, esp32, lint_target);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "target-type: " + message + " (ops " + ops + ")");

  // Over both budgets: one line each, before the lint lines.
  const std::vector<std::string> over =
      DeploymentProblems(fp16, esp32.flash_bytes + 1, esp32.sram_bytes + 1, esp32, lint_target);
  ASSERT_EQ(over.size(), 3u);
  EXPECT_EQ(over[0], "model is " + std::to_string(esp32.flash_bytes + 1) + " bytes, flash budget " +
                         std::to_string(esp32.flash_bytes));
  EXPECT_EQ(over[1].rfind("tensor arena needs ", 0), 0u);
}

}  // namespace
}  // namespace harness::runner
