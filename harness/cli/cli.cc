#include "harness/cli/cli.h"

#include <exception>
#include <filesystem>
#include <new>
#include <ostream>

#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "kernels/optimized/dispatch.h"

namespace harness::cli {
namespace {

constexpr const char* kUsage =
    "usage: harness <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SUITE.yaml [--out DIR] [--baseline FILE]  every model x method x calibrator of a suite\n"
    "        [--update-baseline] [--jobs N] [--only GLOB] [--no-latency]\n"
    "  diff REPORT.json BASELINE.json                compare a report with a baseline\n"
    "  convert MODEL.onnx -o MODEL.tflite            float ONNX to float .tflite (NHWC)\n"
    "        [--equalize]                            cross-layer equalization of the float model\n"
    "  inspect MODEL.tflite                          inputs, outputs, per-op table, totals\n"
    "  infer MODEL.tflite --data SET.h5 --out OUT.h5  run every sample, write /outputs\n"
    "        [--dequantize-weights] [--samples N] [--jobs N]\n"
    "  quantize MODEL.tflite --method M -o OUT.tflite  fp32, dynamic, fp16, int8, int16x8, mixed\n"
    "        [--calibrator C] [--calib SET.h5] [--samples N] [--percentile P] [--float-io]\n"
    "        [--per-channel-fc] [--bias-correction] [--budget POINTS] [--keep float32|int16x8]\n"
    "        [--jobs N]\n"
    "  lint MODEL.tflite [--target T]                TFLite quantization spec check\n"
    "  eval MODEL.tflite --data SET.h5 [--task T]    task metrics (accuracy, AUC ...)\n"
    "        [--json] [--samples N] [--dequantize-weights]\n"
    "  export-c MODEL.tflite -o model_data.cc       C array, resolver, arena size, golden vectors\n"
    "        [--data SET.h5 --vectors N] [--name g_model]\n"
    "  bench [SUITE.yaml] [--out DIR] [--baseline FILE]  Google Benchmark timings, model and per op;\n"
    "        [--update-baseline] [--repetitions N] [--min-time S] [--only GLOB]  no suite: the kernels\n"
    "        [--kernels reference|portable|avx2|avx512vnni] [--alpha A] [--threshold PCT]\n"
    "        [--benchmark_filter=REGEX and any other Google Benchmark --benchmark_* flag]\n";

}  // namespace

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? err : out) << kUsage;
    return args.empty() ? kExitBadInput : kExitOk;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    // A misspelled HARNESS_KERNELS would otherwise measure another variant without a word.
    if (const std::string problem = kernels::optimized::KernelRequestProblem(); !problem.empty())
      throw Error("HARNESS_KERNELS", problem);
    if (command == "run") return RunRun(rest, out);
    if (command == "diff") return RunDiff(rest, out);
    if (command == "convert") return RunConvert(rest, out);
    if (command == "inspect") return RunInspect(rest, out);
    if (command == "infer") return RunInfer(rest, out);
    if (command == "quantize") return RunQuantize(rest, out);
    if (command == "lint") return RunLint(rest, out);
    if (command == "eval") return RunEval(rest, out);
    if (command == "export-c") return RunExportC(rest, out);
    if (command == "bench") return RunBench(rest, out);
    err << "harness: error: unknown command '" << command << "'\n" << kUsage;
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
