// `harness run SUITE.yaml [--out DIR] [--baseline FILE] [--update-baseline] [--jobs N]
// [--only GLOB]`: the nightly job. Exit 0 without regression, 1 with one, 2 on bad input,
// 130 when interrupted (nothing written: reports and baseline are committed together, and only
// when no interrupt came before).

#include <tbb/global_control.h>

#include <algorithm>
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
#include "harness/common/interrupt.h"
#include "harness/report/atomic_file.h"
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

extern "C" void OnInterrupt(int) { InterruptFlag().store(true); }

// Installs the Ctrl-C handler for the lifetime of a run and restores the previous one. While
// it is installed a Ctrl-C only sets the flag: the run stops at its next check, and a second
// Ctrl-C during the writes cannot cut them short.
class InterruptScope {
 public:
  InterruptScope() {
    InterruptFlag().store(false);
    previous_ = std::signal(SIGINT, OnInterrupt);
  }
  ~InterruptScope() { std::signal(SIGINT, previous_); }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  void (*previous_)(int) = nullptr;
};

int ReportInterrupted(std::ostream& out) {
  out << "harness: run interrupted; no report or baseline written\n";
  return kExitInterrupted;
}

}  // namespace

int RunRun(const std::vector<std::string>& args, std::ostream& out) {
  const InterruptScope interrupt_scope;
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
  options.cancel = &InterruptFlag();

  runner::RunReport run;
  try {
    run = runner::RunSuite(suite, options);
  } catch (const runner::Cancelled&) {
    return ReportInterrupted(out);
  }
  if (InterruptRequested()) return ReportInterrupted(out);

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
  // Reports and baseline are staged, then committed together unless Ctrl-C came meanwhile:
  // an interrupted run leaves the previous reports and baseline as they were.
  const size_t failed = run.FailedCount();
  report::AtomicFileSet files;
  report::StageReports(run, comparison ? &*comparison : nullptr, options.out_dir, files);
  if (update && failed == 0) files.Stage(baseline_path, report::BaselineJson(run));
  if (InterruptRequested()) return ReportInterrupted(out);
  files.Commit();
  out << "harness: " << run.results.size() << " results; reports in " << options.out_dir << "\n";
  if (comparison) {
    out << "harness: against " << baseline_path << ": "
        << comparison->Count(report::Status::kRegressed) << " regressed, "
        << comparison->Count(report::Status::kImproved) << " improved, "
        << comparison->Count(report::Status::kNew) << " new, "
        << comparison->Count(report::Status::kMissing) << " missing\n";
    // The regressions themselves, most severe first, so a CI log shows what failed and why.
    for (const report::ResultComparison* r : comparison->Regressions()) {
      std::string why = r->status == report::Status::kMissing ? "missing from this run" : "";
      for (const auto& line : report::RegressionLines(*r)) why += (why.empty() ? "" : "; ") + line;
      out << "harness: regressed " << r->id << ": " << why << "\n";
    }
  }
  // A result that could not be measured fails the run after the reports are written, and
  // keeps a baseline from being replaced by one with holes.
  if (failed > 0) {
    out << "harness: " << failed << " of " << run.results.size() << " results failed"
        << (update ? "; baseline not updated" : "") << "\n";
    // The first failure is the command's error (exit 2); every one is in the reports and in
    // the progress lines above.
    const auto first =
        std::find_if(run.results.begin(), run.results.end(),
                     [](const runner::ResultRecord& r) { return r.error.has_value(); });
    throw Error(first->id,
                *first->error + (failed > 1 ? " (and " + std::to_string(failed - 1) +
                                                  " more failed results, listed in the reports)"
                                            : ""));
  }
  if (update) {
    out << "harness: baseline written to " << baseline_path << "\n";
    return kExitOk;
  }
  return comparison && comparison->HasRegression() ? kExitRegression : kExitOk;
}

}  // namespace harness::cli
