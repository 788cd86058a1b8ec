// The ONNX importer, then prepare of the imported graph. A harness::Error is the expected
// answer to a bad model; anything else is a finding.

#include <cstddef>
#include <cstdint>
#include <utility>

#include "fuzz/fuzz_input_file.h"
#include "harness/common/error.h"
#include "harness/model/onnx_importer.h"
#include "harness/runtime/compiled_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace harness;
  const std::string path = fuzz::WriteInputFile(data, size, ".onnx");
  try {
    model::Graph graph = model::LoadOnnxFile(path);
    const runtime::CompiledModel compiled(std::move(graph));
  } catch (const Error&) {
  }
  return 0;
}
