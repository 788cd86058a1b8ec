#pragma once
// Host latency of single-sample inference: one session, one thread, the same prepared input
// run `warmup + repeats` times; the median and the 90th percentile of the timed repeats.
// Timing is noisy on shared machines: reports quote medians and compare them with a
// noise-aware rule, never a single run.
//
// The input is written again before every invocation, outside the timed region: the arena
// planner (runtime/memory_planner.h) ends a graph input's lifetime at its last reader, as
// TFLite-Micro's planner does, so a later activation may share its memory and an invocation
// leaves the input overwritten. Re-invoking without rewriting it would time the model on
// whatever that activation held (for a float model possibly NaN or inf, which a hybrid kernel's
// on-the-fly input quantization cannot convert).

#include <cstdint>
#include <span>
#include <vector>

#include "harness/runner/run_result.h"
#include "harness/runtime/compiled_model.h"

namespace harness::runner {

// `inputs` holds one prepared buffer per model input, in order; a single-input model can pass
// its one buffer.
Latency MeasureLatency(const runtime::CompiledModel& model,
                       std::span<const std::span<const std::byte>> inputs, int64_t warmup,
                       int64_t repeats);
Latency MeasureLatency(const runtime::CompiledModel& model, std::span<const std::byte> input,
                       int64_t warmup, int64_t repeats);

// The timing loop of MeasureLatency on a given session: `warmup` untimed and `repeats` timed
// invocations, each on fresh copies of `inputs` (each the size of its model input). Returns the
// timed durations in microseconds; the session's outputs are those of the last invocation.
std::vector<double> TimeInvocations(runtime::Session& session,
                                    std::span<const std::span<const std::byte>> inputs,
                                    int64_t warmup, int64_t repeats);
std::vector<double> TimeInvocations(runtime::Session& session, std::span<const std::byte> input,
                                    int64_t warmup, int64_t repeats);

// Nearest-rank percentile (p in [0, 100]) of `values`; the median is p = 50 with the mean of
// the two middle values for an even count.
double Median(std::vector<double> values);
double NearestRankPercentile(std::vector<double> values, double p);

}  // namespace harness::runner
