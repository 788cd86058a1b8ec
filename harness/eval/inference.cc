#include "harness/eval/inference.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "harness/common/error.h"
#include "harness/eval/input_feeder.h"

namespace harness::eval {

namespace {

OutputBatch EmptyBatch(const runtime::CompiledModel& model, const Dataset& set, size_t samples,
                       size_t output_index) {
  const model::Tensor& output = model.output(output_index);
  const size_t windows = set.windows_per_sample();
  OutputBatch batch;
  batch.type = output.type;
  batch.shape.push_back(static_cast<int32_t>(samples));
  if (set.has_windows()) batch.shape.push_back(static_cast<int32_t>(windows));
  const bool drop_batch = output.shape.size() > 1 && output.shape[0] == 1;
  batch.shape.insert(batch.shape.end(), output.shape.begin() + (drop_batch ? 1 : 0),
                     output.shape.end());
  batch.runs = samples * windows;
  batch.run_bytes = model.output_bytes(output_index);
  batch.data.resize(batch.runs * batch.run_bytes);
  return batch;
}

// Fills batches[k] with model output outputs[k] of every run.
std::vector<OutputBatch> Run(const runtime::CompiledModel& model, const Dataset& set,
                             std::optional<size_t> max_samples,
                             const std::vector<size_t>& outputs) {
  const InputFeeder feeder(set, model);
  const size_t samples = std::min(set.size(), max_samples.value_or(set.size()));
  const size_t windows = set.windows_per_sample();
  std::vector<OutputBatch> batches;
  for (size_t output : outputs) {
    if (output >= model.graph().outputs.size()) {
      throw Error("output " + std::to_string(output),
                  "the model has " + std::to_string(model.graph().outputs.size()) + " output(s)");
    }
    batches.push_back(EmptyBatch(model, set, samples, output));
  }
  const size_t runs = samples * windows;

  // One session per worker thread; each run writes only its own slot of the result.
  tbb::enumerable_thread_specific<std::unique_ptr<runtime::Session>> sessions(
      [&] { return model.NewSession(); });
  tbb::parallel_for(tbb::blocked_range<size_t>(0, runs), [&](const tbb::blocked_range<size_t>& r) {
    runtime::Session& session = *sessions.local();
    for (size_t run = r.begin(); run != r.end(); ++run) {
      feeder.Fill(run / windows, run % windows, session);
      session.Invoke();
      for (size_t k = 0; k < outputs.size(); ++k) {
        OutputBatch& batch = batches[k];
        const auto out = session.output(outputs[k]);
        std::memcpy(batch.data.data() + run * batch.run_bytes, out.data(), batch.run_bytes);
      }
    }
  });
  return batches;
}

}  // namespace

OutputBatch RunOnDataset(const runtime::CompiledModel& model, const Dataset& set,
                         std::optional<size_t> max_samples, size_t output) {
  return std::move(Run(model, set, max_samples, {output}).front());
}

std::vector<OutputBatch> RunOnDatasetAllOutputs(const runtime::CompiledModel& model,
                                                const Dataset& set,
                                                std::optional<size_t> max_samples) {
  std::vector<size_t> outputs(model.graph().outputs.size());
  for (size_t k = 0; k < outputs.size(); ++k) outputs[k] = k;
  return Run(model, set, max_samples, outputs);
}

}  // namespace harness::eval
