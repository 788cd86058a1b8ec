#include "harness/bench/run_benchmarks.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "harness/bench/benchmark_flags.h"
#include "harness/common/error.h"

namespace harness::bench {
namespace {

std::unique_ptr<benchmark::BenchmarkReporter> MakeReporter(const std::string& format) {
  if (format == "json") return std::make_unique<benchmark::JSONReporter>();
  if (format == "csv") {
    // Deprecated upstream but still what --benchmark_format=csv gives in Google Benchmark itself,
    // so the pass-through keeps it while the library has it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    return std::make_unique<benchmark::CSVReporter>();
#pragma GCC diagnostic pop
  }
  return std::make_unique<benchmark::ConsoleReporter>(benchmark::ConsoleReporter::OO_Tabular);
}

// Sends every run to Google Benchmark's JSON reporter (bench.json), to the --benchmark_out copy
// if any, and to the display: the console format shows only the medians (or the single run,
// without repetitions), so the file holds each repetition for the U test while the terminal
// stays readable; json and csv displays show everything, as Google Benchmark's would.
class TeeReporter : public benchmark::BenchmarkReporter {
 public:
  TeeReporter(std::ostream& json, std::ostream& console, const BenchRunOptions& options,
              std::ostream* copy)
      : display_(MakeReporter(options.display_format)),
        medians_only_(options.display_format == "console") {
    json_reporter_.SetOutputStream(&json);
    json_reporter_.SetErrorStream(&console);
    display_->SetOutputStream(&console);
    display_->SetErrorStream(&console);
    // As Google Benchmark does for --benchmark_out: errors (and the CSV reporter's context,
    // which it writes as errors) go to the file too.
    if (copy != nullptr) {
      copy_ = MakeReporter(options.out_format);
      copy_->SetOutputStream(copy);
      copy_->SetErrorStream(copy);
    }
    SetOutputStream(&console);
    SetErrorStream(&console);
  }

  bool ReportContext(const Context& context) override {
    bool ok = json_reporter_.ReportContext(context) && display_->ReportContext(context);
    if (copy_) ok = copy_->ReportContext(context) && ok;
    return ok;
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    json_reporter_.ReportRuns(runs);
    if (copy_) copy_->ReportRuns(runs);
    std::vector<Run> shown;
    for (const Run& run : runs) {
      const bool repeated = run.repetitions > 1;
      if (!medians_only_ || !repeated ||
          (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")) {
        shown.push_back(run);
      }
    }
    if (!shown.empty()) display_->ReportRuns(shown);
  }

  void Finalize() override {
    json_reporter_.Finalize();
    display_->Finalize();
    if (copy_) copy_->Finalize();
  }

 private:
  benchmark::JSONReporter json_reporter_;
  std::unique_ptr<benchmark::BenchmarkReporter> display_;
  std::unique_ptr<benchmark::BenchmarkReporter> copy_;
  bool medians_only_;
};

// Refuses to run anything: RunSpecifiedBenchmarks then only counts what the filter selects.
class CountingReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return false; }
  void ReportRuns(const std::vector<Run>&) override {}
};

// Set once a suite run cleared the registry, kernel benchmarks included: they register only at
// static initialization and cannot come back.
bool registry_cleared = false;

// Clears Google Benchmark's global registry on every way out, so a second call in one process
// (the tests) does not run the first call's benchmarks, whose captures are gone, and a suite run
// in the `harness` binary does not run the kernel benchmarks linked into it.
struct RegistryScope {
  RegistryScope() {
    benchmark::ClearRegisteredBenchmarks();
    registry_cleared = true;
  }
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

void CheckOptions(const BenchRunOptions& options) {
  if (options.repetitions < 1) throw Error("command line", "--repetitions must be at least 1");
  if (!(options.min_time_s > 0.0)) throw Error("command line", "--min-time must be positive");
}

// Runs what is registered and the filter selects.
BenchRunResult RunRegistered(const BenchRunOptions& options, std::ostream& console) {
  InitializeBenchmarkFlags(options.repetitions, options.min_time_s, options.benchmark_flags);
  // Opened before the run, so that a bad path fails at once, not after minutes of timing.
  std::ofstream copy_file;
  if (!options.out_file.empty()) {
    copy_file.open(options.out_file);
    if (!copy_file) throw Error(options.out_file, "cannot open for writing (--benchmark_out)");
  }
  std::ostringstream json, copy;
  TeeReporter reporter(json, console, options, options.out_file.empty() ? nullptr : &copy);
  BenchRunResult result;
  result.benchmark_count = benchmark::RunSpecifiedBenchmarks(&reporter);
  if (result.benchmark_count == 0) {
    // No run, no copy: the file opened above (empty) goes.
    if (copy_file.is_open()) {
      copy_file.close();
      std::filesystem::remove(options.out_file);
    }
    throw Error("command line", "--benchmark_filter=" + benchmark::GetBenchmarkFilter() +
                                    " selects no benchmark (or is not a valid regular expression)");
  }
  // --benchmark_list_tests: names printed, nothing run, no report.
  if (json.str().empty()) return result;

  // The context gains the harness's fields; everything Google Benchmark wrote stays as it is
  // (ordered_json keeps its field order).
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(json.str());
  } catch (const nlohmann::ordered_json::parse_error& e) {
    throw Error("Google Benchmark output", std::string("not JSON: ") + e.what());
  }
  for (const auto& [key, value] : options.context) document["context"][key] = value;
  result.json = document.dump(2) + "\n";
  if (copy_file.is_open()) {
    // The JSON copy is bench.json itself, harness context included.
    copy_file << (options.out_format == "json" ? result.json : copy.str());
    if (!copy_file.flush()) throw Error(options.out_file, "write failed (--benchmark_out)");
  }
  return result;
}

}  // namespace

BenchRunResult RunBenchmarks(const std::vector<ModelBenchmark>& benchmarks,
                             const BenchRunOptions& options, std::ostream& console) {
  CheckOptions(options);
  const RegistryScope registry;
  for (const ModelBenchmark& m : benchmarks) {
    Configure(benchmark::RegisterBenchmark(
        (m.id + "/model").c_str(),
        [&m](benchmark::State& state) { TimeModel(state, *m.model, m.inputs, m.macs); }));
    for (const SingleOpModel& op : m.ops) {
      Configure(benchmark::RegisterBenchmark((m.id + "/" + op.name).c_str(),
                                             [&op](benchmark::State& state) {
                                               TimeModel(state, *op.model, op.inputs, op.macs);
                                             }));
    }
  }
  return RunRegistered(options, console);
}

BenchRunResult RunKernelBenchmarks(const BenchRunOptions& options, std::ostream& console) {
  CheckOptions(options);
  // Counted with the flags reset (no filter, no listing) to tell "none linked" from "none
  // selected".
  InitializeBenchmarkFlags(1, 1.0, {});
  CountingReporter counter;
  // With nothing registered Google Benchmark reports "Failed to match any benchmarks"; the
  // error below says why instead.
  std::ostringstream silenced;
  counter.SetOutputStream(&silenced);
  counter.SetErrorStream(&silenced);
  if (benchmark::RunSpecifiedBenchmarks(&counter, ".") == 0) {
    throw Error("command line",
                registry_cleared
                    ? "the kernel benchmarks are gone: a suite benchmark run earlier in this process "
                      "cleared Google Benchmark's registry"
                    : "this harness has no kernel benchmarks: it was built with "
                      "HARNESS_BUILD_BENCHMARKS=OFF (give a SUITE.yaml, or rebuild with it ON)");
  }
  return RunRegistered(options, console);
}

}  // namespace harness::bench
