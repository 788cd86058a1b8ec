// `harness export-c MODEL.tflite -o model_data.cc [--data SET.h5 --vectors N] [--name g_model]`:
// the model as C++ source for a TFLite-Micro firmware, with its header next to it.

#include <filesystem>
#include <optional>
#include <ostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/common/error.h"
#include "harness/eval/dataset.h"
#include "harness/model/model_file.h"
#include "harness/report/atomic_file.h"
#include "harness/report/c_export.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/runnable_graph.h"

namespace harness::cli {

int RunExportC(const std::vector<std::string>& args, std::ostream& out) {
  const Args parsed(FindCommand("export-c"), args);
  const std::string& model_path = parsed.positional()[0];
  const std::string source_path = parsed.required("-o");
  const std::optional<std::string> data_path = parsed.option("--data");
  const std::optional<size_t> vector_count = parsed.count("--vectors");
  if (vector_count && !data_path) throw Error("command line", "--vectors needs --data SET.h5");

  // Both the array and the graph come from the same bytes, so they describe the same model.
  const std::string file_text = report::ReadWholeFile(model_path);
  const std::vector<uint8_t> bytes(file_text.begin(), file_text.end());
  model::Graph graph = model::LoadModelFile(model_path);

  std::optional<report::GoldenVectors> vectors;
  if (data_path) {
    const runtime::CompiledModel compiled(runtime::FoldFloat16Weights(graph));
    const eval::Dataset set = eval::Dataset::Open(*data_path);
    vectors = report::ComputeGoldenVectors(compiled, set, vector_count.value_or(4));
  }

  const std::filesystem::path source(source_path);
  std::filesystem::path header = source;
  header.replace_extension(".h");
  if (header == source) throw Error("command line", "-o " + source_path + ": expected a .cc file");

  report::CExportInput input;
  input.array_name = parsed.option("--name").value_or("g_model");
  input.header_file = header.filename().string();
  input.model_label = std::filesystem::path(model_path).filename().string();
  input.model_bytes = &bytes;
  input.graph = &graph;
  input.vectors = vectors ? &*vectors : nullptr;
  const report::CExportFiles files = report::RenderCExport(input);

  report::WriteFileAtomically(header.string(), files.header);
  report::WriteFileAtomically(source.string(), files.source);
  out << "wrote " << source.string() << " (" << bytes.size() << " model bytes";
  if (vectors) out << ", " << vectors->count << " golden vectors";
  out << ") and " << header.string() << "\n";
  return 0;
}

}  // namespace harness::cli
