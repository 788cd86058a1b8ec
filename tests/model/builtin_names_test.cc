#include "harness/model/builtin_names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "harness/model/graph.h"

namespace harness::model {
namespace {

// Values checked against the public TFLite schema (BuiltinOperator), spread over its range.
TEST(BuiltinNames, KnownCodes) {
  EXPECT_STREQ(BuiltinOperatorName(0), "ADD");
  EXPECT_STREQ(BuiltinOperatorName(5), "DEPTH_TO_SPACE");
  EXPECT_STREQ(BuiltinOperatorName(32), "CUSTOM");
  EXPECT_STREQ(BuiltinOperatorName(43), "SQUEEZE");
  EXPECT_STREQ(BuiltinOperatorName(114), "QUANTIZE");
  EXPECT_STREQ(BuiltinOperatorName(117), "HARD_SWISH");
  EXPECT_STREQ(BuiltinOperatorName(126), "BATCH_MATMUL");
  EXPECT_STREQ(BuiltinOperatorName(127), "PLACEHOLDER_FOR_GREATER_OP_CODES");
  EXPECT_STREQ(BuiltinOperatorName(150), "GELU");
  EXPECT_STREQ(BuiltinOperatorName(161), "RIGHT_SHIFT");
  EXPECT_STREQ(BuiltinOperatorName(162), "STABLEHLO_LOGISTIC");
  EXPECT_STREQ(BuiltinOperatorName(195), "STABLEHLO_PAD");
  EXPECT_STREQ(BuiltinOperatorName(203), "DILATE");
  EXPECT_STREQ(BuiltinOperatorName(205), "REDUCE_WINDOW");
  EXPECT_STREQ(BuiltinOperatorName(225), "TEMP_STREAMING_CONV_2D");
}

TEST(BuiltinNames, UndefinedCodes) {
  EXPECT_EQ(BuiltinOperatorName(-1), nullptr);
  EXPECT_EQ(BuiltinOperatorName(206), nullptr);
  EXPECT_EQ(BuiltinOperatorName(224), nullptr);
  EXPECT_EQ(DescribeBuiltinCode(300), "BUILTIN_300");
  EXPECT_EQ(DescribeBuiltinCode(43), "SQUEEZE");
}

TEST(BuiltinNames, NamesAreUnique) {
  std::set<std::string> names;
  int count = 0;
  for (int32_t code = -5; code < 300; ++code) {
    if (const char* name = BuiltinOperatorName(code)) {
      names.insert(name);
      ++count;
    }
  }
  EXPECT_EQ(count, 207);  // 0..205 and 225
  EXPECT_EQ(names.size(), 207u);
}

}  // namespace
}  // namespace harness::model
