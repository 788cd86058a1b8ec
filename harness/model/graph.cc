#include "harness/model/graph.h"

#include "harness/common/error.h"
#include "harness/model/builtin_names.h"

namespace harness::model {

const std::vector<uint8_t>& Graph::data(int32_t tensor_index) const {
  static const std::vector<uint8_t> kEmpty;
  const Tensor& t = tensor(tensor_index);
  if (t.buffer < 0) return kEmpty;
  return buffers.at(static_cast<size_t>(t.buffer));
}

int32_t Graph::AddBuffer(std::vector<uint8_t> bytes) {
  buffers.push_back(std::move(bytes));
  return static_cast<int32_t>(buffers.size() - 1);
}

const char* ToString(DataType type) {
  switch (type) {
    case DataType::kFloat32: return "FLOAT32";
    case DataType::kFloat16: return "FLOAT16";
    case DataType::kInt32: return "INT32";
    case DataType::kUInt8: return "UINT8";
    case DataType::kInt64: return "INT64";
    case DataType::kInt16: return "INT16";
    case DataType::kInt8: return "INT8";
  }
  return "UNKNOWN";
}

const char* ToString(OpType type) {
  const char* name = BuiltinOperatorName(static_cast<int32_t>(type));
  return name != nullptr ? name : "UNKNOWN";
}

void OpOptions::ThrowWrongKind() {
  throw Error("op options", "builtin options are missing or of another op's kind");
}

const char* ToString(Activation activation) {
  switch (activation) {
    case Activation::kNone: return "NONE";
    case Activation::kRelu: return "RELU";
    case Activation::kReluN1To1: return "RELU_N1_TO_1";
    case Activation::kRelu6: return "RELU6";
    case Activation::kTanh: return "TANH";
  }
  return "UNKNOWN";
}

int64_t ElementCount(const std::vector<int32_t>& shape) {
  int64_t count = 1;
  for (int32_t d : shape) count *= d;
  return count;
}

size_t ElementSize(DataType type) {
  switch (type) {
    case DataType::kFloat32: return 4;
    case DataType::kFloat16: return 2;
    case DataType::kInt32: return 4;
    case DataType::kUInt8: return 1;
    case DataType::kInt64: return 8;
    case DataType::kInt16: return 2;
    case DataType::kInt8: return 1;
  }
  return 0;
}

std::string ShapeToString(const std::vector<int32_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

}  // namespace harness::model
