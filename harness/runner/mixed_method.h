#pragma once
// The `mixed` method inside a suite run: the sensitivity analysis and selection of
// quant/mixed_precision.h, scored on the model's calibration set (mixed_scorer.h), within the
// target's flash and SRAM budgets, and the record the report shows of it.

#include "harness/model/graph.h"
#include "harness/quant/int8_quantizer.h"
#include "harness/quant/mixed_precision.h"
#include "harness/runner/model_context.h"
#include "harness/runner/run_result.h"
#include "harness/suite/suite.h"
#include "harness/suite/target.h"

namespace harness::runner {

struct MixedOutcome {
  model::Graph graph;
  MixedPrecision record;
};

// Quantizes `float_graph` (the context's, or its equalized variant) with its `calibration`.
// `context` must hold the calibration set; its fp32 model is the scorer's reference. The
// scoring samples are the first `calibration.samples` rows of the calibration set (every row
// when unset). Throws harness::Error.
MixedOutcome RunMixedMethod(const ModelContext& context, const model::Graph& float_graph,
                            const quant::CalibrationResult& calibration,
                            const suite::MethodSpec& spec, const quant::Int8Options& int8,
                            const suite::Target& target);

// The quantizer's precision for the suite's `keep` (float32 -> kFloat, int16x8 -> kInt16x8).
quant::LayerPrecision FallbackOf(suite::MixedKeep keep);

// "int8" (the model's default width), "float32" or "int16x8".
const char* PrecisionName(quant::LayerPrecision precision);

// The report's view of a selection; `metric` and `unit` name what the scores measure.
MixedPrecision ToRecord(const quant::MixedPrecisionResult& result, const std::string& metric,
                        const std::string& unit);

}  // namespace harness::runner
