#include "harness/runner/model_context.h"

#include <algorithm>
#include <string>

#include "harness/common/error.h"
#include "harness/eval/input_feeder.h"
#include "harness/quant/cross_layer_equalization.h"
#include "harness/quant/method.h"
#include "harness/runtime/runnable_graph.h"

namespace harness::runner {
namespace {

// The rows of the calibration set the pass reads: the first N, or N drawn without replacement
// with a seeded linear congruential shuffle (the same seed gives the same rows everywhere;
// std::shuffle's algorithm is not specified by the standard).
std::vector<size_t> CalibrationRows(const suite::SetSpec& spec, size_t available) {
  const size_t wanted = suite::UsedRows(spec, available);
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

// One calibration pass of `model` over the configured rows of the calibration set.
quant::CalibrationResult Calibrate(const runtime::CompiledModel& model, const eval::Dataset& set,
                                   const suite::SetSpec& spec, bool channel_means) {
  const eval::InputFeeder feeder(set, model);
  const std::vector<size_t> rows = CalibrationRows(spec, set.size());
  const size_t windows = set.windows_per_sample();
  quant::CalibrationOptions options;
  options.collect_channel_means = channel_means;
  options.source = set.path();
  options.sample_place = [&](size_t sample) {
    return eval::RowPlace(rows[sample / windows], sample % windows, windows);
  };
  return quant::RunCalibration(
      model, rows.size() * windows,
      [&](size_t sample, size_t input, std::span<std::byte> destination) {
        feeder.preparer(input).Prepare(rows[sample / windows], sample % windows, destination);
      },
      options);
}

// The index of the model output the suite's `output:` names (a tensor name first, then a
// decimal index), 0 without one. Quantizing keeps the outputs' order, so the index found on the
// float model holds for every method's model.
size_t ResolveOutput(const model::Graph& graph, const suite::ModelSpec& spec) {
  if (!spec.output) return 0;
  const std::string& wanted = *spec.output;
  std::string names;
  for (size_t k = 0; k < graph.outputs.size(); ++k) {
    const std::string& name = graph.tensor(graph.outputs[k]).name;
    if (name == wanted) return k;
    names += (k ? ", " : "") + std::to_string(k) + " '" + name + "'";
  }
  const bool digits =
      std::all_of(wanted.begin(), wanted.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits && wanted.size() < 10) {
    const auto index = static_cast<size_t>(std::stoul(wanted));
    if (index < graph.outputs.size()) return index;
  }
  throw Error(spec.output_place, "output '" + wanted +
                                     "' is neither the name nor the index of an "
                                     "output of " +
                                     spec.path + " (outputs: " + names + ")");
}

std::unique_ptr<ModelContext> Prepare(const suite::ModelSpec& spec, const ModelNeeds& needs) {
  const eval::DatasetOverrides overrides = OverridesOf(spec);
  auto context = std::make_unique<ModelContext>();
  context->spec = &spec;
  context->float_graph = quant::PrepareFloatGraph(runtime::LoadRunnableModel(spec.path));
  context->float_model = std::make_unique<runtime::CompiledModel>(model::Graph(context->float_graph));

  context->validation =
      std::make_unique<eval::Dataset>(eval::Dataset::Open(spec.validation.data, overrides));
  context->eval_options.task = spec.task;
  context->eval_options.output = ResolveOutput(context->float_graph, spec);
  context->validation_samples = suite::UsedRows(spec.validation, context->validation->size());
  context->eval_options.max_samples = context->validation_samples;
  context->float_metrics =
      eval::EvaluateTask(*context->float_model, *context->validation, context->eval_options);

  if (needs.calibration || needs.equalization) {
    if (!spec.calibration) throw Error("", "a method needs calibration, but the model has no calibration set");
    context->calibration_set =
        std::make_unique<eval::Dataset>(eval::Dataset::Open(spec.calibration->data, overrides));
    context->calibration_samples =
        suite::UsedRows(*spec.calibration, context->calibration_set->size());
  }
  if (needs.calibration) {
    context->calibration = Calibrate(*context->float_model, *context->calibration_set,
                                     *spec.calibration, needs.channel_means);
  }
  if (needs.equalization) {
    EqualizedModel& equalized = context->equalized.emplace();
    equalized.float_graph = quant::EqualizeCrossLayer(context->float_graph);
    equalized.float_model =
        std::make_unique<runtime::CompiledModel>(model::Graph(equalized.float_graph));
    equalized.calibration = Calibrate(*equalized.float_model, *context->calibration_set,
                                      *spec.calibration, needs.channel_means);
  }
  return context;
}

}  // namespace

ModelNeeds NeedsOf(const suite::Suite& suite, const std::vector<suite::ResultSpec>& selected,
                   size_t model_index) {
  ModelNeeds needs;
  for (const suite::ResultSpec& result : selected) {
    if (result.model_index != model_index) continue;
    const suite::MethodSpec& method = suite.methods[result.method_index];
    needs.calibration |= suite::NeedsCalibrator(method.method);
    needs.channel_means |= method.options.bias_correction;
    needs.equalization |= method.options.equalization;
  }
  return needs;
}

std::unique_ptr<ModelContext> PrepareModel(const suite::ModelSpec& spec, bool needs_calibration,
                                           bool needs_channel_means) {
  return PrepareModel(spec, ModelNeeds{needs_calibration, needs_channel_means, false});
}

std::unique_ptr<ModelContext> PrepareModel(const suite::ModelSpec& spec, const ModelNeeds& needs) {
  try {
    return Prepare(spec, needs);
  } catch (const Error& e) {
    throw e.Within(spec.place + ": model '" + spec.name + "'");
  }
}

}  // namespace harness::runner
