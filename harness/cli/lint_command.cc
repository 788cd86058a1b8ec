// `harness lint MODEL.tflite [--target T]`: the TFLite quantization spec check (quant/lint.h).
// Exit 0 when clean or warnings only, 1 with errors, 2 when the model cannot be read.

#include <ostream>

#include "harness/cli/args.h"
#include "harness/cli/cli.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "harness/model/model_file.h"
#include "harness/quant/lint.h"

namespace harness::cli {

int RunLint(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("lint"), args);
  const std::string& model_path = parsed.positional()[0];
  quant::LintTarget target = quant::LintTarget::SpecOnly();
  if (auto name = parsed.option("--target")) {
    auto found = quant::FindLintTarget(*name);
    if (!found) {
      throw Error("command line",
                  "unknown target '" + *name + "' (known: " + quant::KnownLintTargets() + ")");
    }
    target = std::move(*found);
  }
  const model::Graph graph = model::LoadModelFile(model_path);
  const quant::LintReport report = quant::Lint(graph, target);
  quant::PrintLintReport(graph, report, out);
  out << model_path << ": " << report.errors() << " error(s), " << report.warnings()
      << " warning(s)" << (target.checks_target() ? " for target " + target.name : "") << "\n";
  return report.has_errors() ? kExitRegression : kExitOk;
}

}  // namespace harness::cli
