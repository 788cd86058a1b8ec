#pragma once
// Writes a model's outputs over a set to an HDF5 file (`harness infer ... --out OUT.h5`):
// `/outputs` with the given element type and shape for a model of one output; for a model of
// several, the group `/outputs` holding `/outputs/0`, `/outputs/1`, ... in the model's output
// order (as a set holds several inputs) and root attributes `output_0`, `output_1`, ... naming
// each output's tensor. Plus string attributes of the root group (the model file, the set). The
// file appears atomically: it is written to a temporary file in the same folder and renamed over
// the destination only once complete, so a reader never sees a half-written file and a failed run
// leaves no partial output behind.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/graph.h"

namespace harness::eval {

struct OutputArray {
  model::DataType type = model::DataType::kFloat32;  // INT8, UINT8, INT16, INT32 or FLOAT32
  std::vector<int64_t> shape;                        // e.g. {800, 12}
  std::span<const std::byte> bytes;                  // row-major, native byte order
  std::string name;                                  // the model output's tensor name
};

// Throws harness::Error(path, ...) when the type is unsupported, the byte count does not match
// the shape, or the file cannot be written; the destination is then left as it was.
void WriteOutputFile(const std::string& path, const std::vector<OutputArray>& outputs,
                     const std::vector<std::pair<std::string, std::string>>& attributes = {});
// A model of one output: `/outputs`.
void WriteOutputFile(const std::string& path, const OutputArray& output,
                     const std::vector<std::pair<std::string, std::string>>& attributes = {});

}  // namespace harness::eval
