// The table of commands behind cli/command_help.h: each command's operands, options and help.

#include <stdexcept>

#include "harness/cli/command_help.h"

namespace harness::cli {
namespace {

const OptionHelp kJobs{"--jobs", "N", "use at most N threads (default: every core)"};

std::vector<CommandHelp> MakeCommands() {
  std::vector<CommandHelp> c;
  c.push_back({
      "run",
      "SUITE.yaml",
      1,
      1,
      {{"--out", "DIR", "write the reports into DIR (default: harness-out/SUITE_NAME)"},
       {"--baseline", "FILE", "compare with FILE instead of the suite's `baseline`"},
       {"--update-baseline", "", "write this run as the new baseline (not with --only)"},
       kJobs,
       {"--only", "GLOB",
        "run only the results whose id matches GLOB (e.g. 'digits/int8/*'), compared with the "
        "same results of the baseline"},
       {"--no-latency", "", "skip the latency measurement"},
       {"--shard", "K/N",
        "run part K of N (whole models, balanced by the baseline's measured cost, else MACs x "
        "samples); writes report.json for `harness merge`"},
       {"--cache", "DIR",
        "reuse results whose inputs, method, target and harness build are unchanged; store the "
        "others in DIR"}},
      "",
      "every model x method x calibrator of a suite",
      "Quantizes every model of the suite under every method and calibrator, runs each result "
      "with the project's kernels, measures task metrics, fidelity, size, arena and latency, and "
      "writes report.json, report.md, report.html and junit.xml, compared with the baseline. "
      "report.json is identical for any --jobs apart from its timing fields.\n\n"
      "Exit status 1 when a result regressed against the baseline.",
  });
  c.push_back({
      "merge",
      "OUT_DIR...",
      1,
      256,  // GitHub Actions' most jobs per matrix
      {{"--out", "DIR", "write the merged reports into DIR", true},
       {"--baseline", "FILE", "compare the merged run with FILE"}},
      "",
      "one report from the parts of a sharded run",
      "Reads the report.json of every part of a `harness run --shard K/N` run, checks that they "
      "come from the same suite, inputs and harness build and that each part is there once, and "
      "writes the report.json, report.md, report.html and junit.xml (and copies the models) "
      "that the unsharded run would have written.\n\n"
      "Exit status 1 when a result regressed against the baseline, 2 when a part is missing, "
      "duplicated or from another run, or a result failed.",
  });
  c.push_back({
      "quantize",
      "MODEL",
      1,
      1,
      {{"--method", "M", "fp32, dynamic, fp16, int8, int16x8 or mixed", true},
       {"--calibrator", "C", "minmax, percentile, entropy or mse (default minmax)"},
       {"--calib", "SET.h5", "calibration set (int8, int16x8, mixed)"},
       {"--samples", "N", "calibrate on the first N samples of the set"},
       {"--percentile", "P", "share of values the percentile calibrator keeps (default 99.99)"},
       {"--float-io", "", "keep float inputs and outputs (int8)"},
       {"--per-channel-fc", "", "per-channel FULLY_CONNECTED weights (int8)"},
       {"--bias-correction", "", "subtract the mean shift the weight rounding causes (int8)"},
       {"--budget", "POINTS", "accuracy drop from fp32 the mixed method may spend"},
       {"--keep", "float32|int16x8", "what the mixed method keeps its sensitive layers in"},
       kJobs,
       {"-o", "OUT.tflite", "the quantized model to write", true}},
      "",
      "one method's quantized model",
      "Writes the model quantized with one method, as a .tflite that passes the flatbuffers "
      "verifier and `harness lint`.",
  });
  c.push_back({
      "eval",
      "MODEL",
      1,
      1,
      {{"--data", "SET.h5", "the evaluation set", true},
       {"--task", "T", "classification, detection or anomaly (default: the set's `task`)"},
       {"--json", "", "print one JSON object whose metrics use the names of the report"},
       {"--samples", "N", "evaluate the first N samples"},
       {"--dequantize-weights", "", "run a hybrid model with its weights dequantized to float"}},
      "",
      "task metrics of one model on one set",
      "Prints the task metrics of one model on one set: accuracy and the confusion matrix, mAP, "
      "or ROC AUC.",
  });
  c.push_back({
      "infer",
      "MODEL",
      1,
      1,
      {{"--data", "SET.h5", "the input set", true},
       {"--out", "OUT.h5", "where to write /outputs", true},
       {"--samples", "N", "run the first N samples"},
       kJobs,
       {"--dequantize-weights", "", "run a hybrid model with its weights dequantized to float"}},
      "",
      "run every sample, write /outputs",
      "Runs every sample of a set and writes /outputs ([N, ...], or [N, W, ...] for a windowed "
      "set) in the model's output type.",
  });
  c.push_back({
      "inspect",
      "MODEL",
      1,
      1,
      {},
      "",
      "inputs, outputs, per-op table, totals",
      "Prints the model's inputs and outputs and one line per op (shapes, quantization, weights, "
      "MACs, parameter bytes), with totals.",
  });
  c.push_back({
      "lint",
      "MODEL.tflite",
      1,
      1,
      {{"--target", "T", "also check what the target can run (esp32-s3)"}},
      "",
      "TFLite quantization spec and target check",
      "Checks a model against the TFLite quantization specification and, with --target, "
      "against what TFLite-Micro on that target can run.\n\n"
      "Exit status 1 when the model has lint errors.",
  });
  c.push_back({
      "diff",
      "REPORT.json BASELINE.json",
      2,
      2,
      {},
      "",
      "compare a report with a baseline",
      "Compares a report.json with a baseline with the suite's tolerances and prints each "
      "result's status and metric deltas.\n\n"
      "Exit status 1 when a result regressed.",
  });
  c.push_back({
      "convert",
      "MODEL.onnx",
      1,
      1,
      {{"-o", "MODEL.tflite", "the float .tflite to write (NHWC)", true},
       {"--equalize", "", "write the cross-layer-equalized float model"}},
      "",
      "float ONNX to float .tflite",
      "Imports a float ONNX model (opsets 11 to 17, as PyTorch exports them) and writes it as a "
      "float .tflite with TFLite semantics and NHWC layout.",
  });
  c.push_back({
      "bench",
      "[SUITE.yaml]",
      0,
      1,
      {{"--out", "DIR", "write bench.json into DIR"},
       {"--baseline", "FILE", "compare with this benchmark baseline"},
       {"--update-baseline", "", "write the timings as the new benchmark baseline"},
       {"--repetitions", "N", "repetitions of each benchmark (default 10)"},
       {"--min-time", "S", "minimum time of each repetition, in seconds"},
       {"--only", "GLOB", "time only the suite results whose id matches GLOB"},
       {"--kernels", "VARIANT", "reference, portable, avx2 or avx512vnni (kernel benchmarks)"},
       {"--alpha", "A", "significance level of the Mann-Whitney U test"},
       {"--threshold", "PCT", "smallest slowdown that counts, in percent"}},
      "[Google Benchmark flags]",
      "Google Benchmark timings, whole model and per op",
      "Times every model and every op of a suite's results with Google Benchmark, or without a "
      "suite the kernels at the layer shapes of the shipped and MLPerf Tiny models, writes "
      "Google Benchmark's JSON and compares it with a benchmark baseline by a Mann-Whitney U test "
      "on the repetitions. Google Benchmark's own --benchmark_* flags pass through.\n\n"
      "Exit status 1 when a benchmark is significantly slower.",
  });
  c.push_back({
      "export-c",
      "MODEL.tflite",
      1,
      1,
      {{"-o", "model_data.cc", "the C source to write", true},
       {"--data", "SET.h5", "take golden vectors from this set"},
       {"--vectors", "N", "how many golden input/output vectors"},
       {"--name", "g_model", "name of the model array"}},
      "",
      "C array, op resolver, arena size, golden vectors",
      "Writes the model as an aligned C array with its length, the op resolver it needs, a "
      "tensor arena size and, with --data, golden input/output vectors for on-device parity "
      "checks.",
  });
  return c;
}

}  // namespace

const std::vector<CommandHelp>& Commands() {
  static const std::vector<CommandHelp> commands = MakeCommands();
  return commands;
}

const CommandHelp& FindCommand(const std::string& name) {
  for (const CommandHelp& command : Commands()) {
    if (command.name == name) return command;
  }
  throw std::out_of_range("no command '" + name + "' in the command table");
}

}  // namespace harness::cli
