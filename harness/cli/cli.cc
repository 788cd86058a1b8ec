#include "harness/cli/cli.h"

#include <exception>
#include <filesystem>
#include <new>
#include <ostream>

#include "harness/cli/command_help.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "kernels/optimized/dispatch.h"

namespace harness::cli {
namespace {

bool IsHelp(const std::string& arg) { return arg == "--help" || arg == "-h"; }

}  // namespace

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || IsHelp(args[0]) || args[0] == "help") {
    (args.empty() ? err : out) << Usage();
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "--version") {
    out << VersionText();
    return kExitOk;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  // `harness COMMAND --help` anywhere among the arguments prints that command's help and runs
  // nothing; Google Benchmark's flags all start with --benchmark_, so bench loses no flag.
  for (const CommandHelp& help : Commands()) {
    if (help.name != command) continue;
    for (const std::string& arg : rest) {
      if (IsHelp(arg)) {
        out << CommandUsage(help);
        return kExitOk;
      }
    }
  }
  try {
    // A misspelled HARNESS_KERNELS would otherwise measure another variant without a word.
    if (const std::string problem = kernels::optimized::KernelRequestProblem(); !problem.empty())
      throw Error("HARNESS_KERNELS", problem);
    if (command == "run") return RunRun(rest, out);
    if (command == "merge") return RunMerge(rest, out);
    if (command == "diff") return RunDiff(rest, out);
    if (command == "convert") return RunConvert(rest, out);
    if (command == "inspect") return RunInspect(rest, out);
    if (command == "infer") return RunInfer(rest, out);
    if (command == "quantize") return RunQuantize(rest, out);
    if (command == "lint") return RunLint(rest, out);
    if (command == "eval") return RunEval(rest, out);
    if (command == "export-c") return RunExportC(rest, out);
    if (command == "bench") return RunBench(rest, out);
    err << "harness: error: unknown command '" << command << "'\n" << Usage();
    return kExitBadInput;
  } catch (const Error& e) {
    err << "harness: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the system refuses (too long, a component not a folder ...): name it.
    err << "harness: error: " << (e.path1().empty() ? command : e.path1().string()) << ": "
        << e.code().message() << "\n";
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    err << "harness: error: " << command
        << ": out of memory (an input larger than this machine can hold?)\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    // Anything else that escapes is still reported, never a crash; the input that caused it
    // is the likeliest culprit.
    err << "harness: error: " << command << ": " << e.what() << "\n";
    return kExitBadInput;
  }
}

}  // namespace harness::cli
