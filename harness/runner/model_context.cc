#include "harness/runner/model_context.h"

#include <algorithm>

#include "harness/common/error.h"
#include "harness/eval/input_preparer.h"
#include "harness/model/model_file.h"
#include "harness/quant/method.h"

namespace harness::runner {
namespace {

// The rows of the calibration set the pass reads: the first N, or N drawn without replacement
// with a seeded linear congruential shuffle (the same seed gives the same rows everywhere;
// std::shuffle's algorithm is not specified by the standard).
std::vector<size_t> CalibrationRows(const suite::SetSpec& spec, size_t available) {
  const size_t wanted = std::min(available, spec.samples ? static_cast<size_t>(*spec.samples) : available);
  std::vector<size_t> rows(available);
  for (size_t i = 0; i < available; ++i) rows[i] = i;
  if (spec.seed) {
    uint64_t state = *spec.seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (size_t i = 0; i < wanted; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const size_t j = i + static_cast<size_t>((state >> 33) % (available - i));
      std::swap(rows[i], rows[j]);
    }
  }
  rows.resize(wanted);
  return rows;
}

// The model entry's `input` and `windows` keys, which replace the attributes of both its sets:
// the calibration set must present the model the same inputs as the validation set.
eval::DatasetOverrides OverridesOf(const suite::ModelSpec& spec) {
  eval::DatasetOverrides overrides;
  overrides.scale = spec.input.scale;
  overrides.offset = spec.input.offset;
  if (spec.windows) {
    overrides.window_length = spec.windows->length;
    overrides.window_stride = spec.windows->stride;
  }
  return overrides;
}

std::unique_ptr<ModelContext> Prepare(const suite::ModelSpec& spec, bool needs_calibration,
                                      bool needs_channel_means) {
  const eval::DatasetOverrides overrides = OverridesOf(spec);
  auto context = std::make_unique<ModelContext>();
  context->spec = &spec;
  context->float_graph = quant::PrepareFloatGraph(model::LoadModelFile(spec.path));
  context->float_model = std::make_unique<runtime::CompiledModel>(model::Graph(context->float_graph));

  context->validation =
      std::make_unique<eval::Dataset>(eval::Dataset::Open(spec.validation.data, overrides));
  context->eval_options.task = spec.task;
  if (spec.validation.samples) context->eval_options.max_samples = static_cast<size_t>(*spec.validation.samples);
  context->float_metrics =
      eval::EvaluateTask(*context->float_model, *context->validation, context->eval_options);

  if (needs_calibration) {
    if (!spec.calibration) throw Error("", "a method needs calibration, but the model has no calibration set");
    context->calibration_set =
        std::make_unique<eval::Dataset>(eval::Dataset::Open(spec.calibration->data, overrides));
    const eval::Dataset& set = *context->calibration_set;
    const eval::InputPreparer preparer(set, context->float_model->input(0));
    const std::vector<size_t> rows = CalibrationRows(*spec.calibration, set.size());
    const size_t windows = set.windows_per_sample();
    quant::CalibrationOptions options;
    options.collect_channel_means = needs_channel_means;
    context->calibration = quant::RunCalibration(
        *context->float_model, rows.size() * windows,
        [&](size_t sample, std::span<std::byte> input) {
          preparer.Prepare(rows[sample / windows], sample % windows, input);
        },
        options);
  }
  return context;
}

}  // namespace

std::unique_ptr<ModelContext> PrepareModel(const suite::ModelSpec& spec, bool needs_calibration,
                                           bool needs_channel_means) {
  try {
    return Prepare(spec, needs_calibration, needs_channel_means);
  } catch (const Error& e) {
    throw e.Within(spec.place + ": model '" + spec.name + "'");
  }
}

}  // namespace harness::runner
