#include "harness/bench/bench_plan.h"

#include <map>
#include <ostream>

#include "harness/common/error.h"
#include "harness/eval/input_preparer.h"
#include "harness/model/op_costs.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/float16.h"
#include "harness/quant/method.h"
#include "harness/runner/glob.h"
#include "harness/runner/model_context.h"

namespace harness::bench {
namespace {

// The quantizer options of a suite method, as the runner sets them (runner/result_job.cc), so
// the benchmarked model is the one the report describes.
quant::QuantizeOptions OptionsOf(const suite::MethodSpec& spec) {
  quant::QuantizeOptions options;
  if (spec.calibrator != suite::Calibrator::kNone) options.calibrator = suite::ToString(spec.calibrator);
  options.calibrator_options.percentile = spec.percentile;
  options.int8.float_io = spec.options.float_io;
  options.int8.per_channel_fully_connected = spec.options.per_channel_fc;
  options.int8.bias_correction = spec.options.bias_correction;
  return options;
}

// The model `harness run` would write for `spec`: quantized, serialized, read back, with a
// float16 model's constant DEQUANTIZE ops folded as TFLite does when it prepares the model.
model::Graph BenchmarkedGraph(const runner::ModelContext& context, const suite::MethodSpec& spec) {
  if (spec.options.equalization) throw Error("", "cross-layer equalization is not implemented yet");
  const quant::Method method = quant::ParseMethod(suite::ToString(spec.method));
  const model::Graph quantized = quant::Quantize(context.float_graph, method, OptionsOf(spec),
                                                 context.calibration ? &*context.calibration : nullptr);
  const std::vector<uint8_t> bytes = model::WriteTflite(quantized);
  return quant::FoldFloat16Dequantize(model::LoadTflite(bytes, context.spec->path));
}

std::vector<suite::ResultSpec> Select(const suite::Suite& suite, const std::string& only) {
  std::vector<suite::ResultSpec> selected;
  for (const suite::ResultSpec& r : suite::ExpandMethods(suite))
    if (only.empty() || runner::GlobMatch(only, r.id)) selected.push_back(r);
  if (selected.empty()) throw Error("command line", "--only '" + only + "' selects no result of " + suite.path);
  return selected;
}

}  // namespace

std::vector<ModelBenchmark> PrepareBenchmarks(const suite::Suite& suite, const std::string& only,
                                              std::ostream* log) {
  const std::vector<suite::ResultSpec> selected = Select(suite, only);
  std::map<size_t, std::unique_ptr<runner::ModelContext>> contexts;
  std::vector<ModelBenchmark> benchmarks;
  for (const suite::ResultSpec& r : selected) {
    auto& context = contexts[r.model_index];
    if (!context) {
      bool needs_calibration = false, needs_channel_means = false;
      for (const suite::ResultSpec& other : selected) {
        if (other.model_index != r.model_index) continue;
        const suite::MethodSpec& m = suite.methods[other.method_index];
        needs_calibration |= suite::NeedsCalibrator(m.method);
        needs_channel_means |= m.options.bias_correction;
      }
      const suite::ModelSpec& spec = suite.models[r.model_index];
      if (log) *log << "harness: " << spec.name << ": preparing (fp32 reference, calibration)\n";
      context = runner::PrepareModel(spec, needs_calibration, needs_channel_means);
    }
    ModelBenchmark benchmark;
    benchmark.id = r.id;
    try {
      benchmark.model = std::make_unique<runtime::CompiledModel>(
          BenchmarkedGraph(*context, suite.methods[r.method_index]));
      const eval::InputPreparer preparer(*context->validation, benchmark.model->input(0));
      benchmark.input.resize(preparer.byte_size());
      preparer.Prepare(0, 0, benchmark.input);
      benchmark.macs = model::CostOf(benchmark.model->graph()).macs;
      benchmark.ops = SplitIntoOps(*benchmark.model, benchmark.input);
    } catch (const Error& e) {
      throw e.Within(r.id);
    }
    benchmarks.push_back(std::move(benchmark));
  }
  return benchmarks;
}

}  // namespace harness::bench
