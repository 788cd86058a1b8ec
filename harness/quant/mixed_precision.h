#pragma once
// The `mixed` method: int8 everywhere except the layers a sensitivity analysis keeps at a wider
// precision (float32, or int16x8 inside the int8 model) to stay within an accuracy-drop budget.
//
// Algorithm (deterministic; every figure is measured by `score`, never summed or extrapolated):
// 1. score(fp32) of the float graph and score(int8) of the all-int8 model.
// 2. Sensitivity of each analysed op i: score(op i at the fallback precision, the rest int8)
//    minus score(int8), i.e. the drop of the metric that quantizing that one layer causes, in
//    the metric's own units. Ops whose int8 form only moves or selects values with their input's
//    parameters (RESHAPE, MAX_POOL_2D, PAD) and the QUANTIZE / DEQUANTIZE ops themselves are not
//    analysed: they add no quantization error of their own.
// 3. Greedy: the analysed ops with a positive sensitivity, most sensitive first (ties: lower op
//    index first), are moved one by one to the fallback precision, cumulatively, until the
//    measured drop score(fp32) - score(candidate) is within the budget. A step whose model would
//    exceed the flash or SRAM budget is skipped (the op stays int8) and the next op is tried.
//    Ops with no measured gain are never kept wide: they would cost size for nothing.
// When even the best candidate misses the budget, the result says so (budget_met false) and
// keeps the candidate with the best measured score among those tried.
//
// The quant layer does not evaluate models: `score` (higher is better) is the caller's. The
// runner and the CLI use the task metric on the calibration set, in points, or output SQNR in dB
// when the set cannot score the task (harness/runner/mixed_scorer.h).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/model/graph.h"
#include "harness/quant/calibration.h"
#include "harness/quant/calibrators.h"
#include "harness/quant/int8_quantizer.h"

namespace harness::quant {

// Higher is better: the task metric of a candidate graph (points), or its output SQNR (dB).
using GraphScorer = std::function<double(const model::Graph&)>;

struct MixedPrecisionOptions {
  // The largest drop score(fp32) - score(candidate) accepted, in the scorer's units.
  double budget = 1.0;
  // The precision a sensitive layer is kept at: kFloat (float weights and compute) or kInt16x8
  // (int8 weights, int16 activations: smaller than float, less exact). The sensitivities of
  // step 2 are measured at this precision, so the ranking is the one of the chosen width.
  LayerPrecision fallback = LayerPrecision::kFloat;
  // The target's budgets; 0 means none. Size is the written .tflite's bytes, arena is
  // runtime::EstimateArena on a 32-bit MCU (ArenaAbi::Mcu32), as the runner reports them.
  int64_t flash_bytes = 0;
  int64_t sram_bytes = 0;
  // Options of the int8 model (float_io, per-channel FC, bias correction); its op_precision is
  // ignored (the selection fills it).
  Int8Options int8;
};

struct LayerSensitivity {
  int32_t op_index = 0;
  model::OpType op_type = model::OpType::kAdd;
  std::string output_tensor;  // name of the op's first output in the float graph
  // score(this op at the fallback precision) - score(int8): the metric drop it causes.
  double sensitivity = 0.0;
  LayerPrecision precision = LayerPrecision::kDefault;  // in the chosen model
};

struct MixedPrecisionResult {
  model::Graph graph;                        // the chosen model
  std::vector<LayerPrecision> op_precision;  // per op of the float graph, as chosen
  // Every analysed op, in op order.
  std::vector<LayerSensitivity> layers;
  // Op indices kept at the fallback precision, in the order the greedy pass chose them.
  std::vector<int32_t> kept_ops;
  // Ops that would have been kept but whose model exceeded the flash or SRAM budget.
  std::vector<int32_t> skipped_for_target;
  double fp32_score = 0.0;
  double int8_score = 0.0;
  double final_score = 0.0;
  double budget = 0.0;
  bool budget_met = false;
  int64_t size_bytes = 0;   // of the chosen model, written
  int64_t arena_bytes = 0;  // of the chosen model, EstimateArena(Mcu32)
};

// True for the ops the analysis measures (see step 2 above).
bool IsPrecisionSensitive(model::OpType type);

// Builds the model of one precision assignment (one entry per op of the float graph).
using CandidateBuilder = std::function<model::Graph(const std::vector<LayerPrecision>& op_precision)>;

// The selection over any builder: the seam the unit tests use to check the search with a fake
// quantizer. `int8` of the options is not read.
MixedPrecisionResult SelectMixedPrecision(const model::Graph& float_graph,
                                          const CandidateBuilder& build,
                                          const MixedPrecisionOptions& options,
                                          const GraphScorer& score);

// The `mixed` method: candidates from QuantizeInt8 with options.int8 and `op_precision`.
// Throws harness::Error for a negative budget, a fallback of kDefault, or whatever the quantizer
// or `score` throw.
MixedPrecisionResult SelectMixedPrecision(const model::Graph& float_graph,
                                          const CalibrationResult& calibration,
                                          const Calibrator& calibrator,
                                          const MixedPrecisionOptions& options,
                                          const GraphScorer& score);

}  // namespace harness::quant
