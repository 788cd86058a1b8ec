// The mixed-precision search with a fake quantizer and a fake, additive scorer: each analysed op
// quantized to int8 costs a known number of points, so the sensitivities, the greedy selection
// and whether the budget is met are known in advance.
#include "harness/quant/mixed_precision.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "harness/common/error.h"
#include "harness/model/tflite_writer.h"
#include "tests/quant/small_float_model.h"

namespace harness::quant {
namespace {

using model::OpType;
using testing::SmallFloatModel;

constexpr double kFp32Score = 90.0;
constexpr size_t kFloatLayerBytes = 1000;

// The fake quantizer: the float graph with the precision of every op spelt in the description
// ('D' default, 'F' float), and one unused 1000-byte constant per op kept float, so a float
// layer costs flash as a real one does.
model::Graph FakeQuantize(const model::Graph& float_graph, const std::vector<LayerPrecision>& precision) {
  model::Graph graph = float_graph;
  graph.description = "mixed:";
  for (size_t i = 0; i < precision.size(); ++i) {
    const bool wide = precision[i] == LayerPrecision::kFloat;
    graph.description += wide ? 'F' : 'D';
    if (wide) {
      testing::AddConstant(graph, "float_layer_" + std::to_string(i), {static_cast<int32_t>(kFloatLayerBytes)},
                           std::vector<uint8_t>(kFloatLayerBytes, 1), model::DataType::kUInt8);
    }
  }
  return graph;
}

// fp32 scores kFp32Score; a candidate loses `drop[op]` for every op left int8, and
// `unexplained` more for being quantized at all.
struct FakeScorer {
  std::map<size_t, double> drop;
  double unexplained = 0.0;
  mutable int calls = 0;

  double operator()(const model::Graph& graph) const {
    ++calls;
    const std::string prefix = "mixed:";
    if (graph.description.rfind(prefix, 0) != 0) return kFp32Score;
    double score = kFp32Score - unexplained;
    for (const auto& [op, points] : drop) {
      if (graph.description.at(prefix.size() + op) == 'D') score -= points;
    }
    return score;
  }
};

class MixedPrecisionTest : public ::testing::Test {
 protected:
  MixedPrecisionResult Select(const MixedPrecisionOptions& options, const FakeScorer& scorer) {
    const CandidateBuilder build = [this](const std::vector<LayerPrecision>& precision) {
      EXPECT_EQ(precision.size(), float_graph_.ops.size());
      for (size_t i = 0; i < precision.size(); ++i) {
        if (!IsPrecisionSensitive(float_graph_.ops[i].type)) {
          EXPECT_EQ(precision[i], LayerPrecision::kDefault) << "op " << i << " is not analysed";
        }
      }
      return FakeQuantize(float_graph_, precision);
    };
    return SelectMixedPrecision(float_graph_, build, options, [&](const model::Graph& g) { return scorer(g); });
  }

  // Ops of SmallFloatModel: 0 FULLY_CONNECTED, 1 RESHAPE, 2 CONV_2D, 3 RESHAPE, 4 SOFTMAX.
  model::Graph float_graph_ = SmallFloatModel();
};

TEST_F(MixedPrecisionTest, MeasuresEveryAnalysedLayerAndKeepsTheMostSensitive) {
  const FakeScorer scorer{{{0, 2.0}, {2, 0.5}, {4, 0.125}}};
  MixedPrecisionOptions options;
  options.budget = 1.0;
  const MixedPrecisionResult result = Select(options, scorer);

  EXPECT_DOUBLE_EQ(result.fp32_score, 90.0);
  EXPECT_DOUBLE_EQ(result.int8_score, 90.0 - 2.625);
  ASSERT_EQ(result.layers.size(), 3u);  // the RESHAPEs are not analysed
  EXPECT_EQ(result.layers[0].op_index, 0);
  EXPECT_EQ(result.layers[0].op_type, OpType::kFullyConnected);
  EXPECT_EQ(result.layers[0].output_tensor, "fc/relu");
  EXPECT_DOUBLE_EQ(result.layers[0].sensitivity, 2.0);
  EXPECT_EQ(result.layers[1].op_index, 2);
  EXPECT_EQ(result.layers[1].output_tensor, "conv");
  EXPECT_DOUBLE_EQ(result.layers[1].sensitivity, 0.5);
  EXPECT_EQ(result.layers[2].op_index, 4);
  EXPECT_EQ(result.layers[2].output_tensor, "probabilities");
  EXPECT_DOUBLE_EQ(result.layers[2].sensitivity, 0.125);

  // Keeping the FC float leaves a drop of 0.625 <= 1: one layer suffices.
  EXPECT_EQ(result.kept_ops, std::vector<int32_t>{0});
  EXPECT_TRUE(result.budget_met);
  EXPECT_DOUBLE_EQ(result.final_score, 90.0 - 0.625);
  EXPECT_EQ(result.graph.description, "mixed:FDDDD");
  EXPECT_EQ(result.op_precision[0], LayerPrecision::kFloat);
  EXPECT_EQ(result.layers[0].precision, LayerPrecision::kFloat);
  EXPECT_EQ(result.layers[1].precision, LayerPrecision::kDefault);
  EXPECT_EQ(result.size_bytes, static_cast<int64_t>(model::WriteTflite(result.graph).size()));
  EXPECT_GT(result.arena_bytes, 0);
  // fp32, int8, three analysed layers, one greedy step.
  EXPECT_EQ(scorer.calls, 6);
}

TEST_F(MixedPrecisionTest, ATighterBudgetKeepsMoreLayersInSensitivityOrder) {
  const FakeScorer scorer{{{0, 0.5}, {2, 2.0}, {4, 0.125}}};
  MixedPrecisionOptions options;
  options.budget = 0.2;
  const MixedPrecisionResult result = Select(options, scorer);
  // CONV (2.0) first, then FC (0.5): the drop left is 0.125.
  EXPECT_EQ(result.kept_ops, (std::vector<int32_t>{2, 0}));
  EXPECT_TRUE(result.budget_met);
  EXPECT_EQ(result.graph.description, "mixed:FDFDD");
}

TEST_F(MixedPrecisionTest, ADropEqualToTheBudgetMeetsIt) {
  const FakeScorer scorer{{{0, 2.0}, {2, 0.5}}};
  MixedPrecisionOptions options;
  options.budget = 0.5;
  const MixedPrecisionResult result = Select(options, scorer);
  EXPECT_EQ(result.kept_ops, std::vector<int32_t>{0});
  EXPECT_TRUE(result.budget_met);
}

TEST_F(MixedPrecisionTest, Int8WithinTheBudgetKeepsNoLayer) {
  const FakeScorer scorer{{{0, 0.25}, {2, 0.25}}};
  MixedPrecisionOptions options;
  options.budget = 1.0;
  const MixedPrecisionResult result = Select(options, scorer);
  EXPECT_TRUE(result.kept_ops.empty());
  EXPECT_TRUE(result.budget_met);
  EXPECT_EQ(result.graph.description, "mixed:DDDDD");
  EXPECT_DOUBLE_EQ(result.final_score, result.int8_score);
}

TEST_F(MixedPrecisionTest, AnUnreachableBudgetIsReportedUnmet) {
  // 3 points are lost whatever stays float; no layer without a measured gain is kept.
  const FakeScorer scorer{{{0, 2.0}, {2, 0.5}}, 3.0};
  MixedPrecisionOptions options;
  options.budget = 1.0;
  const MixedPrecisionResult result = Select(options, scorer);
  EXPECT_FALSE(result.budget_met);
  EXPECT_EQ(result.kept_ops, (std::vector<int32_t>{0, 2}));
  EXPECT_DOUBLE_EQ(result.final_score, 87.0);
  EXPECT_DOUBLE_EQ(result.layers[2].sensitivity, 0.0);
  EXPECT_EQ(result.layers[2].precision, LayerPrecision::kDefault);
}

TEST_F(MixedPrecisionTest, TheFlashBudgetStopsTheSearch) {
  const FakeScorer scorer{{{0, 2.0}, {2, 0.5}, {4, 0.25}}};
  MixedPrecisionOptions options;
  options.budget = 0.1;
  // Room for one float layer, not two.
  const int64_t int8_bytes =
      static_cast<int64_t>(model::WriteTflite(FakeQuantize(float_graph_, std::vector<LayerPrecision>(5))).size());
  options.flash_bytes = int8_bytes + static_cast<int64_t>(kFloatLayerBytes) * 3 / 2;
  const MixedPrecisionResult result = Select(options, scorer);
  EXPECT_EQ(result.kept_ops, std::vector<int32_t>{0});
  EXPECT_EQ(result.skipped_for_target, (std::vector<int32_t>{2, 4}));
  EXPECT_FALSE(result.budget_met);
  EXPECT_LE(result.size_bytes, options.flash_bytes);
  EXPECT_DOUBLE_EQ(result.final_score, 90.0 - 0.75);
}

TEST_F(MixedPrecisionTest, EqualSensitivitiesAreTakenInOpOrder) {
  const FakeScorer scorer{{{0, 1.0}, {2, 1.0}, {4, 1.0}}};
  MixedPrecisionOptions options;
  options.budget = 1.5;
  const MixedPrecisionResult result = Select(options, scorer);
  EXPECT_EQ(result.kept_ops, (std::vector<int32_t>{0, 2}));
  EXPECT_TRUE(result.budget_met);
}

TEST_F(MixedPrecisionTest, RefusesANegativeBudgetAndADefaultFallback) {
  const FakeScorer scorer;
  MixedPrecisionOptions options;
  options.budget = -1.0;
  EXPECT_THROW(Select(options, scorer), Error);
  options.budget = 1.0;
  options.fallback = LayerPrecision::kDefault;
  EXPECT_THROW(Select(options, scorer), Error);
}

}  // namespace
}  // namespace harness::quant
