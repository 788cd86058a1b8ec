// ExpandMethods on suites built by hand: the result matrix, its order and its ids.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/common/error.h"
#include "harness/suite/suite.h"

namespace harness::suite {
namespace {

MethodSpec Make(Method method, Calibrator calibrator, QuantOptions options = {}) {
  MethodSpec spec;
  spec.method = method;
  spec.calibrator = calibrator;
  spec.options = options;
  spec.display_name = DefaultDisplayName(method, calibrator, options);
  return spec;
}

Suite TwoModels() {
  Suite suite;
  suite.path = "suites/x.yaml";
  suite.models.resize(2);
  suite.models[0].name = "digits";
  suite.models[1].name = "kws";
  suite.methods = {Make(Method::kFp32, Calibrator::kNone),
                   Make(Method::kInt8, Calibrator::kEntropy),
                   Make(Method::kInt16x8, Calibrator::kMinMax)};
  return suite;
}

TEST(ExpandMethodsTest, ModelMajorInFileOrder) {
  const std::vector<ResultSpec> results = ExpandMethods(TwoModels());
  std::vector<std::string> ids;
  for (const ResultSpec& result : results) ids.push_back(result.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"digits/fp32", "digits/int8/entropy",
                                           "digits/int16x8/minmax", "kws/fp32",
                                           "kws/int8/entropy", "kws/int16x8/minmax"}));
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[4].model_index, 1u);
  EXPECT_EQ(results[4].method_index, 1u);
}

TEST(ExpandMethodsTest, SameSuiteSameOrder) {
  const Suite suite = TwoModels();
  const auto first = ExpandMethods(suite);
  const auto second = ExpandMethods(suite);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].id, second[i].id);
}

TEST(ExpandMethodsTest, DuplicateIdThrowsNamingTheSuite) {
  Suite suite = TwoModels();
  suite.methods.push_back(Make(Method::kInt8, Calibrator::kEntropy));
  try {
    ExpandMethods(suite);
    FAIL() << "expected a duplicate id error";
  } catch (const Error& error) {
    EXPECT_EQ(error.place(), "suites/x.yaml");
    EXPECT_THAT(error.message(), ::testing::HasSubstr("'digits/int8/entropy'"));
  }
}

TEST(DisplayNameTest, MethodCalibratorAndOptions) {
  EXPECT_EQ(DefaultDisplayName(Method::kFp16, Calibrator::kNone), "fp16");
  EXPECT_EQ(DefaultDisplayName(Method::kMixed, Calibrator::kPercentile), "mixed/percentile");
  QuantOptions options;
  options.float_io = true;
  options.equalization = true;
  EXPECT_EQ(DefaultDisplayName(Method::kInt8, Calibrator::kMse, options),
            "int8/mse+float_io+equalization");
  EXPECT_EQ(DefaultDisplayName(Method::kMixed, Calibrator::kMinMax, {}, MixedKeep::kInt16x8),
            "mixed+int16x8/minmax");
  EXPECT_EQ(DefaultDisplayName(Method::kMixed, Calibrator::kMinMax, {}, MixedKeep::kFloat32),
            "mixed/minmax");
  // keep is a mixed-only setting: other methods ignore it.
  EXPECT_EQ(DefaultDisplayName(Method::kInt8, Calibrator::kMinMax, {}, MixedKeep::kInt16x8),
            "int8/minmax");
}

TEST(MixedKeepNamesTest, ParseIsTheInverseOfToString) {
  ASSERT_EQ(MixedKeepNames().size(), 2u);
  for (const char* name : MixedKeepNames()) {
    ASSERT_TRUE(ParseMixedKeep(name).has_value()) << name;
    EXPECT_STREQ(ToString(*ParseMixedKeep(name)), name);
  }
  EXPECT_FALSE(ParseMixedKeep("int8").has_value());
  EXPECT_FALSE(ParseMixedKeep("float").has_value());
}

TEST(MethodNamesTest, ParseIsTheInverseOfToString) {
  for (const char* name : MethodNames()) {
    ASSERT_TRUE(ParseMethod(name).has_value()) << name;
    EXPECT_STREQ(ToString(*ParseMethod(name)), name);
  }
  for (const char* name : CalibratorNames()) {
    ASSERT_TRUE(ParseCalibrator(name).has_value()) << name;
    EXPECT_STREQ(ToString(*ParseCalibrator(name)), name);
  }
  EXPECT_FALSE(ParseCalibrator("none").has_value());
  EXPECT_FALSE(ParseMethod("INT8").has_value());
  EXPECT_EQ(MethodNames().size(), 6u);
  EXPECT_EQ(CalibratorNames().size(), 4u);
}

TEST(MethodNamesTest, WhichMethodsNeedACalibrator) {
  EXPECT_FALSE(NeedsCalibrator(Method::kFp32));
  EXPECT_FALSE(NeedsCalibrator(Method::kDynamic));
  EXPECT_FALSE(NeedsCalibrator(Method::kFp16));
  EXPECT_TRUE(NeedsCalibrator(Method::kInt8));
  EXPECT_TRUE(NeedsCalibrator(Method::kInt16x8));
  EXPECT_TRUE(NeedsCalibrator(Method::kMixed));
}

}  // namespace
}  // namespace harness::suite
