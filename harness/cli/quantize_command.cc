// `harness quantize MODEL --method M [--calibrator C] --calib SET.h5 [--samples N] -o OUT`:
// the float model (hybrid weights dequantized), calibrated on the first N samples of the set
// (every window of each for a windowed set) when the method needs it, quantized, written
// atomically.

#include <tbb/global_control.h>

#include <memory>
#include <ostream>
#include <string>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "harness/eval/dataset.h"
#include "harness/eval/input_preparer.h"
#include "harness/model/model_file.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/calibration.h"
#include "harness/quant/method.h"
#include "harness/runtime/compiled_model.h"

namespace harness::cli {
namespace {

quant::CalibrationResult CalibrateOnSet(const runtime::CompiledModel& model,
                                        const eval::Dataset& set, size_t max_samples,
                                        bool channel_means) {
  const eval::InputPreparer preparer(set, model.input(0));
  const size_t samples = std::min(max_samples, set.size());
  const size_t windows = set.windows_per_sample();
  quant::CalibrationOptions options;
  options.collect_channel_means = channel_means;
  return quant::RunCalibration(
      model, samples * windows,
      [&](size_t run, std::span<std::byte> input) {
        preparer.Prepare(run / windows, run % windows, input);
      },
      options);
}

}  // namespace

int RunQuantize(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(
      "quantize", args,
      {"--method", "--calibrator", "--calib", "--samples", "--percentile", "-o", "--jobs"},
      {"--float-io", "--per-channel-fc", "--bias-correction"}, 1, 1);
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

  const model::Graph float_graph = quant::PrepareFloatGraph(model::LoadModelFile(model_path));
  std::unique_ptr<quant::CalibrationResult> calibration;
  if (quant::NeedsCalibration(method)) {
    const eval::Dataset set = eval::Dataset::Open(parsed.required("--calib"));
    const runtime::CompiledModel compiled(float_graph);
    const size_t samples = parsed.count("--samples").value_or(set.size());
    calibration = std::make_unique<quant::CalibrationResult>(
        CalibrateOnSet(compiled, set, samples, options.int8.bias_correction));
  }
  const model::Graph quantized = quant::Quantize(float_graph, method, options, calibration.get());
  // Compile once before writing: a model the runtime refuses is never written.
  const runtime::CompiledModel check(quantized);
  model::WriteTfliteFile(quantized, out_path);
  out << "wrote " << out_path << ": " << quant::ToString(method);
  if (calibration) {
    out << " (" << options.calibrator << ", " << calibration->samples << " calibration runs)";
  }
  out << "\n";
  return 0;
}

}  // namespace harness::cli
