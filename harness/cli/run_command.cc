// `harness run SUITE.yaml [--out DIR] [--baseline FILE] [--update-baseline] [--jobs N]
// [--only GLOB]`: the nightly job. Exit 0 without regression, 1 with one, 2 on bad input,
// 130 when interrupted (nothing half-written: reports and baselines are written atomically,
// and an interrupted run writes no baseline).

#include <tbb/global_control.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>
#include <thread>

#include "harness/cli/args.h"
#include "harness/cli/cli.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "harness/report/baseline.h"
#include "harness/report/markdown_report.h"
#include "harness/report/write_reports.h"
#include "harness/runner/glob.h"
#include "harness/runner/progress.h"
#include "harness/runner/suite_runner.h"
#include "harness/suite/suite_parser.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_interrupted{false};

extern "C" void OnInterrupt(int) { g_interrupted.store(true); }

// Installs the Ctrl-C handler for the lifetime of a run and restores the previous one.
class InterruptScope {
 public:
  InterruptScope() {
    g_interrupted.store(false);
    previous_ = std::signal(SIGINT, OnInterrupt);
  }
  ~InterruptScope() { std::signal(SIGINT, previous_); }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  void (*previous_)(int) = nullptr;
};

}  // namespace

int RunRun(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("run"), args);
  const suite::Suite suite = suite::LoadSuite(parsed.positional()[0]);

  std::unique_ptr<tbb::global_control> thread_limit;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (auto jobs = parsed.count("--jobs")) {
    threads = static_cast<int>(*jobs);
    thread_limit =
        std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, *jobs);
  }

  // The baseline: --baseline, else the suite's. A baseline named on the command line must
  // exist unless it is about to be written; the suite's may not exist yet (a first run).
  std::string baseline_path = parsed.option("--baseline").value_or(suite.baseline);
  const bool update = parsed.flag("--update-baseline");
  if (update && baseline_path.empty()) {
    throw Error("command line",
                "--update-baseline needs --baseline FILE or a suite with a baseline");
  }
  if (update && parsed.option("--only")) {
    throw Error(
        "command line",
        "--update-baseline with --only would drop every result --only leaves out of the baseline");
  }
  std::optional<runner::RunReport> baseline;
  if (!baseline_path.empty() && fs::exists(baseline_path)) {
    baseline = report::ReadBaseline(baseline_path);
  } else if (parsed.option("--baseline") && !update) {
    throw Error(baseline_path, "baseline file not found");
  }

  runner::RunOptions options;
  options.only = parsed.option("--only").value_or("");
  options.out_dir = parsed.option("--out").value_or("harness-out/" + suite.name);
  options.log = &out;
  options.interactive = runner::IsInteractive(1);
  options.measure_latency = !parsed.flag("--no-latency");
  options.threads = threads;
  options.cancel = &g_interrupted;

  runner::RunReport run;
  {
    const InterruptScope interrupt_scope;
    try {
      run = runner::RunSuite(suite, options);
    } catch (const runner::Cancelled&) {
      out << "harness: run interrupted; no report or baseline written\n";
      return kExitInterrupted;
    }
  }

  std::optional<report::Comparison> comparison;
  if (baseline) {
    // A run of a few results (--only) is compared with those results of the baseline; the
    // others are not missing, only not asked for.
    if (!options.only.empty()) {
      std::erase_if(baseline->results, [&](const runner::ResultRecord& r) {
        return !runner::GlobMatch(options.only, r.id);
      });
    }
    comparison = report::Compare(run, *baseline, suite.tolerances);
    comparison->baseline_source = baseline_path;
  }
  report::WriteReports(run, comparison ? &*comparison : nullptr, options.out_dir);
  out << "harness: " << run.results.size() << " results; reports in " << options.out_dir << "\n";
  if (comparison) {
    out << "harness: against " << baseline_path << ": "
        << comparison->Count(report::Status::kRegressed) << " regressed, "
        << comparison->Count(report::Status::kImproved) << " improved, "
        << comparison->Count(report::Status::kNew) << " new, "
        << comparison->Count(report::Status::kMissing) << " missing\n";
  }
  if (update) {
    report::WriteBaseline(run, baseline_path);
    out << "harness: baseline written to " << baseline_path << "\n";
    return kExitOk;
  }
  return comparison && comparison->HasRegression() ? kExitRegression : kExitOk;
}

}  // namespace harness::cli
