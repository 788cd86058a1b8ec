// `harness convert MODEL.onnx -o MODEL.tflite`: a float ONNX model (as PyTorch exports it) to a
// float .tflite the rest of the harness quantizes and runs. The converted model's 4-D inputs
// and outputs are NHWC (see harness/model/onnx_importer.h).

#include <ostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/model/model_file.h"
#include "harness/model/tflite_writer.h"

namespace harness::cli {

int RunConvert(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed("convert", args, {"-o"}, {}, 1, 1);
  const std::string& input = parsed.positional()[0];
  const std::string output = parsed.required("-o");
  const model::Graph graph = model::LoadModelFile(input);
  model::WriteTfliteFile(graph, output);
  out << "converted " << input << " -> " << output << " (" << graph.ops.size() << " ops)\n";
  return 0;
}

}  // namespace harness::cli
