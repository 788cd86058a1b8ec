#include "harness/suite/target.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "harness/model/op_registry.h"

namespace harness::suite {
namespace {

TEST(BuiltinTargetTest, Esp32S3) {
  const Target* target = FindBuiltinTarget("esp32-s3");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->sram_bytes, 512 * 1024);
  EXPECT_EQ(target->flash_bytes, 8 * 1024 * 1024);
  EXPECT_TRUE(target->SupportsOp("CONV_2D"));
  EXPECT_TRUE(target->SupportsOp("FULLY_CONNECTED"));
  EXPECT_TRUE(target->SupportsOp("SOFTMAX"));
  EXPECT_FALSE(target->SupportsOp("CUSTOM"));
  EXPECT_FALSE(target->SupportsOp("conv_2d"));
  EXPECT_TRUE(target->SupportsType(ElementType::kInt8));
  EXPECT_TRUE(target->SupportsType(ElementType::kInt16));
  EXPECT_TRUE(target->SupportsType(ElementType::kFloat32));
  EXPECT_TRUE(target->IsSlow(ElementType::kFloat32));
  EXPECT_FALSE(target->IsSlow(ElementType::kInt8));
  EXPECT_EQ(FindBuiltinTarget("esp32"), nullptr);
  EXPECT_EQ(BuiltinTargetNames(), std::vector<std::string>{"esp32-s3"});
}

TEST(TfLiteMicroOpNamesTest, SortedAndUnique) {
  const auto ops = TfLiteMicroOpNames();
  ASSERT_FALSE(ops.empty());
  for (size_t i = 1; i < ops.size(); ++i) {
    EXPECT_LT(std::strcmp(ops[i - 1], ops[i]), 0) << ops[i - 1] << " " << ops[i];
  }
}

TEST(ElementTypeTest, NamesMatchToString) {
  const auto names = ElementTypeNames();
  ASSERT_EQ(names.size(), 3u);
  EXPECT_STREQ(ToString(ElementType::kInt8), names[0]);
  EXPECT_STREQ(ToString(ElementType::kInt16), names[1]);
  EXPECT_STREQ(ToString(ElementType::kFloat32), names[2]);
  EXPECT_STREQ(ToString(ElementType::kFloat32), "float32");
}

// harness runs only what TFLite-Micro runs: every op of the op table is in TFLite-Micro's
// resolver, so the ESP32-S3 lint target (which registers the whole table) is right.
TEST(TfLiteMicroOpNamesTest, CoverEveryOpHarnessRuns) {
  const auto ops = TfLiteMicroOpNames();
  for (const model::OpDescriptor* op : model::RegisteredOps()) {
    EXPECT_TRUE(std::any_of(ops.begin(), ops.end(), [&](const char* name) {
      return std::strcmp(name, *op->name) == 0;
    })) << *op->name;
  }
}

}  // namespace
}  // namespace harness::suite
