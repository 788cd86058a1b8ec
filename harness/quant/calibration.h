#pragma once
// The calibration pass: runs a float model over calibration samples and collects, for every
// float activation tensor (the graph inputs and every op output), the statistics the
// calibrators need (tensor_statistics.h), and optionally the per-channel means bias correction
// needs.
//
// Samples. The pass runs samples 0 .. sample_count-1 of whatever `fill` maps them to; the caller
// chooses which rows of its set those are (the CLI takes the first N samples of the set, every
// window of each for a windowed set). The quant layer never sees a dataset.
//
// Parallelism and determinism. Samples are cut into fixed chunks of kCalibrationChunk samples,
// whatever the thread count; chunks run in parallel (oneTBB), one runtime::Session per thread.
// TensorStatistics merge exactly (integer counts, exact min/max), so their merge order does not
// matter; channel sums are floating point, so each chunk keeps its own and they are added in
// chunk order. Hence 1 or N threads give bit-identical results.

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/quant/histogram.h"
#include "harness/quant/tensor_statistics.h"
#include "harness/runtime/compiled_model.h"

namespace harness::quant {

inline constexpr size_t kCalibrationChunk = 8;

// Writes calibration sample `sample` into the model's (single, float32) input tensor.
using SampleFiller = std::function<void(size_t sample, std::span<std::byte> input)>;
// Writes model input `input` of calibration sample `sample`, for models of several inputs.
using InputsFiller =
    std::function<void(size_t sample, size_t input, std::span<std::byte> destination)>;

struct CalibrationOptions {
  int histogram_bins = Histogram::kDefaultBins;
  // Also collect the mean of every channel (last dimension) of every activation tensor.
  bool collect_channel_means = false;
  // Where the samples come from, for error places: `source` names the set ("calib.h5") and
  // `sample_place` a sample in it ("row 17, window 2"); by default "sample 17".
  std::string source = "calibration";
  std::function<std::string(size_t sample)> sample_place;
};

struct CalibrationResult {
  size_t samples = 0;
  // Per graph tensor index; nullopt for constants and non-float tensors.
  std::vector<std::optional<TensorStatistics>> statistics;
  // Per graph tensor index; empty unless collect_channel_means (then one mean per channel of
  // the last dimension for every float activation tensor).
  std::vector<std::vector<double>> channel_means;

  // The statistics of tensor `index`; throws harness::Error when it has none.
  const TensorStatistics& of(int32_t index) const;
};

// Runs `model` (a float model whose inputs are all float32) over `sample_count` samples,
// filling every input. `fill` may be called from several threads at once. Throws
// harness::Error when the model does not fit, when sample_count is 0, when a tensor holds
// NaN or infinity (placed at the source, the sample and the tensor; of several, the first
// sample's, whatever the thread count) and when the statistics do not fit in memory.
CalibrationResult RunCalibration(const runtime::CompiledModel& model, size_t sample_count,
                                 const InputsFiller& fill, const CalibrationOptions& options = {});
// The same for a model of exactly one input.
CalibrationResult RunCalibration(const runtime::CompiledModel& model, size_t sample_count,
                                 const SampleFiller& fill, const CalibrationOptions& options = {});

}  // namespace harness::quant
