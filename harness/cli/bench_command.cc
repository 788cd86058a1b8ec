// `harness bench [SUITE.yaml] [--out DIR] [--baseline FILE] [--update-baseline]
// [--repetitions N] [--min-time S] [--only GLOB] [--kernels VARIANT] [--alpha A]
// [--threshold PCT] [--benchmark_*=...]`: Google Benchmark timings of every selected model x
// method of a suite, whole model and op by op, or without a suite the kernel microbenchmarks of
// kernels/bench/, written as Google Benchmark JSON to DIR/bench.json and compared with a
// benchmark baseline (docs/bench.md). Google Benchmark's own flags pass through
// (bench/benchmark_flags.h). Exit 0 when nothing is slower, 1 when a benchmark is slower, 2 on
// bad usage or a malformed or mismatched baseline.

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "harness/bench/bench_plan.h"
#include "harness/bench/benchmark_flags.h"
#include "harness/bench/benchmark_json.h"
#include "harness/bench/compare.h"
#include "harness/bench/run_benchmarks.h"
#include "harness/cli/args.h"
#include "harness/cli/cli.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "harness/report/atomic_file.h"
#include "harness/runner/build_info.h"
#include "harness/suite/suite_parser.h"
#include "kernels/optimized/dispatch.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using kernels::optimized::KernelVariant;

double PositiveNumber(const Args& parsed, const std::string& name, double fallback) {
  const auto text = parsed.option(name);
  if (!text) return fallback;
  size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text->size() || !(value > 0.0)) {
    throw Error("command line", name + " expects a positive number, got '" + *text + "'");
  }
  return value;
}

// The kernel dispatch reads HARNESS_KERNELS once, on first use; --kernels sets it before any
// kernel ran and then checks that the dispatch took it (it falls back silently otherwise).
std::string SelectKernels(const std::optional<std::string>& requested) {
  if (requested) {
    bool known = false;
    for (KernelVariant v : {KernelVariant::kReference, KernelVariant::kPortable,
                            KernelVariant::kAvx2, KernelVariant::kAvx512Vnni}) {
      if (*requested != kernels::optimized::VariantName(v)) continue;
      known = true;
      if (!kernels::optimized::VariantSupported(v)) {
        throw Error("command line", "--kernels " + *requested + ": this CPU cannot run it");
      }
    }
    if (!known) {
      throw Error("command line", "--kernels '" + *requested +
                                      "': expected reference, portable, avx2 or avx512vnni");
    }
    ::setenv("HARNESS_KERNELS", requested->c_str(), 1);
  }
  const std::string selected(
      kernels::optimized::VariantName(kernels::optimized::SelectedVariant()));
  if (requested && selected != *requested) {
    throw Error("command line", "--kernels " + *requested + ": the kernels were already chosen ('" +
                                    selected + "') in this process");
  }
  return selected;
}

}  // namespace

int RunBench(const std::vector<std::string>& args, std::ostream& out) {
  const bench::BenchmarkFlags google = bench::SplitBenchmarkFlags(args);
  const Args parsed(FindCommand("bench"), google.harness_args);
  const bool kernel_benchmarks = parsed.positional().empty();
  if (kernel_benchmarks && parsed.option("--only")) {
    throw Error("command line",
                "--only selects results of a suite; the kernel benchmarks are "
                "selected with --benchmark_filter=REGEX");
  }
  if (kernel_benchmarks && parsed.option("--kernels")) {
    throw Error("command line",
                "--kernels pins a suite's kernels; the kernel benchmarks time "
                "every variant this CPU runs (select one with "
                "--benchmark_filter=/reference$)");
  }
  // One setting, two spellings: refused together rather than one silently winning.
  if (google.repetitions && parsed.option("--repetitions")) {
    throw Error("command line",
                "--repetitions and --benchmark_repetitions are the same setting: give one");
  }
  if (google.min_time_s && parsed.option("--min-time")) {
    throw Error("command line",
                "--min-time and --benchmark_min_time are the same setting: give one");
  }
  const std::optional<std::string> baseline_path = parsed.option("--baseline");
  const bool update = parsed.flag("--update-baseline");
  if (update && !baseline_path)
    throw Error("command line", "--update-baseline needs --baseline FILE");

  bench::BenchRunOptions run_options;
  run_options.repetitions =
      google.repetitions.value_or(static_cast<int>(parsed.count("--repetitions").value_or(10)));
  run_options.min_time_s = google.min_time_s.value_or(PositiveNumber(parsed, "--min-time", 0.5));
  run_options.benchmark_flags = google.passed;
  run_options.display_format = google.display_format;
  run_options.out_file = google.out_file;
  run_options.out_format = google.out_format;
  if (baseline_path && run_options.repetitions < static_cast<int>(bench::kMinRepetitions)) {
    throw Error("command line",
                "--baseline needs --repetitions of at least 2 for the U test (9+ recommended)");
  }
  bench::CompareOptions compare_options;
  compare_options.alpha = PositiveNumber(parsed, "--alpha", compare_options.alpha);
  compare_options.threshold =
      PositiveNumber(parsed, "--threshold", compare_options.threshold * 100.0) / 100.0;

  // Read the baseline before the long run: a malformed one fails at once.
  std::optional<bench::BenchmarkFile> baseline;
  if (baseline_path && !(update && !fs::exists(*baseline_path))) {
    baseline = bench::ReadBenchmarkJson(*baseline_path);
  }

  std::optional<suite::Suite> suite;
  if (!kernel_benchmarks) {
    suite.emplace(suite::LoadSuite(parsed.positional()[0]));
    run_options.context["harness_suite"] = suite->name;
    run_options.context["harness_kernels"] = SelectKernels(parsed.option("--kernels"));
    // A baseline of other kernels fails now rather than after the whole run.
    if (baseline && baseline->context.count("harness_kernels") &&
        baseline->context.at("harness_kernels") != run_options.context["harness_kernels"]) {
      throw Error(*baseline_path,
                  "context.harness_kernels: '" + baseline->context.at("harness_kernels") +
                      "', but this run uses '" + run_options.context["harness_kernels"] + "'");
    }
  } else {
    // Each kernel benchmark names its variant; the dispatch's choice plays no part.
    run_options.context["harness_benchmarks"] = "kernels/bench";
  }
  run_options.context["harness_version"] = runner::GetBuildInfo().version;
  run_options.context["harness_git_commit"] = runner::GetBuildInfo().git_commit;

  bench::BenchRunResult result;
  if (kernel_benchmarks) {
    result = bench::RunKernelBenchmarks(run_options, out);
  } else {
    const std::vector<bench::ModelBenchmark> benchmarks =
        bench::PrepareBenchmarks(*suite, parsed.option("--only").value_or(""), &out);
    result = bench::RunBenchmarks(benchmarks, run_options, out);
  }
  // --benchmark_list_tests only printed the names.
  if (result.json.empty()) return kExitOk;
  const std::string& json = result.json;

  const fs::path out_dir = parsed.option("--out").value_or(
      "harness-out/" + (suite ? suite->name : std::string("kernels")));
  fs::create_directories(out_dir);
  const std::string json_path = (out_dir / "bench.json").string();
  report::WriteFileAtomically(json_path, json);
  out << "harness: benchmarks in " << json_path << "\n";

  int code = kExitOk;
  if (baseline) {
    const bench::BenchmarkFile current = bench::ParseBenchmarkJson(json, json_path);
    const bench::BenchComparison comparison =
        bench::CompareRuns(current, *baseline, compare_options);
    out << "harness: against " << *baseline_path << "\n" << bench::FormatComparison(comparison);
    if (comparison.HasSlowdown()) code = kExitRegression;
  }
  if (update) {
    report::WriteFileAtomically(*baseline_path, json);
    out << "harness: benchmark baseline written to " << *baseline_path << "\n";
    code = kExitOk;
  }
  return code;
}

}  // namespace harness::cli
