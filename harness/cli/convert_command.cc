// `harness convert MODEL.onnx|MODEL.tflite [--equalize] -o MODEL.tflite`: a float ONNX model (as
// PyTorch exports it) to a float .tflite the rest of the harness quantizes and runs. The
// converted model's 4-D inputs and outputs are NHWC (see harness/model/onnx_importer.h).
//
// --equalize writes the float model with cross-layer equalization applied (hybrid weights
// dequantized first, as every method's float model is; see quant/cross_layer_equalization.h),
// so `harness quantize` of the result measures int8 with equalization: calibration then runs
// on the equalized graph, whose intermediate ranges differ from the original's.

#include <ostream>
#include <utility>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/model/graph.h"
#include "harness/model/model_file.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/cross_layer_equalization.h"
#include "harness/quant/method.h"

namespace harness::cli {
namespace {

void PrintEqualization(const model::Graph& graph, const quant::EqualizationReport& report,
                       std::ostream& out) {
  for (const quant::EqualizedPair& pair : report.equalized) {
    out << "equalized op " << pair.first_op << " ("
        << model::ToString(graph.ops[static_cast<size_t>(pair.first_op)].type) << ") -> op "
        << pair.second_op << " ("
        << model::ToString(graph.ops[static_cast<size_t>(pair.second_op)].type) << ") through '"
        << pair.tensor << "', " << pair.channels << " channels\n";
  }
  for (const quant::SkippedPair& pair : report.skipped) {
    out << "skipped op " << pair.first_op << " -> op " << pair.second_op << ": " << pair.reason
        << "\n";
  }
  out << report.equalized.size() << " pairs equalized, " << report.skipped.size() << " skipped, "
      << report.sweeps << " sweeps" << (report.converged ? "" : " (stopped before convergence)")
      << "\n";
}

}  // namespace

int RunConvert(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("convert"), args);
  const std::string& input = parsed.positional()[0];
  const std::string output = parsed.required("-o");
  model::Graph graph = model::LoadModelFile(input);
  if (parsed.flag("--equalize")) {
    quant::EqualizationReport report;
    graph = quant::EqualizeCrossLayer(quant::PrepareFloatGraph(std::move(graph)), &report);
    PrintEqualization(graph, report, out);
  }
  model::WriteTfliteFile(graph, output);
  out << "converted " << input << " -> " << output << " (" << graph.ops.size() << " ops)\n";
  return 0;
}

}  // namespace harness::cli
