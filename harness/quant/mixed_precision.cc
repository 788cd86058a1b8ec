#include "harness/quant/mixed_precision.h"

#include <algorithm>
#include <optional>

#include "harness/common/error.h"
#include "harness/model/op_registry.h"
#include "harness/model/tflite_writer.h"
#include "harness/runtime/arena_estimate.h"

namespace harness::quant {
namespace {

// Scores are differences of means over a set (accuracy points, dB); a drop computed as
// 88.75 - 88.25 may land a few ulps above 0.5. Budgets are compared with this much slack so
// that a drop equal to the budget counts as within it.
constexpr double kBudgetSlack = 1e-9;

struct Candidate {
  model::Graph graph;
  std::vector<LayerPrecision> op_precision;
  int64_t size_bytes = 0;
  int64_t arena_bytes = 0;
};

Candidate BuildCandidate(const CandidateBuilder& build, std::vector<LayerPrecision> op_precision) {
  Candidate candidate;
  candidate.graph = build(op_precision);
  candidate.op_precision = std::move(op_precision);
  candidate.size_bytes = static_cast<int64_t>(model::WriteTflite(candidate.graph).size());
  // TFLite-Micro's arena on a 32-bit MCU, the figure the runner reports as arena_bytes.
  candidate.arena_bytes =
      static_cast<int64_t>(runtime::EstimateDeviceArena(candidate.graph).total_bytes());
  return candidate;
}

bool FitsTarget(const Candidate& candidate, const MixedPrecisionOptions& options) {
  if (options.flash_bytes > 0 && candidate.size_bytes > options.flash_bytes) return false;
  if (options.sram_bytes > 0 && candidate.arena_bytes > options.sram_bytes) return false;
  return true;
}

std::vector<size_t> AnalysedOps(const model::Graph& graph) {
  std::vector<size_t> ops;
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    if (IsPrecisionSensitive(graph.ops[i].type)) ops.push_back(i);
  }
  return ops;
}

std::string OutputName(const model::Graph& graph, const model::Op& op) {
  if (op.outputs.empty()) return "";
  return graph.tensor(op.outputs.front()).name;
}

}  // namespace

bool IsPrecisionSensitive(model::OpType type) { return !*model::GetOp(type).quant.moves_data; }

MixedPrecisionResult SelectMixedPrecision(const model::Graph& float_graph,
                                          const CandidateBuilder& build,
                                          const MixedPrecisionOptions& options,
                                          const GraphScorer& score) {
  if (!(options.budget >= 0.0)) {
    throw Error("mixed", "the accuracy-drop budget must be >= 0, got " + std::to_string(options.budget));
  }
  if (options.fallback == LayerPrecision::kDefault) {
    throw Error("mixed", "the fallback precision of sensitive layers must be float or int16x8");
  }
  const size_t op_count = float_graph.ops.size();
  const std::vector<LayerPrecision> all_default(op_count, LayerPrecision::kDefault);

  MixedPrecisionResult result;
  result.budget = options.budget;
  result.fp32_score = score(float_graph);
  Candidate int8 = BuildCandidate(build, all_default);
  result.int8_score = score(int8.graph);

  // Step 2: one op at the fallback precision at a time.
  for (size_t op : AnalysedOps(float_graph)) {
    std::vector<LayerPrecision> precision = all_default;
    precision[op] = options.fallback;
    const Candidate alone = BuildCandidate(build, precision);
    LayerSensitivity layer;
    layer.op_index = static_cast<int32_t>(op);
    layer.op_type = float_graph.ops[op].type;
    layer.output_tensor = OutputName(float_graph, float_graph.ops[op]);
    layer.sensitivity = score(alone.graph) - result.int8_score;
    result.layers.push_back(std::move(layer));
  }

  // Step 3: most sensitive first; stable sort on op order keeps ties in op order.
  std::vector<const LayerSensitivity*> order;
  for (const LayerSensitivity& layer : result.layers) {
    if (layer.sensitivity > 0.0) order.push_back(&layer);
  }
  std::stable_sort(order.begin(), order.end(), [](const LayerSensitivity* a, const LayerSensitivity* b) {
    return a->sensitivity > b->sensitivity;
  });

  auto within_budget = [&](double candidate_score) {
    return result.fp32_score - candidate_score <= options.budget + kBudgetSlack;
  };
  Candidate best = std::move(int8);
  double best_score = result.int8_score;
  std::vector<int32_t> best_kept;
  std::vector<LayerPrecision> current = all_default;
  std::vector<int32_t> kept;
  bool met = within_budget(best_score);
  for (const LayerSensitivity* layer : order) {
    if (met) break;
    std::vector<LayerPrecision> next = current;
    next[static_cast<size_t>(layer->op_index)] = options.fallback;
    Candidate candidate = BuildCandidate(build, next);
    if (!FitsTarget(candidate, options)) {
      result.skipped_for_target.push_back(layer->op_index);
      continue;
    }
    current = std::move(next);
    kept.push_back(layer->op_index);
    const double candidate_score = score(candidate.graph);
    met = within_budget(candidate_score);
    // The chosen model is the first that meets the budget, else the best measured one (the
    // earliest of equal scores, which keeps fewer layers wide).
    if (met || candidate_score > best_score) {
      best = std::move(candidate);
      best_score = candidate_score;
      best_kept = kept;
    }
  }

  result.graph = std::move(best.graph);
  result.op_precision = std::move(best.op_precision);
  result.kept_ops = std::move(best_kept);
  result.final_score = best_score;
  result.budget_met = within_budget(best_score);
  result.size_bytes = best.size_bytes;
  result.arena_bytes = best.arena_bytes;
  for (LayerSensitivity& layer : result.layers) {
    layer.precision = result.op_precision[static_cast<size_t>(layer.op_index)];
  }
  return result;
}

MixedPrecisionResult SelectMixedPrecision(const model::Graph& float_graph,
                                          const CalibrationResult& calibration,
                                          const Calibrator& calibrator,
                                          const MixedPrecisionOptions& options,
                                          const GraphScorer& score) {
  const CandidateBuilder quantize = [&](const std::vector<LayerPrecision>& op_precision) {
    Int8Options int8 = options.int8;
    int8.op_precision = op_precision;
    return QuantizeInt8(float_graph, calibration, calibrator, int8);
  };
  return SelectMixedPrecision(float_graph, quantize, options, score);
}

}  // namespace harness::quant
