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

std::vector<double> TimeInvocations(runtime::Session& session,
                                    std::span<const std::span<const std::byte>> inputs,
                                    int64_t warmup, int64_t repeats) {
  std::vector<std::span<std::byte>> destinations;
  for (size_t k = 0; k < inputs.size(); ++k) {
    destinations.push_back(session.input(k));
    if (inputs[k].size() != destinations[k].size()) {
      throw Error("latency",
                  "input " + std::to_string(k) + " has " + std::to_string(inputs[k].size()) +
                      " bytes, the model input takes " + std::to_string(destinations[k].size()));
    }
  }
  // Rewritten before each invocation: the previous one may have reused the input's memory.
  auto invoke_fresh = [&] {
    for (size_t k = 0; k < inputs.size(); ++k) {
      std::memcpy(destinations[k].data(), inputs[k].data(), inputs[k].size());
    }
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

std::vector<double> TimeInvocations(runtime::Session& session, std::span<const std::byte> input,
                                    int64_t warmup, int64_t repeats) {
  const std::span<const std::byte> inputs[] = {input};
  return TimeInvocations(session, inputs, warmup, repeats);
}

Latency MeasureLatency(const runtime::CompiledModel& model,
                       std::span<const std::span<const std::byte>> inputs, int64_t warmup,
                       int64_t repeats) {
  auto session = model.NewSession();
  const std::vector<double> micros = TimeInvocations(*session, inputs, warmup, repeats);
  Latency latency;
  latency.repeats = repeats;
  latency.median_us = Median(micros);
  latency.p90_us = NearestRankPercentile(micros, 90.0);
  return latency;
}

Latency MeasureLatency(const runtime::CompiledModel& model, std::span<const std::byte> input,
                       int64_t warmup, int64_t repeats) {
  const std::span<const std::byte> inputs[] = {input};
  return MeasureLatency(model, inputs, warmup, repeats);
}

}  // namespace harness::runner
