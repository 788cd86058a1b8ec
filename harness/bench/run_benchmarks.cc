#include "harness/bench/run_benchmarks.h"

#include <benchmark/benchmark.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "harness/common/error.h"

namespace harness::bench {
namespace {

// Sends every run to Google Benchmark's JSON reporter and only the medians (or the single run,
// without repetitions) to its console reporter, so the file holds each repetition for the U
// test while the terminal stays readable.
class TeeReporter : public benchmark::BenchmarkReporter {
 public:
  TeeReporter(std::ostream& json, std::ostream& console)
      : console_reporter_(benchmark::ConsoleReporter::OO_Tabular) {
    json_reporter_.SetOutputStream(&json);
    json_reporter_.SetErrorStream(&console);
    console_reporter_.SetOutputStream(&console);
    console_reporter_.SetErrorStream(&console);
    SetOutputStream(&console);
    SetErrorStream(&console);
  }

  bool ReportContext(const Context& context) override {
    return json_reporter_.ReportContext(context) && console_reporter_.ReportContext(context);
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    json_reporter_.ReportRuns(runs);
    std::vector<Run> shown;
    for (const Run& run : runs) {
      const bool repeated = run.repetitions > 1;
      if (!repeated || (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")) {
        shown.push_back(run);
      }
    }
    if (!shown.empty()) console_reporter_.ReportRuns(shown);
  }

  void Finalize() override {
    json_reporter_.Finalize();
    console_reporter_.Finalize();
  }

 private:
  benchmark::JSONReporter json_reporter_;
  benchmark::ConsoleReporter console_reporter_;
};

// Repetitions and minimum time go through Google Benchmark's command-line flags: set per
// benchmark (Repetitions(), MinTime()) they would be appended to every name
// ("model/min_time:0.010/repeats:3"), and runs with different settings could not be compared.
// Initialize also records the executable's name, which the JSON context prints (a null pointer
// without it).
void InitializeFlags(const BenchRunOptions& options) {
  std::vector<std::string> flags = {"harness",
                                    "--benchmark_repetitions=" + std::to_string(options.repetitions),
                                    "--benchmark_min_time=" + std::to_string(options.min_time_s)};
  std::vector<char*> argv;
  for (std::string& flag : flags) argv.push_back(flag.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(flags.size());
  benchmark::Initialize(&argc, argv.data());
  // Initialize keeps argv[0] as the executable's name: it must outlive every report.
  static std::string kept_name = "harness";
  benchmark::BenchmarkReporter::Context::executable_name = kept_name.c_str();
}

// Clears Google Benchmark's global registry on every way out, so a second call in one process
// (the tests) does not run the first call's benchmarks, whose captures are gone.
struct RegistryScope {
  RegistryScope() { benchmark::ClearRegisteredBenchmarks(); }
  ~RegistryScope() { benchmark::ClearRegisteredBenchmarks(); }
  RegistryScope(const RegistryScope&) = delete;
  RegistryScope& operator=(const RegistryScope&) = delete;
};

void TimeModel(benchmark::State& state, const runtime::CompiledModel& model,
               const std::vector<std::vector<std::byte>>& inputs, int64_t macs) {
  auto session = model.NewSession();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::span<std::byte> destination = session->input(i);
    std::memcpy(destination.data(), inputs[i].data(), std::min(destination.size(), inputs[i].size()));
  }
  for (auto _ : state) {
    session->Invoke();
    benchmark::DoNotOptimize(session->output(0).data());
    benchmark::ClobberMemory();
  }
  if (macs > 0) {
    state.counters["MACs"] =
        benchmark::Counter(static_cast<double>(macs), benchmark::Counter::kIsIterationInvariantRate);
  }
}

void Configure(benchmark::internal::Benchmark* b) { b->Unit(benchmark::kMicrosecond); }

}  // namespace

std::string RunBenchmarks(const std::vector<ModelBenchmark>& benchmarks,
                          const BenchRunOptions& options, std::ostream& console) {
  if (options.repetitions < 1) throw Error("command line", "--repetitions must be at least 1");
  if (!(options.min_time_s > 0.0)) throw Error("command line", "--min-time must be positive");
  InitializeFlags(options);
  const RegistryScope registry;
  for (const ModelBenchmark& m : benchmarks) {
    // Whole-model inputs as a list, so one timing function serves models and single ops.
    auto inputs = std::make_shared<std::vector<std::vector<std::byte>>>(1, m.input);
    Configure(benchmark::RegisterBenchmark((m.id + "/model").c_str(),
                                           [&m, inputs](benchmark::State& state) {
                                             TimeModel(state, *m.model, *inputs, m.macs);
                                           }));
    for (const SingleOpModel& op : m.ops) {
      Configure(benchmark::RegisterBenchmark((m.id + "/" + op.name).c_str(),
                                             [&op](benchmark::State& state) {
                                               TimeModel(state, *op.model, op.inputs, op.macs);
                                             }));
    }
  }

  std::ostringstream json;
  TeeReporter reporter(json, console);
  benchmark::RunSpecifiedBenchmarks(&reporter);

  // The context gains the harness's fields; everything Google Benchmark wrote stays as it is
  // (ordered_json keeps its field order).
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(json.str());
  } catch (const nlohmann::ordered_json::parse_error& e) {
    throw Error("Google Benchmark output", std::string("not JSON: ") + e.what());
  }
  for (const auto& [key, value] : options.context) document["context"][key] = value;
  return document.dump(2) + "\n";
}

}  // namespace harness::bench
