#pragma once
// Writes a model's outputs over a set to an HDF5 file (`harness infer ... --out OUT.h5`):
// `/outputs` with the given element type and shape, plus string attributes of the root group
// (the model file, the set). The file appears atomically: it is written to a temporary file in
// the same folder and renamed over the destination only once complete, so a reader never sees
// a half-written file and a failed run leaves no partial output behind.

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
};

// Throws harness::Error(path, ...) when the type is unsupported, the byte count does not match
// the shape, or the file cannot be written; the destination is then left as it was.
void WriteOutputFile(const std::string& path, const OutputArray& outputs,
                     const std::vector<std::pair<std::string, std::string>>& attributes = {});

}  // namespace harness::eval
