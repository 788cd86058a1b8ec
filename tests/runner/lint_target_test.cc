// ToLintTarget: the lint rules of a suite target. A target with int16 activations runs TFLite's
// 16x8 kernels, whose weighted ops take INT64 biases, so INT64 must be allowed exactly there.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace harness::runner
