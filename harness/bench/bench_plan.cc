#include "harness/bench/bench_plan.h"

#include <map>
#include <ostream>

#include "harness/common/error.h"
#include "harness/eval/input_feeder.h"
#include "harness/model/op_costs.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/method.h"
#include "harness/runner/glob.h"
#include "harness/runner/method_graph.h"
#include "harness/runner/model_context.h"
#include "harness/runtime/runnable_graph.h"

namespace harness::bench {
namespace {

// The quantizer options of a suite method, as the runner sets them (runner/result_job.cc), so
// the benchmarked model is the one the report describes.
// The model `harness run` would write for `spec`: built as the runner builds it, serialized,
// read back, with a float16 model's constant DEQUANTIZE ops folded as TFLite does when it
// prepares the model.
model::Graph BenchmarkedGraph(const runner::ModelContext& context, const suite::MethodSpec& spec,
                              const suite::Target& target) {
  const runner::MethodGraph built = runner::BuildMethodGraph(context, spec, target);
  const std::vector<uint8_t> bytes = model::WriteTflite(built.graph);
  return runtime::FoldFloat16Weights(model::LoadTflite(bytes, context.spec->path));
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
      const suite::ModelSpec& spec = suite.models[r.model_index];
      if (log) *log << "harness: " << spec.name << ": preparing (fp32 reference, calibration)\n";
      context = runner::PrepareModel(spec, runner::NeedsOf(suite, selected, r.model_index));
    }
    ModelBenchmark benchmark;
    benchmark.id = r.id;
    try {
      benchmark.model = std::make_unique<runtime::CompiledModel>(
          BenchmarkedGraph(*context, suite.methods[r.method_index], suite.target));
      // Every input from the set input that feeds it (a set lacking one is refused).
      const eval::InputFeeder feeder(*context->validation, *benchmark.model);
      for (size_t k = 0; k < feeder.input_count(); ++k) {
        std::vector<std::byte>& input =
            benchmark.inputs.emplace_back(feeder.preparer(k).byte_size());
        feeder.preparer(k).Prepare(0, 0, input);
      }
      benchmark.macs = model::CostOf(benchmark.model->graph()).macs;
      benchmark.ops = SplitIntoOps(*benchmark.model, benchmark.inputs);
    } catch (const Error& e) {
      throw e.Within(r.id);
    }
    benchmarks.push_back(std::move(benchmark));
  }
  return benchmarks;
}

}  // namespace harness::bench
