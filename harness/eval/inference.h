#pragma once
// Runs a compiled model over every sample (and every window) of a set, in parallel, and
// gathers chosen outputs of each run (the first unless asked otherwise) in sample order, so the
// result does not depend on the number of threads.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"

namespace harness::eval {

struct OutputBatch {
  model::DataType type = model::DataType::kFloat32;
  // [N, ...] or, for a windowed set, [N, W, ...]; "..." is the model output's shape without a
  // leading batch dimension of 1.
  std::vector<int32_t> shape;
  size_t runs = 0;       // N, or N * W for a windowed set (sample-major)
  size_t run_bytes = 0;  // bytes of one model output
  std::vector<std::byte> data;

  const std::byte* run(size_t i) const { return data.data() + i * run_bytes; }
};

// Every model input is fed from the set (input_feeder.h). Throws harness::Error when the set
// lacks one of the model's inputs or its samples do not fit one (both shapes named).
// `max_samples` limits the run to the first samples of the set.
// `output` is the index of the model output gathered (0: the first).
OutputBatch RunOnDataset(const runtime::CompiledModel& model, const Dataset& set,
                         std::optional<size_t> max_samples = std::nullopt, size_t output = 0);

// Every output of the model in one pass over the set: one batch per model output, in the
// model's output order.
std::vector<OutputBatch> RunOnDatasetAllOutputs(const runtime::CompiledModel& model,
                                                const Dataset& set,
                                                std::optional<size_t> max_samples = std::nullopt);

}  // namespace harness::eval
