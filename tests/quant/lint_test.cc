// The spec check against the TF converter's int8 models (clean) and against copies of them
// broken by hand in the IR, one rule at a time: each must fail with that rule and tensor named.

#include "harness/quant/lint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/model/tflite_loader.h"
#include "harness/quant/op_version.h"

namespace harness::quant {
namespace {

using model::Graph;
using model::OpType;

Graph LoadModel(const std::string& name) {
  return model::LoadTfliteFile(std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/" + name);
}

size_t FirstOp(const Graph& graph, OpType type) {
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    if (graph.ops[i].type == type) return i;
  }
  ADD_FAILURE() << "no " << model::ToString(type);
  return 0;
}

// True when the report has an error of `rule` on op `op` naming `tensor`.
bool HasError(const LintReport& report, const std::string& rule, size_t op,
              const std::string& tensor) {
  return std::any_of(report.findings.begin(), report.findings.end(), [&](const LintFinding& f) {
    return f.rule == rule && f.severity == LintSeverity::kError &&
           f.op_index == static_cast<int32_t>(op) && f.tensor == tensor;
  });
}

class ConverterModels : public ::testing::TestWithParam<const char*> {};

TEST_P(ConverterModels, PassSpecAndTarget) {
  const Graph graph = LoadModel(GetParam());
  const LintReport spec = Lint(graph);
  EXPECT_TRUE(spec.findings.empty()) << spec.findings.front().rule << ": "
                                     << spec.findings.front().message;
  EXPECT_EQ(Lint(graph, LintTarget::Esp32S3()).findings.size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Int8, ConverterModels,
                         ::testing::Values("kws_ref_model.tflite", "vww_96_int8.tflite",
                                           "ad01_int8.tflite"));

TEST(Lint, WeightZeroPointThree) {
  Graph graph = LoadModel("kws_ref_model.tflite");
  const size_t op = FirstOp(graph, OpType::kConv2D);
  model::Tensor& weight = graph.tensor(graph.ops[op].inputs[1]);
  weight.quantization.zero_points[5] = 3;
  EXPECT_TRUE(HasError(Lint(graph), "weight-zero-point", op, weight.name));
}

TEST(Lint, WeightOfMinus128) {
  Graph graph = LoadModel("vww_96_int8.tflite");
  const size_t op = FirstOp(graph, OpType::kDepthwiseConv2D);
  const int32_t index = graph.ops[op].inputs[1];
  // Buffers may be shared between tensors; give the weight its own copy before editing it.
  std::vector<uint8_t> bytes = graph.data(index);
  bytes[7] = 0x80;  // int8 -128
  graph.tensor(index).buffer = graph.AddBuffer(std::move(bytes));
  const LintReport report = Lint(graph);
  EXPECT_TRUE(HasError(report, "weight-range", op, graph.tensor(index).name));
  EXPECT_EQ(report.errors(), 1u);
}

TEST(Lint, BiasScaleOffByTenPercent) {
  Graph graph = LoadModel("ad01_int8.tflite");
  const size_t op = 3;
  ASSERT_EQ(graph.ops[op].type, OpType::kFullyConnected);
  model::Tensor& bias = graph.tensor(graph.ops[op].inputs[2]);
  bias.quantization.scales[0] *= 1.1f;
  const LintReport report = Lint(graph);
  EXPECT_TRUE(HasError(report, "bias-scale", op, bias.name));
  EXPECT_EQ(report.errors(), 1u);
}

TEST(Lint, BiasScaleWithinRoundingPasses) {
  Graph graph = LoadModel("ad01_int8.tflite");
  model::Tensor& bias = graph.tensor(graph.ops[0].inputs[2]);
  bias.quantization.scales[0] = std::nextafter(bias.quantization.scales[0], 1.0f);
  EXPECT_FALSE(Lint(graph).has_errors());
}

TEST(Lint, SoftmaxOutputScaleOneOver255) {
  Graph graph = LoadModel("kws_ref_model.tflite");
  const size_t op = FirstOp(graph, OpType::kSoftmax);
  model::Tensor& output = graph.tensor(graph.ops[op].outputs[0]);
  output.quantization.scales[0] = 1.0f / 255.0f;
  EXPECT_TRUE(HasError(Lint(graph), "fixed-output", op, output.name));
}

TEST(Lint, WrongQuantizedDimension) {
  Graph graph = LoadModel("vww_96_int8.tflite");
  const size_t op = FirstOp(graph, OpType::kDepthwiseConv2D);
  model::Tensor& weight = graph.tensor(graph.ops[op].inputs[1]);
  weight.quantization.quantized_dimension = 0;
  EXPECT_TRUE(HasError(Lint(graph), "per-axis", op, weight.name));
}

TEST(Lint, TooLowOpVersionIsAnErrorTooHighAWarning) {
  Graph graph = LoadModel("kws_ref_model.tflite");
  const size_t op = FirstOp(graph, OpType::kConv2D);
  graph.ops[op].version = 1;
  const std::string output = graph.tensor(graph.ops[op].outputs[0]).name;
  EXPECT_TRUE(HasError(Lint(graph), "op-version", op, output));
  graph.ops[op].version = 4;
  const LintReport report = Lint(graph);
  EXPECT_FALSE(report.has_errors());
  EXPECT_EQ(report.warnings(), 1u);
}

TEST(Lint, ReshapeMustKeepQuantization) {
  Graph graph = LoadModel("kws_ref_model.tflite");
  const size_t op = FirstOp(graph, OpType::kReshape);
  model::Tensor& output = graph.tensor(graph.ops[op].outputs[0]);
  output.quantization.zero_points[0] += 1;
  const std::string input = graph.tensor(graph.ops[op].inputs[0]).name;
  EXPECT_TRUE(HasError(Lint(graph), "equal-params", op, input));
}

TEST(Lint, ActivationZeroPointOutOfRange) {
  Graph graph = LoadModel("ad01_int8.tflite");
  model::Tensor& output = graph.tensor(graph.ops[2].outputs[0]);
  output.quantization.zero_points[0] = 128;
  EXPECT_TRUE(HasError(Lint(graph), "activation-zero-point", 2, output.name));
}

TEST(Lint, TargetFlagsFloatOpsAsWarningsAndHybridAsErrors) {
  const Graph float_graph = LoadModel("vww_96_float.tflite");
  EXPECT_TRUE(Lint(float_graph).findings.empty());
  const LintReport on_target = Lint(float_graph, LintTarget::Esp32S3());
  EXPECT_FALSE(on_target.has_errors());
  EXPECT_EQ(on_target.warnings(), float_graph.ops.size());

  // kws_ref_model_float32 has hybrid CONV_2D ops (int8 filters, float activations).
  const Graph hybrid = LoadModel("kws_ref_model_float32.tflite");
  const LintReport hybrid_report = Lint(hybrid, LintTarget::Esp32S3());
  EXPECT_TRUE(HasError(hybrid_report, "hybrid-op", 0,
                       hybrid.tensor(hybrid.ops[0].inputs[1]).name));
}

TEST(OpVersion, ConverterVersionsOfTheReferenceModels) {
  for (const char* name : {"kws_ref_model.tflite", "vww_96_int8.tflite", "ad01_int8.tflite",
                           "vww_96_float.tflite"}) {
    const Graph graph = LoadModel(name);
    for (size_t i = 0; i < graph.ops.size(); ++i) {
      EXPECT_EQ(ExpectedOpVersion(graph, graph.ops[i]), graph.ops[i].version)
          << name << " op " << i;
    }
  }
  // The hybrid CONV_2D of kws_ref_model_float32: per-tensor filter, version 2.
  const Graph hybrid = LoadModel("kws_ref_model_float32.tflite");
  EXPECT_EQ(ExpectedOpVersion(hybrid, hybrid.ops[0]), 2);
}

}  // namespace
}  // namespace harness::quant
