#include "harness/eval/inference.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "harness/eval/input_feeder.h"

namespace harness::eval {

OutputBatch RunOnDataset(const runtime::CompiledModel& model, const Dataset& set,
                         std::optional<size_t> max_samples) {
  const InputFeeder feeder(set, model);
  const size_t samples = std::min(set.size(), max_samples.value_or(set.size()));
  const size_t windows = set.windows_per_sample();

  const model::Tensor& output = model.output(0);
  OutputBatch batch;
  batch.type = output.type;
  batch.shape.push_back(static_cast<int32_t>(samples));
  if (set.has_windows()) batch.shape.push_back(static_cast<int32_t>(windows));
  const bool drop_batch = output.shape.size() > 1 && output.shape[0] == 1;
  batch.shape.insert(batch.shape.end(), output.shape.begin() + (drop_batch ? 1 : 0),
                     output.shape.end());
  batch.runs = samples * windows;
  batch.run_bytes = model.output_bytes(0);
  batch.data.resize(batch.runs * batch.run_bytes);

  // One session per worker thread; each run writes only its own slot of the result.
  tbb::enumerable_thread_specific<std::unique_ptr<runtime::Session>> sessions(
      [&] { return model.NewSession(); });
  tbb::parallel_for(tbb::blocked_range<size_t>(0, batch.runs), [&](const tbb::blocked_range<size_t>& r) {
    runtime::Session& session = *sessions.local();
    for (size_t run = r.begin(); run != r.end(); ++run) {
      feeder.Fill(run / windows, run % windows, session);
      session.Invoke();
      const auto out = session.output(0);
      std::memcpy(batch.data.data() + run * batch.run_bytes, out.data(), batch.run_bytes);
    }
  });
  return batch;
}

}  // namespace harness::eval
