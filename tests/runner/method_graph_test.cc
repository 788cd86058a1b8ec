// BuildMethodGraph: the model a suite method makes of a prepared model. With `equalization`
// it must be the int8 model of the equalized float graph calibrated on its own, which the
// tests rebuild by hand from the library calls (the second implementation), on the shipped
// digits classifier (whose depthwise-separable blocks have equalizable pairs).
#include "harness/runner/method_graph.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/common/error.h"
#include "harness/eval/input_preparer.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/cross_layer_equalization.h"
#include "tests/runner/model_specs.h"

namespace harness::runner {
namespace {

const std::string kFolder = std::string(HARNESS_SOURCE_DIR) + "/datasets/digits/";
constexpr int64_t kCalibrationSamples = 32;

suite::ModelSpec DigitsSpec() {
  suite::ModelSpec spec =
      test::ModelSpecFor("digits", kFolder + "digits.onnx", eval::Task::kClassification,
                         kFolder + "val.h5", kFolder + "calib.h5", kCalibrationSamples);
  spec.place = "suite.yaml:3:5";
  spec.validation.samples = 16;
  return spec;
}

suite::MethodSpec Int8Minmax(bool equalization) {
  suite::MethodSpec method;
  method.method = suite::Method::kInt8;
  method.calibrator = suite::Calibrator::kMinMax;
  method.options.equalization = equalization;
  return method;
}

TEST(MethodGraph, EqualizationQuantizesTheEqualizedGraphWithItsOwnCalibration) {
  const suite::ModelSpec spec = DigitsSpec();
  const auto context = PrepareModel(spec, ModelNeeds{true, false, true});
  ASSERT_TRUE(context->equalized.has_value());

  quant::EqualizationReport report;
  const model::Graph equalized = quant::EqualizeCrossLayer(context->float_graph, &report);
  ASSERT_FALSE(report.equalized.empty()) << "digits has no equalizable pair: the test proves nothing";
  const runtime::CompiledModel equalized_model{model::Graph(equalized)};
  const eval::Dataset& set = *context->calibration_set;
  const eval::InputPreparer preparer(set, equalized_model.input(0));
  const quant::CalibrationResult calibration = quant::RunCalibration(
      equalized_model, static_cast<size_t>(kCalibrationSamples),
      [&](size_t sample, std::span<std::byte> input) { preparer.Prepare(sample, 0, input); });
  const model::Graph expected =
      quant::Quantize(equalized, quant::Method::kInt8, QuantizeOptionsOf(Int8Minmax(true)), &calibration);

  const MethodGraph built = BuildMethodGraph(*context, Int8Minmax(true), suite::Target{});
  EXPECT_EQ(model::WriteTflite(built.graph), model::WriteTflite(expected));
  EXPECT_FALSE(built.mixed.has_value());

  // And it is not the plain int8 model: equalization changed the weights it quantized.
  const MethodGraph plain = BuildMethodGraph(*context, Int8Minmax(false), suite::Target{});
  EXPECT_NE(model::WriteTflite(built.graph), model::WriteTflite(plain.graph));
}

TEST(MethodGraph, EqualizationNeedsTheEqualizedVariantPrepared) {
  const auto context = PrepareModel(DigitsSpec(), ModelNeeds{true, false, false});
  EXPECT_FALSE(context->equalized.has_value());
  EXPECT_THROW(BuildMethodGraph(*context, Int8Minmax(true), suite::Target{}), Error);
}

TEST(MethodGraph, NeedsFollowTheSelectedMethodsOfEachModel) {
  suite::Suite suite;
  suite.models = {DigitsSpec(), DigitsSpec()};
  suite::MethodSpec fp32;
  fp32.method = suite::Method::kFp32;
  suite::MethodSpec corrected = Int8Minmax(true);
  corrected.options.bias_correction = true;
  suite.methods = {fp32, corrected};
  const std::vector<suite::ResultSpec> selected = {{"a/fp32", 0, 0}, {"b/int8", 1, 1}};
  const ModelNeeds first = NeedsOf(suite, selected, 0);
  EXPECT_FALSE(first.calibration || first.channel_means || first.equalization);
  const ModelNeeds second = NeedsOf(suite, selected, 1);
  EXPECT_TRUE(second.calibration && second.channel_means && second.equalization);
}

}  // namespace
}  // namespace harness::runner
