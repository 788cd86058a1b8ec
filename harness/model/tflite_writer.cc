#include "harness/model/tflite_writer.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

#include "harness/common/error.h"
#include "harness/model/op_registry.h"
#include "harness/model/schema/tflite_generated.h"

namespace harness::model {
namespace {

namespace fb = ::tflite;
using flatbuffers::Offset;

constexpr uint32_t kSchemaVersion = 3;
// Kernels read float and int32 constants in place; 16 bytes also suits SIMD loads.
constexpr size_t kBufferAlignment = 16;
// OperatorCode.deprecated_builtin_code is a byte: codes above 127 saturate there, and readers
// take max(deprecated_builtin_code, builtin_code).
constexpr int32_t kPlaceholderForGreaterOpCodes = 127;

std::string OpPlace(size_t index, OpType type) {
  return "op " + std::to_string(index) + " (" + ToString(type) + ")";
}

class ModelWriter {
 public:
  explicit ModelWriter(const Graph& graph) : graph_(graph) {}

  std::vector<uint8_t> Write() {
    CheckIndices();
    auto buffers = WriteBuffers();
    auto tensors = WriteTensors();
    auto operator_codes = WriteOperatorCodes();
    auto operators = WriteOperators();
    auto subgraph_inputs = builder_.CreateVector(graph_.inputs);
    auto subgraph_outputs = builder_.CreateVector(graph_.outputs);
    auto subgraph_name = builder_.CreateString("main");
    fb::SubGraphBuilder subgraph(builder_);
    subgraph.add_tensors(tensors);
    subgraph.add_inputs(subgraph_inputs);
    subgraph.add_outputs(subgraph_outputs);
    subgraph.add_operators(operators);
    subgraph.add_name(subgraph_name);
    const Offset<fb::SubGraph> subgraph_offset = subgraph.Finish();
    auto subgraphs = builder_.CreateVector(&subgraph_offset, 1);
    auto description = builder_.CreateString(graph_.description);

    fb::ModelBuilder model(builder_);
    model.add_version(kSchemaVersion);
    model.add_operator_codes(operator_codes);
    model.add_subgraphs(subgraphs);
    model.add_description(description);
    model.add_buffers(buffers);
    builder_.Finish(model.Finish(), fb::ModelIdentifier());
    return {builder_.GetBufferPointer(), builder_.GetBufferPointer() + builder_.GetSize()};
  }

 private:
  void CheckTensorIndex(int32_t index, bool allow_omitted, const std::string& place) const {
    if (allow_omitted && index == kNoTensor) return;
    if (index < 0 || static_cast<size_t>(index) >= graph_.tensors.size()) {
      throw Error(place, "tensor index " + std::to_string(index) + " is out of range (" +
                             std::to_string(graph_.tensors.size()) + " tensors)");
    }
  }

  void CheckIndices() const {
    for (size_t i = 0; i < graph_.tensors.size(); ++i) {
      const int32_t buffer = graph_.tensors[i].buffer;
      if (buffer < -1 || buffer >= static_cast<int32_t>(graph_.buffers.size())) {
        throw Error("tensor " + std::to_string(i) + " '" + graph_.tensors[i].name + "'",
                    "buffer index " + std::to_string(buffer) + " is out of range (" +
                        std::to_string(graph_.buffers.size()) + " buffers)");
      }
    }
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      const Op& op = graph_.ops[i];
      for (int32_t input : op.inputs) CheckTensorIndex(input, true, OpPlace(i, op.type));
      for (int32_t output : op.outputs) CheckTensorIndex(output, false, OpPlace(i, op.type));
    }
    for (int32_t input : graph_.inputs) CheckTensorIndex(input, false, "graph inputs");
    for (int32_t output : graph_.outputs) CheckTensorIndex(output, false, "graph outputs");
  }

  // Buffer 0 is the empty sentinel; then every non-empty graph buffer that a tensor uses, in
  // order of first use, so that the output does not depend on dead buffers.
  Offset<flatbuffers::Vector<Offset<fb::Buffer>>> WriteBuffers() {
    file_buffer_of_.assign(graph_.buffers.size(), 0);
    std::vector<Offset<fb::Buffer>> buffers = {fb::BufferBuilder(builder_).Finish()};
    for (const Tensor& tensor : graph_.tensors) {
      if (tensor.buffer < 0) continue;
      const auto& bytes = graph_.buffers[static_cast<size_t>(tensor.buffer)];
      uint32_t& file_index = file_buffer_of_[static_cast<size_t>(tensor.buffer)];
      if (bytes.empty() || file_index != 0) continue;
      file_index = static_cast<uint32_t>(buffers.size());
      builder_.ForceVectorAlignment(bytes.size(), sizeof(uint8_t), kBufferAlignment);
      auto data = builder_.CreateVector(bytes.data(), bytes.size());
      fb::BufferBuilder buffer(builder_);
      buffer.add_data(data);
      buffers.push_back(buffer.Finish());
    }
    return builder_.CreateVector(buffers);
  }

  Offset<fb::QuantizationParameters> WriteQuantization(const Quantization& quantization) {
    auto scales = builder_.CreateVector(quantization.scales);
    auto zero_points = builder_.CreateVector(quantization.zero_points);
    fb::QuantizationParametersBuilder parameters(builder_);
    parameters.add_scale(scales);
    parameters.add_zero_point(zero_points);
    parameters.add_quantized_dimension(quantization.quantized_dimension);
    return parameters.Finish();
  }

  Offset<flatbuffers::Vector<Offset<fb::Tensor>>> WriteTensors() {
    std::vector<Offset<fb::Tensor>> tensors;
    for (const Tensor& tensor : graph_.tensors) {
      auto shape = builder_.CreateVector(tensor.shape);
      auto name = builder_.CreateString(tensor.name);
      Offset<fb::QuantizationParameters> quantization;
      if (!tensor.quantization.empty()) quantization = WriteQuantization(tensor.quantization);
      fb::TensorBuilder file_tensor(builder_);
      file_tensor.add_shape(shape);
      file_tensor.add_type(static_cast<fb::TensorType>(tensor.type));
      if (tensor.buffer >= 0) {
        file_tensor.add_buffer(file_buffer_of_[static_cast<size_t>(tensor.buffer)]);
      }
      file_tensor.add_name(name);
      if (!quantization.IsNull()) file_tensor.add_quantization(quantization);
      tensors.push_back(file_tensor.Finish());
    }
    return builder_.CreateVector(tensors);
  }

  Offset<flatbuffers::Vector<Offset<fb::OperatorCode>>> WriteOperatorCodes() {
    std::vector<Offset<fb::OperatorCode>> codes;
    for (const Op& op : graph_.ops) {
      const std::pair<OpType, int32_t> key(op.type, op.version);
      if (std::find(code_keys_.begin(), code_keys_.end(), key) != code_keys_.end()) continue;
      code_keys_.push_back(key);
      const int32_t builtin = static_cast<int32_t>(op.type);
      fb::OperatorCodeBuilder code(builder_);
      code.add_deprecated_builtin_code(
          static_cast<int8_t>(std::min(builtin, kPlaceholderForGreaterOpCodes)));
      code.add_builtin_code(static_cast<fb::BuiltinOperator>(builtin));
      code.add_version(op.version);
      codes.push_back(code.Finish());
    }
    return builder_.CreateVector(codes);
  }

  uint32_t OpcodeIndex(const Op& op) const {
    const auto found = std::find(code_keys_.begin(), code_keys_.end(),
                                 std::pair<OpType, int32_t>(op.type, op.version));
    return static_cast<uint32_t>(found - code_keys_.begin());
  }

  using UnionOptions = std::pair<fb::BuiltinOptions, Offset<void>>;

  UnionOptions WriteOptions(const Op& op, const std::string& place) {
    return (*GetOp(op.type).write_options)(builder_, op, place);
  }

  Offset<flatbuffers::Vector<Offset<fb::Operator>>> WriteOperators() {
    std::vector<Offset<fb::Operator>> operators;
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      const Op& op = graph_.ops[i];
      auto inputs = builder_.CreateVector(op.inputs);
      auto outputs = builder_.CreateVector(op.outputs);
      const UnionOptions options = WriteOptions(op, OpPlace(i, op.type));
      fb::OperatorBuilder file_op(builder_);
      file_op.add_opcode_index(OpcodeIndex(op));
      file_op.add_inputs(inputs);
      file_op.add_outputs(outputs);
      if (options.first != fb::BuiltinOptions::NONE) {
        file_op.add_builtin_options_type(options.first);
        file_op.add_builtin_options(options.second);
      }
      operators.push_back(file_op.Finish());
    }
    return builder_.CreateVector(operators);
  }

  const Graph& graph_;
  flatbuffers::FlatBufferBuilder builder_{1024};
  std::vector<uint32_t> file_buffer_of_;  // graph buffer index -> file buffer index (0: none)
  std::vector<std::pair<OpType, int32_t>> code_keys_;  // (op, version) of each OperatorCode
};

// A name no other writer (thread or process) uses at the same time, next to the target so that
// rename() stays within one file system and is atomic.
std::filesystem::path TemporaryPathFor(const std::filesystem::path& target) {
  static std::atomic<uint64_t> counter{0};
  std::filesystem::path temporary = target;
  temporary += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  return temporary;
}

}  // namespace

std::vector<uint8_t> WriteTflite(const Graph& graph) { return ModelWriter(graph).Write(); }

void WriteTfliteFile(const Graph& graph, const std::string& path) {
  const std::vector<uint8_t> bytes = WriteTflite(graph);
  const std::filesystem::path temporary = TemporaryPathFor(path);
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) throw Error(path, std::string("cannot write model: ") + std::strerror(errno));
    file.write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    file.close();
    if (!file) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw Error(path, "cannot write model: write failed");
    }
  }
  std::error_code status;
  std::filesystem::rename(temporary, path, status);
  if (status) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error(path, "cannot write model: " + status.message());
  }
}

}  // namespace harness::model
