// `harness diff REPORT.json BASELINE.json`: the baseline comparison of `harness run` on its own,
// with the tolerances stored in the report. Prints the Markdown report with its comparison;
// exit 1 on any regression (or a result missing from the report), 0 otherwise.

#include <ostream>

#include "harness/cli/args.h"
#include "harness/cli/cli.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "harness/report/baseline.h"
#include "harness/report/json_report.h"
#include "harness/report/markdown_report.h"

namespace harness::cli {

int RunDiff(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("diff"), args);
  const std::string& report_path = parsed.positional()[0];
  const std::string& baseline_path = parsed.positional()[1];
  const runner::RunReport current = report::ReadJsonReport(report_path);
  if (current.schema != runner::kReportSchema) {
    throw Error(report_path,
                "schema '" + current.schema + "', expected '" + runner::kReportSchema + "'");
  }
  const runner::RunReport baseline = report::ReadBaseline(baseline_path);
  report::Comparison comparison;
  try {
    comparison = report::Compare(current, baseline, report::ToSuiteTolerances(current.tolerances));
  } catch (const Error& e) {
    throw Error(baseline_path, e.message());
  }
  comparison.baseline_source = baseline_path;
  out << report::ToMarkdown(current, &comparison);
  return comparison.HasRegression() ? kExitRegression : kExitOk;
}

}  // namespace harness::cli
