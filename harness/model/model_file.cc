#include "harness/model/model_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "harness/common/error.h"
#include "harness/model/onnx_importer.h"
#include "harness/model/tflite_loader.h"

namespace harness::model {

Graph LoadModelFile(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".tflite") return LoadTfliteFile(path);
  if (extension == ".onnx") {
    Graph graph = LoadOnnxFile(path);
    graph.source = path;
    return graph;
  }
  throw Error(path, "unknown model file extension '" + extension + "' (expected .tflite or .onnx)");
}

}  // namespace harness::model
