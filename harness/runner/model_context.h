#pragma once
// The work a suite shares between all results of one model, done once: the float graph and its
// compiled form, the validation set and the fp32 outputs on it (the fidelity reference), and
// the calibration statistics every calibrator and method reads.

#include <memory>
#include <optional>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/eval/task_metrics.h"
#include "harness/model/graph.h"
#include "harness/quant/calibration.h"
#include "harness/runtime/compiled_model.h"
#include "harness/suite/suite.h"

namespace harness::runner {

// The float model after cross-layer equalization (quant/cross_layer_equalization.h) with its own
// calibration: equalization moves the ranges of the tensors between the equalized layers, so
// the original graph's statistics do not describe it.
struct EqualizedModel {
  model::Graph float_graph;
  std::unique_ptr<runtime::CompiledModel> float_model;
  std::optional<quant::CalibrationResult> calibration;
};

// What the selected methods of one model need prepared.
struct ModelNeeds {
  bool calibration = false;    // some method calibrates
  bool channel_means = false;  // some method uses bias correction
  bool equalization = false;   // some method equalizes first
};

// The needs of the `selected` results of model `model_index`.
ModelNeeds NeedsOf(const suite::Suite& suite, const std::vector<suite::ResultSpec>& selected,
                   size_t model_index);

struct ModelContext {
  const suite::ModelSpec* spec = nullptr;
  model::Graph float_graph;  // hybrid weights dequantized
  std::unique_ptr<runtime::CompiledModel> float_model;
  std::unique_ptr<eval::Dataset> validation;
  eval::EvalOptions eval_options;
  eval::TaskMetrics float_metrics;  // the fp32 run, reference of every fidelity figure
  std::unique_ptr<eval::Dataset> calibration_set;
  // The rows each set contributes (its `samples`, or every row of a smaller set when the
  // count is a default); the report records them.
  size_t validation_samples = 0;
  std::optional<size_t> calibration_samples;  // absent: no method calibrates
  std::optional<quant::CalibrationResult> calibration;
  std::optional<EqualizedModel> equalized;  // when a method asks for equalization
};

// Loads and prepares everything for `spec`. `needs_calibration`: some selected method calibrates;
// `needs_channel_means`: some selected method uses bias correction. Throws harness::Error naming
// the suite line of the model's entry and the model, set or op at fault (a task that does not
// fit the model, a set of the wrong shape).
std::unique_ptr<ModelContext> PrepareModel(const suite::ModelSpec& spec, const ModelNeeds& needs);
std::unique_ptr<ModelContext> PrepareModel(const suite::ModelSpec& spec, bool needs_calibration,
                                           bool needs_channel_means);

}  // namespace harness::runner
