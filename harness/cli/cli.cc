#include "harness/cli/cli.h"

#include <ostream>

#include "harness/common/error.h"

namespace harness::cli {
namespace {

constexpr const char* kUsage =
    "usage: harness <command> [options]\n"
    "\n"
    "commands:\n"
    "  inspect MODEL.tflite                          inputs, outputs, per-op table, totals\n"
    "  infer MODEL.tflite --data SET.h5 --out OUT.h5  run every sample, write /outputs\n";

}  // namespace

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? kExitBadInput : kExitOk;
  }
  try {
    err << "harness: error: unknown command '" << args[0] << "'\n" << kUsage;
    return kExitBadInput;
  } catch (const Error& e) {
    err << "harness: error: " << e.what() << "\n";
    return kExitBadInput;
  }
}

}  // namespace harness::cli
