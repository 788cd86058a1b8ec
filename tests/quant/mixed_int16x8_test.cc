// The mixed-precision search with the int16x8 fallback through the real quantizer: a fake
// scorer that reads the candidate's tensor types (an analysed op costs a known number of points
// unless its output tensor is int16) makes the sensitivities and the selection known in
// advance, and they can only be reached if the fallback precision gets to QuantizeInt8's
// op_precision. The chosen model is then checked as a model: int16 where kept, QUANTIZE ops
// at the boundaries, lint-clean for the ESP32-S3, and it runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "harness/model/graph.h"
#include "harness/quant/calibration.h"
#include "harness/quant/lint.h"
#include "harness/quant/mixed_precision.h"
#include "harness/runtime/compiled_model.h"
#include "tests/quant/small_float_model.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::OpType;
using testing::SmallFloatModel;
using testing::SmallModelSample;

constexpr double kFp32Score = 90.0;

CalibrationResult CalibrateSmallModel(const model::Graph& graph) {
  const runtime::CompiledModel model(graph);
  return RunCalibration(model, 64, [](size_t i, std::span<std::byte> input) {
    const std::vector<float> values = SmallModelSample(i);
    std::memcpy(input.data(), values.data(), input.size());
  });
}

const model::Tensor* Named(const model::Graph& graph, const std::string& name) {
  for (const model::Tensor& tensor : graph.tensors) {
    if (tensor.name == name) return &tensor;
  }
  return nullptr;
}

std::string OutputOf(const model::Graph& graph, size_t op) {
  return graph.tensor(graph.ops[op].outputs.front()).name;
}

// fp32 scores kFp32Score; a candidate loses drop[op] for every analysed op whose output tensor
// (same name as in the float graph) is not int16 in it.
struct Int16AwareScorer {
  const model::Graph* float_graph = nullptr;
  std::map<size_t, double> drop;

  double operator()(const model::Graph& graph) const {
    if (&graph == float_graph) return kFp32Score;
    double score = kFp32Score;
    for (const auto& [op, points] : drop) {
      const model::Tensor* output = Named(graph, OutputOf(*float_graph, op));
      if (output == nullptr || output->type != DataType::kInt16) score -= points;
    }
    return score;
  }
};

class MixedInt16x8Test : public ::testing::Test {
 protected:
  MixedPrecisionResult Select(LayerPrecision fallback, double budget) const {
    MixedPrecisionOptions options;
    options.budget = budget;
    options.fallback = fallback;
    const Int16AwareScorer scorer{&float_graph_, {{0, 2.0}, {2, 0.5}, {4, 0.125}}};
    return SelectMixedPrecision(float_graph_, calibration_, *minmax_, options,
                                [&](const model::Graph& g) { return scorer(g); });
  }

  // Ops of SmallFloatModel: 0 FULLY_CONNECTED, 1 RESHAPE, 2 CONV_2D, 3 RESHAPE, 4 SOFTMAX.
  model::Graph float_graph_ = SmallFloatModel();
  CalibrationResult calibration_ = CalibrateSmallModel(float_graph_);
  std::unique_ptr<Calibrator> minmax_ = MakeCalibrator("minmax");
};

TEST_F(MixedInt16x8Test, SensitivitiesAndSelectionAreMeasuredInInt16) {
  // int8 loses 2.625; keeping op 0 leaves 0.625, op 2 too 0.125: a 0.3 budget needs both.
  const MixedPrecisionResult result = Select(LayerPrecision::kInt16x8, 0.3);
  EXPECT_DOUBLE_EQ(result.fp32_score, kFp32Score);
  EXPECT_DOUBLE_EQ(result.int8_score, kFp32Score - 2.625);
  ASSERT_EQ(result.layers.size(), 3u);
  const std::vector<std::pair<int32_t, double>> expected = {{0, 2.0}, {2, 0.5}, {4, 0.125}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(result.layers[i].op_index, expected[i].first);
    EXPECT_DOUBLE_EQ(result.layers[i].sensitivity, expected[i].second) << "op " << expected[i].first;
  }
  EXPECT_EQ(result.kept_ops, (std::vector<int32_t>{0, 2}));
  EXPECT_TRUE(result.budget_met);
  EXPECT_DOUBLE_EQ(result.final_score, kFp32Score - 0.125);
  const std::vector<LayerPrecision> chosen = {LayerPrecision::kInt16x8, LayerPrecision::kDefault,
                                              LayerPrecision::kInt16x8, LayerPrecision::kDefault,
                                              LayerPrecision::kDefault};
  EXPECT_EQ(result.op_precision, chosen);
  EXPECT_EQ(result.layers[0].precision, LayerPrecision::kInt16x8);
  EXPECT_EQ(result.layers[2].precision, LayerPrecision::kDefault);
}

TEST_F(MixedInt16x8Test, TheChosenModelIsInt16WhereKeptLintsCleanAndRuns) {
  const MixedPrecisionResult result = Select(LayerPrecision::kInt16x8, 0.3);
  const model::Graph& graph = result.graph;
  // Kept ops write int16, with int8 weights and int64 bias; the rest of the model is int8.
  EXPECT_EQ(Named(graph, "fc/relu")->type, DataType::kInt16);
  EXPECT_EQ(Named(graph, "conv")->type, DataType::kInt16);
  EXPECT_EQ(Named(graph, "fc/weights")->type, DataType::kInt8);
  EXPECT_EQ(Named(graph, "conv/weights")->type, DataType::kInt8);
  EXPECT_EQ(Named(graph, "fc/bias")->type, DataType::kInt64);
  EXPECT_EQ(Named(graph, "input")->type, DataType::kInt8);
  EXPECT_EQ(Named(graph, "probabilities")->type, DataType::kInt8);
  // int8 -> int16 QUANTIZE before the FC; int16 -> int8 after it for the (int8) RESHAPE; the
  // conv reads the int8 reshape through another int8 -> int16 QUANTIZE, and its int8 reader
  // through an int16 -> int8 one.
  size_t quantize_ops = 0;
  for (const model::Op& op : graph.ops) {
    EXPECT_NE(op.type, OpType::kDequantize);  // no float anywhere
    if (op.type == OpType::kQuantize) ++quantize_ops;
  }
  EXPECT_EQ(quantize_ops, 4u);
  EXPECT_EQ(graph.ops.size(), float_graph_.ops.size() + 4);

  const LintReport lint = Lint(graph, LintTarget::Esp32S3());
  EXPECT_FALSE(lint.has_errors());
  EXPECT_EQ(lint.warnings(), 0u);  // no float op to warn about

  // It runs: the int8 SOFTMAX output dequantizes to a distribution.
  const runtime::CompiledModel model{model::Graph(graph)};
  auto session = model.NewSession();
  const model::Tensor& input = model.input(0);
  const std::vector<float> sample = SmallModelSample(3);
  std::span<std::byte> in = session->input(0);
  ASSERT_EQ(in.size(), sample.size());
  for (size_t i = 0; i < sample.size(); ++i) {
    const double q = std::round(static_cast<double>(sample[i] / input.quantization.scales[0])) +
                     static_cast<double>(input.quantization.zero_points[0]);
    in[i] = static_cast<std::byte>(static_cast<int8_t>(std::clamp(q, -128.0, 127.0)));
  }
  session->Invoke();
  const model::Tensor& output = model.output(0);
  double sum = 0.0;
  for (std::byte b : session->output(0)) {
    sum += static_cast<double>(output.quantization.scales[0]) *
           static_cast<double>(static_cast<int8_t>(b) - output.quantization.zero_points[0]);
  }
  EXPECT_NEAR(sum, 1.0, 3.0 / 256);
}

// The same scorer with the float fallback: no candidate has an int16 tensor, so nothing gains
// and nothing is kept. The int16 result above therefore came from the fallback reaching the
// quantizer, not from the search alone.
TEST_F(MixedInt16x8Test, TheFloatFallbackMakesNoInt16Tensor) {
  const MixedPrecisionResult result = Select(LayerPrecision::kFloat, 0.3);
  for (const LayerSensitivity& layer : result.layers) {
    EXPECT_DOUBLE_EQ(layer.sensitivity, 0.0) << "op " << layer.op_index;
  }
  EXPECT_TRUE(result.kept_ops.empty());
  EXPECT_FALSE(result.budget_met);
}

}  // namespace
}  // namespace harness::quant
