#include "harness/runner/latency.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>

#include "harness/common/error.h"

namespace harness::runner {

double Median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

double NearestRankPercentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

std::vector<double> TimeInvocations(runtime::Session& session, std::span<const std::byte> input,
                                    int64_t warmup, int64_t repeats) {
  const std::span<std::byte> destination = session.input(0);
  if (input.size() != destination.size()) {
    throw Error("latency", "input has " + std::to_string(input.size()) +
                               " bytes, the model input takes " +
                               std::to_string(destination.size()));
  }
  // Rewritten before each invocation: the previous one may have reused the input's memory.
  auto invoke_fresh = [&] {
    std::memcpy(destination.data(), input.data(), input.size());
    const auto start = std::chrono::steady_clock::now();
    session.Invoke();
    const auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::micro>(stop - start).count();
  };
  for (int64_t i = 0; i < warmup; ++i) invoke_fresh();
  std::vector<double> micros;
  micros.reserve(static_cast<size_t>(std::max<int64_t>(repeats, 0)));
  for (int64_t i = 0; i < repeats; ++i) micros.push_back(invoke_fresh());
  return micros;
}

Latency MeasureLatency(const runtime::CompiledModel& model, std::span<const std::byte> input,
                       int64_t warmup, int64_t repeats) {
  auto session = model.NewSession();
  const std::vector<double> micros = TimeInvocations(*session, input, warmup, repeats);
  Latency latency;
  latency.repeats = repeats;
  latency.median_us = Median(micros);
  latency.p90_us = NearestRankPercentile(micros, 90.0);
  return latency;
}

}  // namespace harness::runner
