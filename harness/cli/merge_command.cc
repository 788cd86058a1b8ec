// `harness merge OUT_DIR... --out DIR [--baseline FILE]`: the parts of a sharded run
// (report/merge_parts.h) into the reports, baseline comparison, JUnit and exit code of the
// unsharded run, by the same code that ends `harness run` (run_outcome.h).

#include <filesystem>
#include <ostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/cli/run_outcome.h"
#include "harness/common/error.h"
#include "harness/report/baseline.h"
#include "harness/report/merge_parts.h"

namespace harness::cli {

int RunMerge(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("merge"), args);
  const std::vector<report::ShardPart> parts = report::ReadParts(parsed.positional());
  const runner::RunReport merged = report::MergeParts(parts);
  const std::string out_dir = parsed.required("--out");
  report::CopyArtifacts(parts, out_dir);

  RunOutcomeOptions outcome;
  outcome.out_dir = out_dir;
  if (auto baseline = parsed.option("--baseline")) {
    if (!std::filesystem::exists(*baseline)) throw Error(*baseline, "baseline file not found");
    outcome.baseline = report::ReadBaseline(*baseline);
    outcome.baseline_path = *baseline;
  }
  outcome.only = parts.front().report.shard->only;
  outcome.tolerances = report::ToSuiteTolerances(merged.tolerances);
  out << "harness: merged " << parts.size() << " parts of " << merged.suite_name << "\n";
  return FinishRun(merged, std::move(outcome), out);
}

}  // namespace harness::cli
