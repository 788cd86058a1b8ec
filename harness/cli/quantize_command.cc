// `harness quantize MODEL --method M [--calibrator C] --calib SET.h5 [--samples N] -o OUT`:
// the float model (hybrid weights dequantized), calibrated on the first N samples of the set
// (every window of each for a windowed set) when the method needs it, quantized, written
// atomically. `--method mixed [--budget B] [--keep float32|int16x8]` keeps the layers the
// sensitivity analysis finds most sensitive in float (default) or in int16x8 until the task
// metric on those calibration samples is within B points of fp32 (quant/mixed_precision.h,
// runner/mixed_scorer.h), and prints every layer's sensitivity.

#include <tbb/global_control.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "harness/eval/dataset.h"
#include "harness/eval/input_feeder.h"
#include "harness/model/tflite_writer.h"
#include "harness/model/unused_tensors.h"
#include "harness/quant/calibration.h"
#include "harness/quant/method.h"
#include "harness/quant/mixed_precision.h"
#include "harness/runner/mixed_method.h"
#include "harness/runner/mixed_scorer.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/runnable_graph.h"
#include "harness/suite/suite.h"

namespace harness::cli {
namespace {

quant::CalibrationResult CalibrateOnSet(const runtime::CompiledModel& model,
                                        const eval::Dataset& set, size_t max_samples,
                                        bool channel_means) {
  const eval::InputFeeder feeder(set, model);
  const size_t samples = std::min(max_samples, set.size());
  const size_t windows = set.windows_per_sample();
  quant::CalibrationOptions options;
  options.collect_channel_means = channel_means;
  options.source = set.path();
  options.sample_place = [&](size_t run) {
    return eval::RowPlace(run / windows, run % windows, windows);
  };
  return quant::RunCalibration(
      model, samples * windows,
      [&](size_t run, size_t input, std::span<std::byte> destination) {
        feeder.preparer(input).Prepare(run / windows, run % windows, destination);
      },
      options);
}

// `mixed`: the sensitivity analysis scored on the calibration set itself (the same samples the
// ranges come from), printed layer by layer.
model::Graph SelectMixed(const model::Graph& float_graph, const runtime::CompiledModel& float_model,
                         const quant::CalibrationResult& calibration, const eval::Dataset& set,
                         size_t samples, const quant::QuantizeOptions& options, double budget,
                         quant::LayerPrecision fallback, std::ostream& out) {
  eval::EvalOptions scoring;
  scoring.max_samples = samples;
  const runner::MixedScorer scorer(float_model, set, scoring);
  quant::MixedPrecisionOptions mixed;
  mixed.budget = budget;
  mixed.fallback = fallback;
  mixed.int8 = options.int8;
  const auto calibrator = quant::MakeCalibrator(options.calibrator, options.calibrator_options);
  const quant::GraphScorer score = [&](const model::Graph& graph) {
    return &graph == &float_graph ? scorer.fp32_score() : scorer.Score(graph);
  };
  quant::MixedPrecisionResult result =
      quant::SelectMixedPrecision(float_graph, calibration, *calibrator, mixed, score);

  out << "mixed: " << scorer.metric() << " on the calibration set (" << scorer.unit() << "): fp32 "
      << result.fp32_score << ", int8 " << result.int8_score << ", mixed " << result.final_score
      << "; budget " << budget << " " << scorer.unit() << ": "
      << (result.budget_met ? "met" : "NOT met") << "\n";
  for (const quant::LayerSensitivity& layer : result.layers) {
    out << "  op " << layer.op_index << " " << model::ToString(layer.op_type) << " ("
        << layer.output_tensor << "): sensitivity " << layer.sensitivity << " -> "
        << runner::PrecisionName(layer.precision) << "\n";
  }
  return std::move(result.graph);
}

}  // namespace

int RunQuantize(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("quantize"), args);
  const std::string& model_path = parsed.positional()[0];
  const quant::Method method = quant::ParseMethod(parsed.required("--method"));
  const std::string out_path = parsed.required("-o");

  std::unique_ptr<tbb::global_control> thread_limit;
  if (auto jobs = parsed.count("--jobs")) {
    thread_limit =
        std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, *jobs);
  }

  quant::QuantizeOptions options;
  if (auto calibrator = parsed.option("--calibrator")) options.calibrator = *calibrator;
  if (auto percentile = parsed.option("--percentile")) {
    try {
      options.calibrator_options.percentile = std::stod(*percentile);
    } catch (const std::exception&) {
      throw Error("command line", "--percentile expects a number, got '" + *percentile + "'");
    }
  }
  options.int8.float_io = parsed.flag("--float-io");
  options.int8.per_channel_fully_connected = parsed.flag("--per-channel-fc");
  options.int8.bias_correction = parsed.flag("--bias-correction");
  // Check the calibrator name before the (long) calibration pass.
  quant::MakeCalibrator(options.calibrator, options.calibrator_options);

  const model::Graph float_graph = quant::PrepareFloatGraph(runtime::LoadRunnableModel(model_path));
  // Points of the task metric the mixed model may lose on the calibration set (dB of output SQNR
  // when the set has no labels: mixed_scorer.h).
  double budget = 1.0;
  if (auto text = parsed.option("--budget")) {
    try {
      budget = std::stod(*text);
    } catch (const std::exception&) {
      throw Error("command line", "--budget expects a number, got '" + *text + "'");
    }
  }
  // The precision mixed keeps sensitive layers at, checked before the calibration pass too.
  quant::LayerPrecision fallback = quant::LayerPrecision::kFloat;
  if (auto text = parsed.option("--keep")) {
    if (method != quant::Method::kMixed)
      throw Error("command line", "--keep applies only to --method mixed");
    const std::optional<suite::MixedKeep> keep = suite::ParseMixedKeep(*text);
    if (!keep) {
      throw Error("command line", "--keep expects float32 or int16x8, got '" + *text + "'");
    }
    fallback = runner::FallbackOf(*keep);
  }
  std::unique_ptr<quant::CalibrationResult> calibration;
  model::Graph quantized;
  if (quant::NeedsCalibration(method)) {
    const eval::Dataset set = eval::Dataset::Open(parsed.required("--calib"));
    const runtime::CompiledModel compiled(float_graph);
    const size_t samples = std::min(parsed.count("--samples").value_or(set.size()), set.size());
    calibration = std::make_unique<quant::CalibrationResult>(
        CalibrateOnSet(compiled, set, samples, options.int8.bias_correction));
    if (method == quant::Method::kMixed) {
      quantized = SelectMixed(float_graph, compiled, *calibration, set, samples, options, budget,
                              fallback, out);
    }
  }
  if (method != quant::Method::kMixed) {
    quantized = quant::Quantize(float_graph, method, options, calibration.get());
  }
  // A rewrite can orphan tensors (the float weights of a folded DEQUANTIZE, a source model's
  // leftovers): the written model carries only what it runs.
  quantized = model::DropUnusedTensors(std::move(quantized));
  // Compile once before writing, as every command will load it: a model the runtime refuses is
  // never written.
  const runtime::CompiledModel check(runtime::FoldFloat16Weights(quantized));
  model::WriteTfliteFile(quantized, out_path);
  out << "wrote " << out_path << ": " << quant::ToString(method);
  if (calibration) {
    out << " (" << options.calibrator << ", " << calibration->samples << " calibration runs)";
  }
  out << "\n";
  return 0;
}

}  // namespace harness::cli
