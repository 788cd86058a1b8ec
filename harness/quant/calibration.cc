#include "harness/quant/calibration.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <memory>
#include <string>

#include "harness/common/error.h"

namespace harness::quant {
namespace {

using model::DataType;

// Float activation tensors: graph inputs and op outputs that hold float32 values at run time.
std::vector<bool> TrackedTensors(const model::Graph& graph) {
  std::vector<bool> tracked(graph.tensors.size(), false);
  auto track = [&](int32_t index) {
    const model::Tensor& t = graph.tensor(index);
    if (t.type == DataType::kFloat32 && !t.is_constant())
      tracked[static_cast<size_t>(index)] = true;
  };
  for (int32_t input : graph.inputs) track(input);
  for (const model::Op& op : graph.ops) {
    for (int32_t output : op.outputs) track(output);
  }
  return tracked;
}

std::span<const float> AsFloats(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const float*>(bytes.data()), bytes.size() / sizeof(float)};
}

// Channel count of the last dimension (1 for a scalar).
size_t Channels(const model::Tensor& t) {
  return t.shape.empty() ? 1 : static_cast<size_t>(std::max<int32_t>(t.shape.back(), 1));
}

// "tensor 'conv1' (output of op 3, CONV_2D)" or "tensor 'x' (model input 0)".
std::string TensorPlace(const model::Graph& graph, int32_t index, int op_index) {
  std::string place = "tensor '" + graph.tensor(index).name + "' (";
  if (op_index < 0) {
    const auto input = std::find(graph.inputs.begin(), graph.inputs.end(), index);
    return place + "model input " + std::to_string(input - graph.inputs.begin()) + ")";
  }
  return place + "output of op " + std::to_string(op_index) + ", " +
         model::ToString(graph.ops[static_cast<size_t>(op_index)].type) + ")";
}

struct ThreadState {
  std::unique_ptr<runtime::Session> session;
  std::vector<std::optional<TensorStatistics>> statistics;
};

CalibrationResult Calibrate(const runtime::CompiledModel& model, size_t sample_count,
                            const InputsFiller& fill, const CalibrationOptions& options);

}  // namespace

const TensorStatistics& CalibrationResult::of(int32_t index) const {
  if (index < 0 || static_cast<size_t>(index) >= statistics.size() ||
      !statistics[static_cast<size_t>(index)]) {
    throw Error("calibration", "tensor " + std::to_string(index) + " has no statistics");
  }
  return *statistics[static_cast<size_t>(index)];
}

CalibrationResult RunCalibration(const runtime::CompiledModel& model, size_t sample_count,
                                 const SampleFiller& fill, const CalibrationOptions& options) {
  if (model.graph().inputs.size() != 1) {
    throw Error("calibration", "the model must have exactly one input, has " +
                                   std::to_string(model.graph().inputs.size()));
  }
  return RunCalibration(
      model, sample_count,
      [&](size_t sample, size_t, std::span<std::byte> destination) { fill(sample, destination); },
      options);
}

CalibrationResult RunCalibration(const runtime::CompiledModel& model, size_t sample_count,
                                 const InputsFiller& fill, const CalibrationOptions& options) {
  const model::Graph& graph = model.graph();
  if (graph.inputs.empty()) throw Error("calibration", "the model has no input");
  for (size_t k = 0; k < graph.inputs.size(); ++k) {
    if (model.input(k).type != DataType::kFloat32) {
      throw Error("calibration", "model input " + std::to_string(k) + " '" + model.input(k).name +
                                     "' is " + model::ToString(model.input(k).type) +
                                     ", calibration needs float32 inputs");
    }
  }
  if (sample_count == 0) throw Error(options.source, "no calibration samples");
  try {
    return Calibrate(model, sample_count, fill, options);
  } catch (const std::bad_alloc&) {
    // The statistics' histograms, one per float activation tensor and thread, are the pass's
    // large allocation.
    const std::vector<bool> tracked = TrackedTensors(graph);
    const auto tensors = std::count(tracked.begin(), tracked.end(), true);
    throw Error(options.source, "out of memory collecting calibration statistics (" +
                                    std::to_string(tensors) + " float tensors, " +
                                    std::to_string(options.histogram_bins) +
                                    " histogram bins each, per thread)");
  }
}

namespace {

CalibrationResult Calibrate(const runtime::CompiledModel& model, size_t sample_count,
                            const InputsFiller& fill, const CalibrationOptions& options) {
  const model::Graph& graph = model.graph();
  const std::vector<bool> tracked = TrackedTensors(graph);
  const size_t tensor_count = graph.tensors.size();

  auto make_statistics = [&] {
    std::vector<std::optional<TensorStatistics>> statistics(tensor_count);
    for (size_t i = 0; i < tensor_count; ++i) {
      if (tracked[i]) statistics[i].emplace(options.histogram_bins);
    }
    return statistics;
  };

  tbb::enumerable_thread_specific<ThreadState> states([&] {
    return ThreadState{model.NewSession(), make_statistics()};
  });

  const size_t chunk_count = (sample_count + kCalibrationChunk - 1) / kCalibrationChunk;
  // Per chunk, per tensor, per channel: sums in sample order inside the chunk.
  std::vector<std::vector<std::vector<double>>> chunk_sums(chunk_count);
  // Per chunk, the error of its first failing sample: the first chunk's is thrown, so the
  // message is the same whatever the thread count.
  std::vector<std::optional<Error>> chunk_errors(chunk_count);
  auto sample_place = [&](size_t sample) {
    return options.source + ": " +
           (options.sample_place ? options.sample_place(sample)
                                 : "sample " + std::to_string(sample));
  };

  tbb::parallel_for(tbb::blocked_range<size_t>(0, chunk_count, 1), [&](const auto& range) {
    ThreadState& state = states.local();
    runtime::Session& session = *state.session;
    for (size_t chunk = range.begin(); chunk != range.end(); ++chunk) {
      std::vector<std::vector<double>>& sums = chunk_sums[chunk];
      if (options.collect_channel_means) {
        sums.resize(tensor_count);
        for (size_t i = 0; i < tensor_count; ++i) {
          if (tracked[i]) sums[i].assign(Channels(graph.tensors[i]), 0.0);
        }
      }
      size_t sample = 0;
      auto observe = [&](int32_t index, std::span<const float> values, int op_index) {
        try {
          state.statistics[static_cast<size_t>(index)]->Add(values);
        } catch (const Error& e) {
          throw Error(sample_place(sample) + ": " + TensorPlace(graph, index, op_index),
                      e.message() + (op_index < 0 ? " in the model's input"
                                                  : " in the float model's activations"));
        }
        if (!options.collect_channel_means) return;
        std::vector<double>& channel_sums = sums[static_cast<size_t>(index)];
        const size_t channels = channel_sums.size();
        for (size_t i = 0; i < values.size(); ++i) {
          channel_sums[i % channels] += static_cast<double>(values[i]);
        }
      };
      const size_t end = std::min(sample_count, (chunk + 1) * kCalibrationChunk);
      try {
        for (sample = chunk * kCalibrationChunk; sample < end; ++sample) {
          for (size_t k = 0; k < graph.inputs.size(); ++k) {
            fill(sample, k, session.input(k));
            observe(graph.inputs[k], AsFloats(session.input(k)), -1);
          }
          session.Invoke([&](int op_index) {
            for (int32_t output : graph.ops[static_cast<size_t>(op_index)].outputs) {
              if (tracked[static_cast<size_t>(output)])
                observe(output, AsFloats(session.tensor(output)), op_index);
            }
          });
        }
      } catch (const Error& e) {
        chunk_errors[chunk] = e;
      }
    }
  });
  for (const std::optional<Error>& error : chunk_errors) {
    if (error) throw *error;
  }

  CalibrationResult result;
  result.samples = sample_count;
  result.statistics = make_statistics();
  // Exact merge: the order of threads does not matter.
  states.combine_each([&](const ThreadState& state) {
    for (size_t i = 0; i < tensor_count; ++i) {
      if (tracked[i]) result.statistics[i]->Merge(*state.statistics[i]);
    }
  });
  if (options.collect_channel_means) {
    result.channel_means.resize(tensor_count);
    for (size_t i = 0; i < tensor_count; ++i) {
      if (!tracked[i]) continue;
      std::vector<double>& means = result.channel_means[i];
      means.assign(Channels(graph.tensors[i]), 0.0);
      for (const auto& sums : chunk_sums) {  // chunk order: a fixed floating-point sum order
        for (size_t c = 0; c < means.size(); ++c) means[c] += sums[i][c];
      }
      const double values_per_channel =
          static_cast<double>(result.statistics[i]->count()) / static_cast<double>(means.size());
      for (double& mean : means) mean /= values_per_channel;
    }
  }
  return result;
}

}  // namespace

}  // namespace harness::quant
