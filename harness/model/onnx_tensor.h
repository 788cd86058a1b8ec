#pragma once
// Reads ONNX constants (initializers, Constant nodes' values) into plain vectors, checking the
// payload's size against the declared shape: protobuf guarantees a well-formed message, not
// that raw_data holds as many bytes as the dims promise.

#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace harness::model {

struct OnnxConstant {
  std::vector<int64_t> shape;
  bool is_float = true;
  std::vector<float> floats;  // FLOAT data
  std::vector<int64_t> ints;  // INT64 / INT32 data, widened

  int64_t count() const;
};

// Throws harness::Error(place, ...) for external data, an unsupported element type, negative
// dims, or a payload whose size does not match the shape.
OnnxConstant ReadOnnxTensor(const onnx::TensorProto& tensor, const std::string& place);

}  // namespace harness::model
