#pragma once
// Host latency of single-sample inference: one session, one thread, the same prepared input
// run `warmup + repeats` times; the median and the 90th percentile of the timed repeats.
// Timing is noisy on shared machines: reports quote medians and compare them with a
// noise-aware rule, never a single run.

#include <cstdint>
#include <span>
#include <vector>

#include "harness/runner/run_result.h"
#include "harness/runtime/compiled_model.h"

namespace harness::runner {

Latency MeasureLatency(const runtime::CompiledModel& model, std::span<const std::byte> input,
                       int64_t warmup, int64_t repeats);

// Nearest-rank percentile (p in [0, 100]) of `values`; the median is p = 50 with the mean of
// the two middle values for an even count.
double Median(std::vector<double> values);
double NearestRankPercentile(std::vector<double> values, double p);

}  // namespace harness::runner
