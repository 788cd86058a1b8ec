#include "harness/cli/run_outcome.h"

#include <algorithm>
#include <ostream>

#include "harness/cli/cli.h"
#include "harness/common/error.h"
#include "harness/common/interrupt.h"
#include "harness/report/atomic_file.h"
#include "harness/report/baseline.h"
#include "harness/report/markdown_report.h"
#include "harness/report/write_reports.h"
#include "harness/runner/glob.h"

namespace harness::cli {
namespace {

int ReportInterrupted(std::ostream& out) {
  out << "harness: run interrupted; no report or baseline written\n";
  return kExitInterrupted;
}

}  // namespace

int FinishRun(const runner::RunReport& run, RunOutcomeOptions options, std::ostream& out) {
  std::optional<report::Comparison> comparison;
  if (options.baseline) {
    // A run of a few results (--only) is compared with those results of the baseline; the
    // others are not missing, only not asked for.
    if (!options.only.empty()) {
      std::erase_if(options.baseline->results, [&](const runner::ResultRecord& r) {
        return !runner::GlobMatch(options.only, r.id);
      });
    }
    comparison = report::Compare(run, *options.baseline, options.tolerances);
    comparison->baseline_source = options.baseline_path;
  }
  // Reports and baseline are staged, then committed together unless Ctrl-C came meanwhile:
  // an interrupted run leaves the previous reports and baseline as they were.
  const bool update = options.update_baseline;
  const size_t failed = run.FailedCount();
  report::AtomicFileSet files;
  report::StageReports(run, comparison ? &*comparison : nullptr, options.out_dir, files);
  if (update && failed == 0) files.Stage(options.baseline_path, report::BaselineJson(run));
  if (InterruptRequested()) return ReportInterrupted(out);
  files.Commit();
  out << "harness: " << run.results.size() << " results; reports in " << options.out_dir << "\n";
  if (run.cache) {
    out << "harness: " << run.cache->reused.size() << " of " << run.results.size()
        << " results reused from the cache\n";
  }
  if (comparison) {
    out << "harness: against " << options.baseline_path << ": "
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
    out << "harness: baseline written to " << options.baseline_path << "\n";
    return kExitOk;
  }
  return comparison && comparison->HasRegression() ? kExitRegression : kExitOk;
}

}  // namespace harness::cli
