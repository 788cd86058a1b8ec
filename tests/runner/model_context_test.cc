// PrepareModel applies a suite model's `input` and `windows` overrides to both of its sets, on
// the shipped windowed anomaly model (windows of 8 frames every 4 over 64-frame streams,
// scale 1/16, offset -8 in the set's attributes).
#include "harness/runner/model_context.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/common/error.h"

namespace harness::runner {
namespace {

const std::string kFolder = std::string(HARNESS_SOURCE_DIR) + "/datasets/windowed/";
constexpr size_t kSamples = 200;  // all: the anomalous samples are the last 50

suite::ModelSpec WindowedSpec() {
  suite::ModelSpec spec;
  spec.name = "windowed";
  spec.place = "suite.yaml:7:5";
  spec.path = kFolder + "windowed.tflite";
  spec.task = eval::Task::kAnomaly;
  spec.validation.data = kFolder + "val.h5";
  spec.calibration = suite::SetSpec{kFolder + "calib.h5", 4, std::nullopt, {}};
  return spec;
}

TEST(ModelContextOverrides, AnInputOverrideEqualToTheAttributesChangesNothing) {
  const suite::ModelSpec plain = WindowedSpec();
  suite::ModelSpec same = WindowedSpec();
  same.input.scale = 0.0625;
  same.input.offset = -8.0;
  same.windows = suite::WindowOverride{8, 4};
  const auto a = PrepareModel(plain, true, false);
  const auto b = PrepareModel(same, true, false);
  EXPECT_EQ(a->float_metrics.outputs, b->float_metrics.outputs);
  EXPECT_EQ(a->float_metrics.anomaly_scores, b->float_metrics.anomaly_scores);
  EXPECT_EQ(a->float_metrics.auc, b->float_metrics.auc);
  ASSERT_EQ(a->calibration.has_value(), b->calibration.has_value());
}

TEST(ModelContextOverrides, AStrideOverrideKeepsEveryOtherWindow) {
  const auto stride4 = PrepareModel(WindowedSpec(), false, false);
  suite::ModelSpec spec = WindowedSpec();
  spec.windows = suite::WindowOverride{8, 8};
  const auto stride8 = PrepareModel(spec, true, false);
  // (64 - 8) / 4 + 1 = 15 windows against (64 - 8) / 8 + 1 = 8, in both sets.
  ASSERT_EQ(stride4->validation->windows_per_sample(), 15u);
  ASSERT_EQ(stride8->validation->windows_per_sample(), 8u);
  EXPECT_EQ(stride8->calibration_set->windows_per_sample(), 8u);
  // Window w at stride 8 starts at frame 8w, the start of window 2w at stride 4: the float model
  // sees the same input and gives the same output.
  const size_t elements = stride4->float_metrics.output_elements;
  ASSERT_EQ(stride8->float_metrics.output_elements, elements);
  ASSERT_EQ(stride8->float_metrics.outputs.size(), kSamples * 8 * elements);
  for (size_t s = 0; s < kSamples; ++s) {
    for (size_t w = 0; w < 8; ++w) {
      for (size_t e = 0; e < elements; ++e) {
        ASSERT_EQ(stride8->float_metrics.outputs[(s * 8 + w) * elements + e],
                  stride4->float_metrics.outputs[(s * 15 + 2 * w) * elements + e])
            << "sample " << s << " window " << w;
      }
    }
  }
}

TEST(ModelContextOverrides, AScaleOverrideReachesTheModelInput) {
  suite::ModelSpec spec = WindowedSpec();
  spec.input.scale = 0.125;  // twice the set's
  const auto context = PrepareModel(spec, false, false);
  EXPECT_EQ(context->validation->scale(), 0.125f);
  EXPECT_EQ(context->validation->offset(), -8.0f);  // kept
  const auto plain = PrepareModel(WindowedSpec(), false, false);
  EXPECT_NE(context->float_metrics.anomaly_scores, plain->float_metrics.anomaly_scores);
  // stored = (plain value + 8) * 16, so the overridden value is stored / 8 - 8.
  const float plain_value = plain->validation->FloatSample(3)[100];
  EXPECT_EQ(context->validation->FloatSample(3)[100], (plain_value + 8.0f) * 16.0f / 8.0f - 8.0f);
}

TEST(ModelContextOverrides, AWindowLongerThanTheStreamNamesTheSuiteLine) {
  suite::ModelSpec spec = WindowedSpec();
  spec.windows = suite::WindowOverride{100, 1};
  try {
    PrepareModel(spec, false, false);
    ADD_FAILURE() << "expected harness::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.place().rfind("suite.yaml:7:5", 0), 0u) << error.place();
    EXPECT_NE(error.place().find("window_length override"), std::string::npos) << error.place();
  }
}

}  // namespace
}  // namespace harness::runner
