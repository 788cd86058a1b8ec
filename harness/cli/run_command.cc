// `harness run SUITE.yaml [--out DIR] [--baseline FILE] [--update-baseline] [--jobs N]
// [--only GLOB] [--shard K/N] [--cache DIR]`: the nightly job. Exit 0 without regression, 1
// with one, 2 on bad input, 130 when interrupted (nothing written: reports and baseline are
// committed together, and only when no interrupt came before). With --shard a part writes only
// its report.json (per-sample outcomes and the shard plan) and its models for `harness merge`,
// which compares, writes the reports and gates; a part itself exits 0 unless its input is bad.

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
#include "harness/cli/run_outcome.h"
#include "harness/common/error.h"
#include "harness/common/interrupt.h"
#include "harness/report/atomic_file.h"
#include "harness/report/baseline.h"
#include "harness/report/json_report.h"
#include "harness/report/result_cache_dir.h"
#include "harness/report/write_reports.h"
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

// A part of a sharded run: its report.json (with the plan and per-sample outcomes, which merge
// needs for the comparisons) beside its models; no comparison, no gate.
int FinishPart(const runner::RunReport& run, const std::string& out_dir, std::ostream& out) {
  if (InterruptRequested()) return ReportInterrupted(out);
  report::WriteFileAtomically((fs::path(out_dir) / report::kJsonReportName).string(),
                              report::ToJson(run));
  out << "harness: part " << run.shard->index << "/" << run.shard->count << ": "
      << run.results.size() << " of " << run.shard->result_ids.size() << " results in " << out_dir
      << " (balanced by " << run.shard->balance << "); merge the parts with "
      << "`harness merge`\n";
  if (run.cache) {
    out << "harness: " << run.cache->reused.size() << " of " << run.results.size()
        << " results reused from the cache\n";
  }
  if (const size_t failed = run.FailedCount(); failed > 0)
    out << "harness: " << failed << " results failed; the merge reports them\n";
  return kExitOk;
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
  if (auto shard = parsed.option("--shard")) {
    if (update) {
      throw Error("command line",
                  "--update-baseline with --shard: a part holds only some results; merge the "
                  "parts and rerun unsharded to write a baseline");
    }
    options.shard = runner::ParseShard(*shard);
    options.cost_baseline = baseline ? &*baseline : nullptr;
  }
  std::unique_ptr<report::ResultCacheDir> cache;
  if (auto dir = parsed.option("--cache")) {
    cache = std::make_unique<report::ResultCacheDir>(*dir);
    options.cache = cache.get();
  }

  runner::RunReport run;
  try {
    run = runner::RunSuite(suite, options);
  } catch (const runner::Cancelled&) {
    return ReportInterrupted(out);
  }
  if (InterruptRequested()) return ReportInterrupted(out);
  if (run.shard) return FinishPart(run, options.out_dir, out);

  RunOutcomeOptions outcome;
  outcome.out_dir = options.out_dir;
  outcome.baseline = std::move(baseline);
  outcome.baseline_path = baseline_path;
  outcome.only = options.only;
  outcome.tolerances = suite.tolerances;
  outcome.update_baseline = update;
  return FinishRun(run, std::move(outcome), out);
}

}  // namespace harness::cli
