// `harness infer MODEL --data SET.h5 --out OUT.h5`: every sample (every window) through the
// model, outputs in the model's output type.

#include <tbb/global_control.h>

#include <memory>
#include <ostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/eval/dataset.h"
#include "harness/eval/inference.h"
#include "harness/eval/output_writer.h"
#include "harness/model/weight_dequantization.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/runnable_graph.h"

namespace harness::cli {

int RunInfer(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("infer"), args);
  const std::string& model_path = parsed.positional()[0];
  const std::string data_path = parsed.required("--data");
  const std::string out_path = parsed.required("--out");

  std::unique_ptr<tbb::global_control> thread_limit;
  if (auto jobs = parsed.count("--jobs")) {
    thread_limit =
        std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, *jobs);
  }

  model::Graph graph = runtime::LoadRunnableModel(model_path);
  // A hybrid model (int8 weights, float activations) runs with TFLite's hybrid kernels unless
  // its float-dequantized equivalent is asked for (what TFLite-Micro, which refuses hybrid
  // models, would be given).
  if (parsed.flag("--dequantize-weights")) graph = model::DequantizeHybridWeights(std::move(graph));
  const runtime::CompiledModel compiled(std::move(graph));
  const eval::Dataset set = eval::Dataset::Open(data_path);

  const std::vector<eval::OutputBatch> batches =
      eval::RunOnDatasetAllOutputs(compiled, set, parsed.count("--samples"));
  std::vector<eval::OutputArray> arrays;
  for (size_t k = 0; k < batches.size(); ++k) {
    eval::OutputArray& array = arrays.emplace_back();
    array.type = batches[k].type;
    array.shape.assign(batches[k].shape.begin(), batches[k].shape.end());
    array.bytes = batches[k].data;
    array.name = compiled.output(k).name;
  }
  eval::WriteOutputFile(out_path, arrays, {{"model", model_path}, {"dataset", data_path}});
  out << "wrote " << out_path << ":";
  for (size_t k = 0; k < batches.size(); ++k) {
    out << (k ? "," : "") << " /outputs";
    if (batches.size() > 1) out << "/" << k;
    out << " " << model::ShapeToString(batches[k].shape) << " " << model::ToString(batches[k].type);
  }
  out << "\n";
  return 0;
}

}  // namespace harness::cli
