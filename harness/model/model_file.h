#pragma once
// Loads a float or quantized model from a file, choosing the reader by the file's extension:
// `.tflite` (TFLite flatbuffer) or `.onnx` (ONNX, converted to TFLite semantics and NHWC layout
// on the way in; see onnx_importer.h).

#include <string>

#include "harness/model/graph.h"

namespace harness::model {

// Throws harness::Error naming the path for any other extension, and whatever the chosen
// loader throws for a bad file.
Graph LoadModelFile(const std::string& path);

}  // namespace harness::model
