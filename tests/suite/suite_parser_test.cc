// LoadSuite on small suites written to a temporary folder next to dummy model and set files
// (the parser checks only that they exist). Every malformed case checks the exact
// "file:line:column" and the gist of the message.

#include "harness/suite/suite_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "harness/common/error.h"

namespace harness::suite {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class SuiteParserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) /
            ("suite_parser_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "suites");
    fs::create_directories(root_ / "models");
    fs::create_directories(root_ / "data");
    for (const char* file : {"models/digits.tflite", "models/ssd.onnx", "data/calib.h5",
                             "data/val.h5"}) {
      std::ofstream(root_ / file) << "dummy";
    }
  }
  void TearDown() override { fs::remove_all(root_); }

  // Writes the suite and returns its path as LoadSuite will name it in errors.
  std::string Write(const std::string& yaml) const {
    const fs::path path = root_ / "suites" / "test.yaml";
    std::ofstream(path) << yaml;
    return path.string();
  }

  std::string Resolved(const char* relative) const {
    return (root_ / relative).lexically_normal().string();
  }

  struct Failure {
    std::string place;
    std::string message;
  };
  // Loads `yaml`, which must fail; returns where and why.
  Failure LoadFailing(const std::string& yaml) const {
    const std::string path = Write(yaml);
    try {
      LoadSuite(path);
    } catch (const Error& error) {
      return {error.place(), error.message()};
    }
    ADD_FAILURE() << "LoadSuite accepted a malformed suite:\n" << yaml;
    return {};
  }

  std::string At(int line, int column) const {
    return (root_ / "suites" / "test.yaml").string() + ":" + std::to_string(line) + ":" +
           std::to_string(column);
  }

  fs::path root_;
};

// A minimal valid suite whose line N (1-based) is easy to count; tests append to it.
const std::string kHeader =
    "suite: tiny\n"                                      // 1
    "target: esp32-s3\n"                                 // 2
    "models:\n"                                          // 3
    "  - path: ../models/digits.tflite\n"                // 4
    "    calibration: {data: ../data/calib.h5}\n"        // 5
    "    validation: {data: ../data/val.h5}\n";          // 6

TEST_F(SuiteParserTest, FullSuiteFillsEveryField) {
  const std::string path = Write(R"(suite: esp32
target: esp32-s3
baseline: ../reports/baselines/esp32.json
defaults:
  calibration: {samples: 100, seed: 7}
  validation: {samples: 500}
  latency: {repeats: 20}
models:
  - name: digits
    path: ../models/digits.tflite
    task: classification
    calibration: {data: ../data/calib.h5, samples: 200}
    validation: {data: ../data/val.h5}
    input: {scale: 0.00390625, offset: -1.5}
    windows: {length: 5, stride: 2}
    latency: {repeats: 50, warmup: 3}
  - path: ../models/ssd.onnx
    task: detection
    calibration: {data: ../data/calib.h5}
    validation: {data: ../data/val.h5, samples: 1000, seed: 1}
    detection: {decoder: ssd, score_threshold: 0.25, iou_threshold: 0.5, max_detections: 12}
methods:
  - fp32
  - dynamic
  - fp16
  - {method: int8, calibrators: [minmax, percentile, entropy, mse]}
  - {method: int8, calibrator: percentile, percentile: 99.9, name: int8-p999}
  - {method: int8, calibrator: minmax, options: {per_channel_fc: true, float_io: false, bias_correction: true, equalization: true}}
  - int16x8
  - {method: mixed, calibrator: entropy, budget: {accuracy_drop: 0.5}}
tolerances:
  accuracy: 0.5
  auc: 0.005
  map: 0.01
  size_bytes: 0
  default: 0.25
)");
  const Suite suite = LoadSuite(path);
  EXPECT_EQ(suite.name, "esp32");
  EXPECT_EQ(suite.path, path);
  EXPECT_EQ(suite.baseline, Resolved("reports/baselines/esp32.json"));
  EXPECT_EQ(suite.target.name, "esp32-s3");
  EXPECT_EQ(suite.target.sram_bytes, 524288);
  EXPECT_EQ(suite.target.flash_bytes, 8388608);

  ASSERT_EQ(suite.models.size(), 2u);
  const ModelSpec& digits = suite.models[0];
  EXPECT_EQ(digits.name, "digits");
  EXPECT_EQ(digits.path, Resolved("models/digits.tflite"));
  EXPECT_EQ(digits.task, eval::Task::kClassification);
  ASSERT_TRUE(digits.calibration.has_value());
  EXPECT_EQ(digits.calibration->data, Resolved("data/calib.h5"));
  EXPECT_EQ(digits.calibration->samples, 200);  // the model's own count wins...
  EXPECT_EQ(digits.calibration->seed, 7u);      // ...the default seed still applies
  EXPECT_EQ(digits.validation.data, Resolved("data/val.h5"));
  EXPECT_EQ(digits.validation.samples, 500);
  EXPECT_FALSE(digits.validation.seed.has_value());
  EXPECT_EQ(digits.input.scale, 0.00390625);
  EXPECT_EQ(digits.input.offset, -1.5);
  ASSERT_TRUE(digits.windows.has_value());
  EXPECT_EQ(digits.windows->length, 5);
  EXPECT_EQ(digits.windows->stride, 2);
  EXPECT_FALSE(digits.detection.has_value());
  EXPECT_EQ(digits.latency.repeats, 50);
  EXPECT_EQ(digits.latency.warmup, 3);

  const ModelSpec& ssd = suite.models[1];
  EXPECT_EQ(ssd.name, "ssd");  // the file stem
  EXPECT_EQ(ssd.path, Resolved("models/ssd.onnx"));
  EXPECT_EQ(ssd.task, eval::Task::kDetection);
  ASSERT_TRUE(ssd.calibration.has_value());
  EXPECT_EQ(ssd.calibration->samples, 100);
  EXPECT_EQ(ssd.calibration->seed, 7u);
  EXPECT_EQ(ssd.validation.samples, 1000);
  EXPECT_EQ(ssd.validation.seed, 1u);
  EXPECT_FALSE(ssd.input.scale.has_value());
  EXPECT_FALSE(ssd.input.offset.has_value());
  EXPECT_FALSE(ssd.windows.has_value());
  ASSERT_TRUE(ssd.detection.has_value());
  EXPECT_EQ(ssd.detection->decoder, "ssd");
  EXPECT_EQ(ssd.detection->score_threshold, 0.25);
  EXPECT_EQ(ssd.detection->iou_threshold, 0.5);
  EXPECT_EQ(ssd.detection->max_detections, 12);
  EXPECT_EQ(ssd.latency.repeats, 20);
  EXPECT_EQ(ssd.latency.warmup, 1);

  ASSERT_EQ(suite.methods.size(), 11u);
  const std::vector<std::pair<Method, Calibrator>> expected = {
      {Method::kFp32, Calibrator::kNone},        {Method::kDynamic, Calibrator::kNone},
      {Method::kFp16, Calibrator::kNone},        {Method::kInt8, Calibrator::kMinMax},
      {Method::kInt8, Calibrator::kPercentile},  {Method::kInt8, Calibrator::kEntropy},
      {Method::kInt8, Calibrator::kMse},         {Method::kInt8, Calibrator::kPercentile},
      {Method::kInt8, Calibrator::kMinMax},      {Method::kInt16x8, Calibrator::kMinMax},
      {Method::kMixed, Calibrator::kEntropy}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(suite.methods[i].method, expected[i].first) << i;
    EXPECT_EQ(suite.methods[i].calibrator, expected[i].second) << i;
  }
  EXPECT_EQ(suite.methods[4].percentile, 99.99);  // default
  EXPECT_EQ(suite.methods[7].percentile, 99.9);
  EXPECT_EQ(suite.methods[7].display_name, "int8-p999");
  const QuantOptions all_but_float_io{true, false, true, true};
  EXPECT_EQ(suite.methods[8].options, all_but_float_io);
  EXPECT_EQ(suite.methods[8].display_name,
            "int8/minmax+per_channel_fc+bias_correction+equalization");
  EXPECT_EQ(suite.methods[3].options, QuantOptions{});
  EXPECT_EQ(suite.methods[10].accuracy_drop_budget, 0.5);
  EXPECT_EQ(suite.methods[9].accuracy_drop_budget, 1.0);

  EXPECT_EQ(suite.tolerances.Given("accuracy"), 0.5);
  EXPECT_EQ(suite.tolerances.Given("auc"), 0.005);
  EXPECT_EQ(suite.tolerances.Given("map"), 0.01);
  EXPECT_EQ(suite.tolerances.Given("size_bytes"), 0.0);
  EXPECT_EQ(suite.tolerances.Given("latency_us"), 0.25);  // default
  EXPECT_FALSE(suite.tolerances.Lists("latency_us"));
  EXPECT_EQ(suite.tolerances.per_metric.size(), 4u);

  const std::vector<ResultSpec> results = ExpandMethods(suite);
  ASSERT_EQ(results.size(), 22u);
  EXPECT_EQ(results[5].id, "digits/int8/entropy");
  EXPECT_EQ(results[11].id, "ssd/fp32");
  EXPECT_EQ(results[21].id, "ssd/mixed/entropy");
}

TEST_F(SuiteParserTest, DefaultsForOptionalKeys) {
  const Suite suite = LoadSuite(Write(kHeader + "methods: [int8]\n"));
  EXPECT_EQ(suite.name, "tiny");
  EXPECT_TRUE(suite.baseline.empty());
  ASSERT_EQ(suite.models.size(), 1u);
  EXPECT_EQ(suite.models[0].name, "digits");
  EXPECT_EQ(suite.models[0].task, eval::Task::kUnspecified);
  EXPECT_FALSE(suite.models[0].calibration->samples.has_value());  // all rows
  EXPECT_FALSE(suite.models[0].validation.samples.has_value());
  EXPECT_EQ(suite.models[0].latency.repeats, 10);
  ASSERT_EQ(suite.methods.size(), 1u);
  EXPECT_EQ(suite.methods[0].calibrator, Calibrator::kMinMax);  // the default calibrator
  EXPECT_EQ(suite.methods[0].display_name, "int8/minmax");
  // No tolerances block: each metric keeps its own default policy (report/metric_policy.h).
  EXPECT_FALSE(suite.tolerances.Given("accuracy").has_value());
  EXPECT_EQ(suite.tolerances.significance, kDefaultSignificance);
}

TEST_F(SuiteParserTest, ToleranceKeysAreTheReportsMetricNamesAndShortFormsStillRead) {
  const Suite suite = LoadSuite(Write(kHeader + "methods: [fp32]\ntolerances:\n"
                                                "  top1_agreement: 2\n  f1: 1.5\n"
                                                "  significance: 0.05\n"));
  EXPECT_EQ(suite.tolerances.Given("top1_agreement"), 2.0);
  EXPECT_EQ(suite.tolerances.Given("macro_f1"), 1.5);  // `f1` is the short form
  EXPECT_TRUE(suite.tolerances.Lists("macro_f1"));
  EXPECT_EQ(suite.tolerances.significance, 0.05);
}

TEST_F(SuiteParserTest, ShortAndLongFormOfOneToleranceIsAnError) {
  const Failure failure =
      LoadFailing(kHeader + "methods: [fp32]\ntolerances:\n  agreement: 1\n  top1_agreement: 2\n");
  EXPECT_THAT(failure.message, HasSubstr("name the same metric"));
}

TEST_F(SuiteParserTest, MisspelledToleranceSuggestsTheReportsName) {
  const Failure failure =
      LoadFailing(kHeader + "methods: [fp32]\ntolerances:\n  top1_agrement: 0.5\n");
  EXPECT_EQ(failure.place, At(9, 3));
  EXPECT_THAT(failure.message, HasSubstr("(did you mean 'top1_agreement'?)"));
}

TEST_F(SuiteParserTest, SignificanceOutsideZeroOneIsAnError) {
  const Failure failure =
      LoadFailing(kHeader + "methods: [fp32]\ntolerances: {significance: 1.5}\n");
  EXPECT_EQ(failure.place, At(8, 28));
  EXPECT_THAT(failure.message, HasSubstr("significance level in (0, 1)"));
}

TEST_F(SuiteParserTest, SuiteNameDefaultsToFileStem) {
  const Suite suite = LoadSuite(Write(kHeader.substr(kHeader.find('\n') + 1) + "methods: [fp32]\n"));
  EXPECT_EQ(suite.name, "test");
}

TEST_F(SuiteParserTest, CalibrationIsOptionalWithoutCalibratedMethods) {
  const Suite suite = LoadSuite(Write(R"(target: esp32-s3
models:
  - path: ../models/digits.tflite
    validation: {data: ../data/val.h5}
methods: [fp32, dynamic, fp16]
)"));
  EXPECT_FALSE(suite.models[0].calibration.has_value());
}

TEST_F(SuiteParserTest, AModelsSamplesIsADemandADefaultALimit) {
  const Suite suite = LoadSuite(Write(R"(target: esp32-s3
defaults:
  calibration: {samples: 500}
models:
  - path: ../models/digits.tflite
    calibration: {data: ../data/calib.h5}
    validation: {data: ../data/val.h5, samples: 300}
methods: [int8]
)"));
  const ModelSpec& model = suite.models[0];
  // The model's own count keeps its place, so a set too small for it names the line.
  EXPECT_EQ(model.validation.samples_place, At(7, 49));
  EXPECT_EQ(UsedRows(model.validation, 300), 300u);
  try {
    UsedRows(model.validation, 299);
    ADD_FAILURE() << "300 rows taken from a set of 299";
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), At(7, 49));
    EXPECT_THAT(e.message(),
                HasSubstr("samples: 300, but " + Resolved("data/val.h5") + " holds 299 rows"));
  }
  // The default is an upper limit: a smaller set is used whole, a larger one cut to it.
  ASSERT_TRUE(model.calibration);
  EXPECT_EQ(model.calibration->samples, 500);
  EXPECT_TRUE(model.calibration->samples_place.empty());
  EXPECT_EQ(UsedRows(*model.calibration, 100), 100u);
  EXPECT_EQ(UsedRows(*model.calibration, 800), 500u);
  // No count: every row.
  EXPECT_EQ(UsedRows(SetSpec{}, 42), 42u);
}

TEST_F(SuiteParserTest, CustomTarget) {
  const Suite suite = LoadSuite(Write(R"(target:
  name: tiny-mcu
  sram_bytes: 262144
  flash_bytes: 1048576
  ops: [CONV_2D, FULLY_CONNECTED, SOFTMAX]
  types: [int8, float32]
  slow_types: [float32]
models:
  - path: ../models/digits.tflite
    validation: {data: ../data/val.h5}
methods: [fp32]
)"));
  EXPECT_EQ(suite.target.name, "tiny-mcu");
  EXPECT_EQ(suite.target.sram_bytes, 262144);
  EXPECT_EQ(suite.target.flash_bytes, 1048576);
  EXPECT_EQ(suite.target.ops, (std::vector<std::string>{"CONV_2D", "FULLY_CONNECTED", "SOFTMAX"}));
  EXPECT_TRUE(suite.target.SupportsType(ElementType::kInt8));
  EXPECT_FALSE(suite.target.SupportsType(ElementType::kInt16));
  EXPECT_TRUE(suite.target.IsSlow(ElementType::kFloat32));
  EXPECT_FALSE(suite.target.IsSlow(ElementType::kInt8));
}

TEST_F(SuiteParserTest, NamedCalibratorListPrefixesEachCalibrator) {
  const Suite suite = LoadSuite(
      Write(kHeader + "methods:\n  - {method: int8, calibrators: [mse, entropy], name: q}\n"));
  ASSERT_EQ(suite.methods.size(), 2u);
  EXPECT_EQ(suite.methods[0].display_name, "q/mse");
  EXPECT_EQ(suite.methods[1].display_name, "q/entropy");
}

// --- malformed suites ------------------------------------------------------------------------

TEST_F(SuiteParserTest, SyntaxError) {
  const Failure failure = LoadFailing(kHeader + "methods: [fp32\n");
  // yaml-cpp reports the unclosed flow sequence where it gave up: the end of input.
  EXPECT_EQ(failure.place, At(8, 1));
  EXPECT_THAT(failure.message, HasSubstr("YAML syntax error"));
}

TEST_F(SuiteParserTest, SyntaxErrorBadIndentation) {
  const Failure failure = LoadFailing("target: esp32-s3\n models: []\n");
  EXPECT_EQ(failure.place, At(2, 8));
  EXPECT_THAT(failure.message, HasSubstr("YAML syntax error"));
}

TEST_F(SuiteParserTest, UnknownKeySuggestsTheNearestOne) {
  const Failure failure = LoadFailing(kHeader +
                                      "methods:\n"                                   // 7
                                      "  - method: int8\n"                           // 8
                                      "    calibrater: entropy\n");                  // 9
  EXPECT_EQ(failure.place, At(9, 5));
  EXPECT_THAT(failure.message,
              HasSubstr("unknown key 'calibrater' in method (did you mean 'calibrator'?)"));
}

TEST_F(SuiteParserTest, UnknownTopLevelKey) {
  const Failure failure = LoadFailing(kHeader + "method: [fp32]\n");
  EXPECT_EQ(failure.place, At(7, 1));
  EXPECT_THAT(failure.message, HasSubstr("unknown key 'method' in the suite (did you mean "
                                         "'methods'?)"));
}

TEST_F(SuiteParserTest, UnknownKeyFarFromAnyOffersNoSuggestion) {
  const Failure failure = LoadFailing(kHeader + "methods: [fp32]\nzzz: 1\n");
  EXPECT_EQ(failure.place, At(8, 1));
  EXPECT_THAT(failure.message, HasSubstr("unknown key 'zzz'"));
  EXPECT_THAT(failure.message, ::testing::Not(HasSubstr("did you mean")));
}

TEST_F(SuiteParserTest, WrongType) {
  const Failure failure = LoadFailing(
      "target: esp32-s3\n"
      "models:\n"
      "  - path: ../models/digits.tflite\n"
      "    validation: {data: ../data/val.h5, samples: many}\n"
      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(4, 49));
  EXPECT_THAT(failure.message, HasSubstr("expected a positive integer for 'samples', got 'many'"));
}

TEST_F(SuiteParserTest, ListWhereAMappingBelongs) {
  const Failure failure = LoadFailing(kHeader + "methods: [fp32]\ntolerances: [1, 2]\n");
  EXPECT_EQ(failure.place, At(8, 13));
  EXPECT_THAT(failure.message, HasSubstr("expected a mapping for 'tolerances', got a list"));
}

TEST_F(SuiteParserTest, NegativeSampleCount) {
  const Failure failure = LoadFailing(
      "target: esp32-s3\n"
      "defaults:\n"
      "  validation: {samples: -3}\n"
      "models:\n"
      "  - path: ../models/digits.tflite\n"
      "    validation: {data: ../data/val.h5}\n"
      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(3, 25));
  EXPECT_THAT(failure.message, HasSubstr("expected a positive integer for 'samples', got '-3'"));
}

TEST_F(SuiteParserTest, MissingRequiredKey) {
  const Failure failure = LoadFailing(
      "target: esp32-s3\n"
      "models:\n"
      "  - path: ../models/digits.tflite\n"
      "    validation: {samples: 10}\n"
      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(4, 17));
  EXPECT_THAT(failure.message, HasSubstr("missing required key 'data' in 'validation'"));
}

TEST_F(SuiteParserTest, MissingTarget) {
  const Failure failure = LoadFailing(
      "suite: tiny\n"
      "models:\n"
      "  - path: ../models/digits.tflite\n"
      "    validation: {data: ../data/val.h5}\n"
      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(1, 1));
  EXPECT_THAT(failure.message, HasSubstr("missing required key 'target' in the suite"));
}

TEST_F(SuiteParserTest, MissingCalibrationForACalibratedMethod) {
  const Failure failure = LoadFailing(
      "target: esp32-s3\n"
      "models:\n"
      "  - path: ../models/digits.tflite\n"
      "    validation: {data: ../data/val.h5}\n"
      "methods: [fp32, {method: mixed, calibrator: mse}]\n");
  EXPECT_EQ(failure.place, At(3, 5));
  EXPECT_THAT(failure.message, HasSubstr("missing required key 'calibration' in model 'digits'"));
  EXPECT_THAT(failure.message, HasSubstr("'mixed/mse'"));
}

TEST_F(SuiteParserTest, UnknownMethod) {
  const Failure failure = LoadFailing(kHeader + "methods:\n  - fp32\n  - int9\n");
  EXPECT_EQ(failure.place, At(9, 5));
  EXPECT_THAT(failure.message, HasSubstr("unknown method 'int9' (did you mean 'int8'?)"));
  EXPECT_THAT(failure.message, HasSubstr("'fp32', 'dynamic', 'fp16', 'int8', 'int16x8' or 'mixed'"));
}

TEST_F(SuiteParserTest, UnknownCalibrator) {
  const Failure failure =
      LoadFailing(kHeader + "methods:\n  - {method: int8, calibrators: [minmax, entropi]}\n");
  EXPECT_EQ(failure.place, At(8, 42));
  EXPECT_THAT(failure.message, HasSubstr("unknown calibrator 'entropi' (did you mean 'entropy'?)"));
  EXPECT_THAT(failure.message, HasSubstr("'minmax', 'percentile', 'entropy' or 'mse'"));
}

TEST_F(SuiteParserTest, CalibratorOnFp32) {
  const Failure failure = LoadFailing(kHeader + "methods:\n  - {method: fp32, calibrator: minmax}\n");
  EXPECT_EQ(failure.place, At(8, 32));
  EXPECT_THAT(failure.message, HasSubstr("method 'fp32' takes no calibrator"));
}

TEST_F(SuiteParserTest, PercentileWithoutThePercentileCalibrator) {
  const Failure failure =
      LoadFailing(kHeader + "methods:\n  - {method: int8, calibrator: mse, percentile: 99}\n");
  EXPECT_EQ(failure.place, At(8, 49));
  EXPECT_THAT(failure.message, HasSubstr("'percentile' applies only to the 'percentile' calibrator"));
}

TEST_F(SuiteParserTest, MissingModelFile) {
  const Failure failure = LoadFailing(
      "target: esp32-s3\n"
      "models:\n"
      "  - path: ../models/gone.tflite\n"
      "    validation: {data: ../data/val.h5}\n"
      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(3, 11));
  EXPECT_THAT(failure.message, HasSubstr("file not found: ../models/gone.tflite"));
  EXPECT_THAT(failure.message, HasSubstr(Resolved("models/gone.tflite")));
}

TEST_F(SuiteParserTest, ModelOfAnUnknownFormat) {
  const Failure failure = LoadFailing(
      "target: esp32-s3\n"
      "models:\n"
      "  - path: ../data/val.h5\n"
      "    validation: {data: ../data/val.h5}\n"
      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(3, 11));
  EXPECT_THAT(failure.message, HasSubstr("expected a .tflite or .onnx model"));
}

TEST_F(SuiteParserTest, MissingSetFile) {
  const Failure failure = LoadFailing(
      "target: esp32-s3\n"
      "models:\n"
      "  - path: ../models/digits.tflite\n"
      "    validation: {data: ../datasets/x.h5}\n"
      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(4, 24));
  EXPECT_THAT(failure.message, HasSubstr("file not found: ../datasets/x.h5"));
}

TEST_F(SuiteParserTest, DuplicateIdsFromMethods) {
  const Failure failure = LoadFailing(kHeader +
                                      "methods:\n"                                        // 7
                                      "  - {method: int8, calibrators: [minmax, mse]}\n"  // 8
                                      "  - int8\n");                                      // 9
  EXPECT_EQ(failure.place, At(9, 5));
  EXPECT_THAT(failure.message, HasSubstr("duplicate result id 'digits/int8/minmax'"));
  EXPECT_THAT(failure.message, HasSubstr(At(8, 5)));
}

TEST_F(SuiteParserTest, DuplicateIdsFromModels) {
  const Failure failure = LoadFailing(kHeader +
                                      "  - name: digits\n"                          // 7
                                      "    path: ../models/ssd.onnx\n"              // 8
                                      "    calibration: {data: ../data/calib.h5}\n"
                                      "    validation: {data: ../data/val.h5}\n"
                                      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(7, 5));
  EXPECT_THAT(failure.message, HasSubstr("model name 'digits' is also used by the model at " +
                                         At(4, 5)));
}

TEST_F(SuiteParserTest, UnknownTarget) {
  const Failure failure = LoadFailing("target: esp32s3\n");
  EXPECT_EQ(failure.place, At(1, 9));
  EXPECT_THAT(failure.message, HasSubstr("unknown target 'esp32s3' (did you mean 'esp32-s3'?)"));
}

TEST_F(SuiteParserTest, UnknownTask) {
  const Failure failure = LoadFailing(
      "target: esp32-s3\n"
      "models:\n"
      "  - path: ../models/digits.tflite\n"
      "    task: clasification\n"
      "    validation: {data: ../data/val.h5}\n"
      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(4, 11));
  EXPECT_THAT(failure.message,
              HasSubstr("unknown task 'clasification' (did you mean 'classification'?)"));
}

TEST_F(SuiteParserTest, DetectionSettingsOnAClassificationModel) {
  const Failure failure = LoadFailing(
      "target: esp32-s3\n"
      "models:\n"
      "  - path: ../models/digits.tflite\n"
      "    task: classification\n"
      "    validation: {data: ../data/val.h5}\n"
      "    detection: {decoder: ssd}\n"
      "methods: [fp32]\n");
  EXPECT_EQ(failure.place, At(6, 16));
  EXPECT_THAT(failure.message, HasSubstr("'detection' applies only to task 'detection'"));
}

TEST_F(SuiteParserTest, UnknownOpInACustomTarget) {
  const Failure failure = LoadFailing(
      "target: {name: t, sram_bytes: 1, flash_bytes: 1, ops: [CONV2D]}\n");
  EXPECT_EQ(failure.place, At(1, 56));
  EXPECT_THAT(failure.message, HasSubstr("unknown op 'CONV2D' (did you mean 'CONV_2D'?)"));
}

TEST_F(SuiteParserTest, UnknownToleranceMetric) {
  const Failure failure = LoadFailing(kHeader + "methods: [fp32]\ntolerances:\n  acuracy: 0.5\n");
  EXPECT_EQ(failure.place, At(9, 3));
  EXPECT_THAT(failure.message, HasSubstr("unknown key 'acuracy' in 'tolerances' (did you mean "
                                         "'accuracy'?)"));
}

TEST_F(SuiteParserTest, NegativeTolerance) {
  const Failure failure = LoadFailing(kHeader + "methods: [fp32]\ntolerances: {auc: -0.1}\n");
  EXPECT_EQ(failure.place, At(8, 19));
  EXPECT_THAT(failure.message, HasSubstr("expected a non-negative tolerance for 'auc'"));
}

TEST_F(SuiteParserTest, CalibratorAndCalibratorsTogether) {
  const Failure failure = LoadFailing(
      kHeader + "methods:\n  - {method: int8, calibrator: mse, calibrators: [minmax]}\n");
  EXPECT_EQ(failure.place, At(8, 50));
  EXPECT_THAT(failure.message, HasSubstr("either 'calibrator' or 'calibrators', not both"));
}

TEST_F(SuiteParserTest, EmptyFile) {
  const Failure failure = LoadFailing("");
  EXPECT_THAT(failure.message, HasSubstr("the suite is empty"));
}

TEST(LoadSuiteTest, UnreadableFileNamesIt) {
  try {
    LoadSuite("no/such/suite.yaml");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.place(), "no/such/suite.yaml");
    EXPECT_THAT(error.message(), HasSubstr("cannot open"));
  }
}

TEST(LoadSuiteTest, FolderGivenAsSuiteNamesIt) {
  const std::string folder = std::filesystem::temp_directory_path().string();
  try {
    LoadSuite(folder);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.place(), folder);
    EXPECT_EQ(error.message(), "is a folder, not a suite file");
  }
}

// `keep`: the precision mixed keeps its sensitive layers at. float32 is the default and keeps
// the old display name; int16x8 names itself after the method so both fit in one suite.
TEST_F(SuiteParserTest, MixedKeepSetsThePrecisionAndTheDisplayName) {
  const std::string path = Write(kHeader +
                                 "methods:\n"
                                 "  - mixed\n"
                                 "  - {method: mixed, keep: float32, calibrator: entropy}\n"
                                 "  - {method: mixed, keep: int16x8}\n"
                                 "  - {method: mixed, keep: int16x8, calibrators: [minmax, mse],\n"
                                 "     options: {bias_correction: true}}\n");
  const Suite suite = LoadSuite(path);
  ASSERT_EQ(suite.methods.size(), 5u);
  const std::vector<std::pair<MixedKeep, std::string>> expected = {
      {MixedKeep::kFloat32, "mixed/minmax"},
      {MixedKeep::kFloat32, "mixed/entropy"},
      {MixedKeep::kInt16x8, "mixed+int16x8/minmax"},
      {MixedKeep::kInt16x8, "mixed+int16x8/minmax+bias_correction"},
      {MixedKeep::kInt16x8, "mixed+int16x8/mse+bias_correction"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(suite.methods[i].keep, expected[i].first) << i;
    EXPECT_EQ(suite.methods[i].display_name, expected[i].second) << i;
  }
  const std::vector<ResultSpec> results = ExpandMethods(suite);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[2].id, "digits/mixed+int16x8/minmax");
}

TEST_F(SuiteParserTest, MixedKeepUnknownPrecision) {
  const Failure failure = LoadFailing(kHeader + "methods:\n  - {method: mixed, keep: int16}\n");
  EXPECT_EQ(failure.place, At(8, 27));
  EXPECT_THAT(failure.message,
              HasSubstr("unknown precision 'int16' for 'keep' (did you mean 'int16x8'?)"));
  EXPECT_THAT(failure.message, HasSubstr("'float32' or 'int16x8'"));
}

TEST_F(SuiteParserTest, MixedKeepNotAScalar) {
  const Failure failure = LoadFailing(kHeader + "methods:\n  - {method: mixed, keep: [int16x8]}\n");
  EXPECT_EQ(failure.place, At(8, 27));
  EXPECT_THAT(failure.message, HasSubstr("'keep'"));
}

TEST_F(SuiteParserTest, MixedKeepOnAnotherMethod) {
  const Failure failure = LoadFailing(kHeader + "methods:\n  - {method: int8, keep: int16x8}\n");
  EXPECT_EQ(failure.place, At(8, 26));
  EXPECT_THAT(failure.message, HasSubstr("'keep' applies only to method 'mixed'"));
}

}  // namespace
}  // namespace harness::suite
