#include "harness/model/tflite_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/builtin_names.h"
#include "harness/model/execution_order.h"
#include "harness/model/op_registry.h"
#include "harness/model/schema/tflite_generated.h"
#include "harness/model/tflm_refusals.h"

namespace harness::model {
namespace {

namespace fb = ::tflite;

constexpr uint32_t kSchemaVersion = 3;
// flatbuffers offsets are 32-bit signed; the verifier asserts below this size.
constexpr size_t kMaxFlatbufferSize = (size_t{1} << 31) - 1;

std::string Quoted(const std::string& text) { return "'" + text + "'"; }

std::string SupportedOpList() { return RegisteredOpNames(); }

std::optional<DataType> SupportedDataType(fb::TensorType type) {
  switch (type) {
    case fb::TensorType::FLOAT32: return DataType::kFloat32;
    case fb::TensorType::FLOAT16: return DataType::kFloat16;
    case fb::TensorType::INT32: return DataType::kInt32;
    case fb::TensorType::UINT8: return DataType::kUInt8;
    case fb::TensorType::INT64: return DataType::kInt64;
    case fb::TensorType::INT16: return DataType::kInt16;
    case fb::TensorType::INT8: return DataType::kInt8;
    default: return std::nullopt;
  }
}

std::string TensorTypeName(fb::TensorType type) {
  const char* name = fb::EnumNameTensorType(type);
  if (name != nullptr && *name != '\0') return name;
  return "type " + std::to_string(static_cast<int>(type));
}

template <typename T>
std::vector<T> ToVector(const flatbuffers::Vector<T>* vector) {
  if (vector == nullptr) return {};
  return std::vector<T>(vector->begin(), vector->end());
}

void Verify(std::span<const uint8_t> bytes, const std::string& source) {
  auto refuse = [&](const std::string& why) {
    return Error(source, "not a valid TFLite flatbuffer (" + why + ")");
  };
  if (bytes.empty()) throw refuse("the file is empty");
  // Root offset (4 bytes) + identifier (4 bytes) is the least a flatbuffer with an identifier
  // holds.
  if (bytes.size() < 8) throw refuse("only " + std::to_string(bytes.size()) + " bytes");
  if (bytes.size() >= kMaxFlatbufferSize) throw refuse("larger than 2 GiB");
  if (!fb::ModelBufferHasIdentifier(bytes.data())) {
    throw refuse("file identifier is not \"TFL3\"");
  }
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!fb::VerifyModelBuffer(verifier)) {
    throw refuse("the flatbuffer verifier rejects its structure: truncated or corrupt");
  }
}

// Reads one verified model into a Graph. Each Read* method range-checks what it reads and
// names the op or tensor in its errors.
class ModelReader {
 public:
  ModelReader(const fb::Model& model, std::span<const uint8_t> bytes, const std::string& source)
      : model_(model), buffers_(model.buffers()), bytes_(bytes), source_(source) {}

  Graph Read() {
    if (model_.version() != kSchemaVersion) {
      throw Error(source_, "schema version " + std::to_string(model_.version()) +
                               " is not supported (expected 3)");
    }
    const auto* subgraphs = model_.subgraphs();
    if (subgraphs == nullptr || subgraphs->size() == 0) {
      throw Error(source_, "the model has no subgraph");
    }
    const fb::SubGraph& subgraph = *subgraphs->Get(0);
    buffer_map_.assign(buffers_ == nullptr ? 0 : buffers_->size(), kNotYetCopied);

    const auto* tensors = subgraph.tensors();
    const size_t tensor_count = tensors == nullptr ? 0 : tensors->size();
    for (size_t i = 0; i < tensor_count; ++i) {
      graph_.tensors.push_back(ReadTensor(*tensors->Get(static_cast<flatbuffers::uoffset_t>(i)),
                                          static_cast<int32_t>(i)));
    }
    const auto* operators = subgraph.operators();
    const size_t op_count = operators == nullptr ? 0 : operators->size();
    for (size_t i = 0; i < op_count; ++i) {
      graph_.ops.push_back(ReadOp(*operators->Get(static_cast<flatbuffers::uoffset_t>(i)),
                                  static_cast<int32_t>(i)));
    }
    graph_.inputs = ReadTensorIndices(subgraph.inputs(), source_ + ": subgraph inputs", false);
    graph_.outputs = ReadTensorIndices(subgraph.outputs(), source_ + ": subgraph outputs", false);
    if (const auto* description = model_.description()) graph_.description = description->str();
    CheckExecutionOrder(graph_, source_);
    graph_.source = source_;
    return std::move(graph_);
  }

 private:
  static constexpr int32_t kNotYetCopied = -2;

  std::string TensorPlace(int32_t index, const fb::Tensor& tensor) const {
    std::string place = source_ + ": tensor " + std::to_string(index);
    if (const auto* name = tensor.name()) {
      place += ' ';
      place += Quoted(name->str());
    }
    return place;
  }

  Tensor ReadTensor(const fb::Tensor& file_tensor, int32_t index) {
    const std::string place = TensorPlace(index, file_tensor);
    Tensor tensor;
    if (const auto* name = file_tensor.name()) tensor.name = name->str();
    auto type = SupportedDataType(file_tensor.type());
    if (!type) {
      throw Error(place, "type " + TensorTypeName(file_tensor.type()) +
                             " is not supported (supported: FLOAT32, FLOAT16, INT32, UINT8, "
                             "INT64, INT16, INT8)");
    }
    tensor.type = *type;
    tensor.shape = ToVector(file_tensor.shape());
    for (int32_t dim : tensor.shape) {
      if (dim < 0) {
        throw Error(place, "shape " + ShapeToString(tensor.shape) + " has a negative dimension");
      }
    }
    CheckTensorSize(tensor, place);
    if (file_tensor.sparsity() != nullptr) throw Error(place, SparseTensorRefusal());
    if (file_tensor.is_variable()) {
      throw Error(place, "variable tensors are not supported");
    }
    if (const auto* quantization = file_tensor.quantization()) {
      tensor.quantization = ReadQuantization(*quantization, tensor.shape, place);
    }
    tensor.buffer = ReadBuffer(file_tensor.buffer(), tensor, place);
    return tensor;
  }

  static Quantization ReadQuantization(const fb::QuantizationParameters& file_quantization,
                                       const std::vector<int32_t>& shape,
                                       const std::string& place) {
    if (file_quantization.details_type() != fb::QuantizationDetails::NONE) {
      throw Error(place, "custom quantization details are not supported");
    }
    Quantization quantization;
    quantization.scales = ToVector(file_quantization.scale());
    quantization.zero_points = ToVector(file_quantization.zero_point());
    quantization.quantized_dimension = file_quantization.quantized_dimension();
    // min/max alone (no scale) is what the converter leaves on float tensors: no quantization.
    if (quantization.scales.empty()) return Quantization{};
    if (quantization.zero_points.size() != quantization.scales.size()) {
      throw Error(place, std::to_string(quantization.scales.size()) + " scales but " +
                             std::to_string(quantization.zero_points.size()) + " zero points");
    }
    if (quantization.per_axis()) {
      int32_t& dim = quantization.quantized_dimension;
      // Older converters copied a depthwise filter's quantized_dimension (3) onto its rank-1
      // bias (TFLite-Micro's person_detect.tflite). TFLite-Micro never reads a bias's axis, and
      // a rank-1 tensor with one scale per element has only one axis it can mean: axis 0.
      // (A per-tensor quantization has no axis at all, so its field is not checked either.)
      if (shape.size() == 1 && (dim < 0 || dim >= 1) &&
          static_cast<size_t>(shape[0]) == quantization.scales.size()) {
        dim = 0;
      }
      if (dim < 0 || static_cast<size_t>(dim) >= shape.size()) {
        throw Error(place, "quantized_dimension " + std::to_string(dim) + " is outside shape " +
                               ShapeToString(shape));
      }
      if (static_cast<size_t>(shape[static_cast<size_t>(dim)]) != quantization.scales.size()) {
        throw Error(place, std::to_string(quantization.scales.size()) +
                               " per-axis scales for dimension " + std::to_string(dim) +
                               " of shape " + ShapeToString(shape));
      }
    }
    return quantization;
  }

  // The bytes of a file buffer: inline data, or (models over 2 GB) a range after the flatbuffer.
  std::span<const uint8_t> BufferBytes(const fb::Buffer& buffer, const std::string& place) const {
    if (buffer.offset() > 1) {
      const uint64_t offset = buffer.offset();
      const uint64_t size = buffer.size();
      if (offset > bytes_.size() || size > bytes_.size() - offset) {
        throw Error(place, "buffer data [" + std::to_string(offset) + ", +" +
                               std::to_string(size) + ") lies outside the file");
      }
      return bytes_.subspan(static_cast<size_t>(offset), static_cast<size_t>(size));
    }
    const auto* data = buffer.data();
    if (data == nullptr) return {};
    return {data->data(), data->size()};
  }

  int32_t ReadBuffer(uint32_t file_index, const Tensor& tensor, const std::string& place) {
    if (file_index == 0) return -1;  // the sentinel: an activation
    if (buffers_ == nullptr || file_index >= buffers_->size()) {
      throw Error(place, "buffer index " + std::to_string(file_index) + " is out of range (" +
                             std::to_string(buffer_map_.size()) + " buffers)");
    }
    int32_t& mapped = buffer_map_[file_index];
    if (mapped == kNotYetCopied) {
      auto bytes = BufferBytes(*buffers_->Get(file_index), place);
      mapped = bytes.empty() ? -1
                             : graph_.AddBuffer(std::vector<uint8_t>(bytes.begin(), bytes.end()));
    }
    if (mapped >= 0) {
      CheckDataSize(tensor, graph_.buffers[static_cast<size_t>(mapped)].size(), place);
    }
    return mapped;
  }

  // Bytes a dense tensor of this type and shape holds, or nullopt when that exceeds 2^62 (a
  // hostile shape must not overflow the product).
  static std::optional<uint64_t> DenseByteSize(const Tensor& tensor) {
    constexpr uint64_t kLimit = uint64_t{1} << 62;
    for (int32_t dim : tensor.shape) {
      if (dim == 0) return 0;
    }
    uint64_t size = ElementSize(tensor.type);
    for (int32_t dim : tensor.shape) {
      if (size > kLimit / static_cast<uint64_t>(dim)) return std::nullopt;
      size *= static_cast<uint64_t>(dim);
    }
    return size;
  }

  // The runtime and the kernels count elements in int and bytes in size_t: a tensor beyond
  // 2^31 - 1 elements or bytes is refused here, before anything multiplies its dimensions.
  static void CheckTensorSize(const Tensor& tensor, const std::string& place) {
    constexpr uint64_t kMaxTensorSize = std::numeric_limits<int32_t>::max();
    const std::optional<uint64_t> bytes = DenseByteSize(tensor);
    if (bytes && *bytes <= kMaxTensorSize) return;
    throw Error(place, std::string(ToString(tensor.type)) + " " + ShapeToString(tensor.shape) +
                           " holds " + (bytes ? std::to_string(*bytes) : "more than 2^62") +
                           " bytes; a tensor may hold at most " + std::to_string(kMaxTensorSize) +
                           " bytes (2 GiB)");
  }

  static void CheckDataSize(const Tensor& tensor, size_t data_size, const std::string& place) {
    const std::optional<uint64_t> needed = DenseByteSize(tensor);
    if (needed && *needed == data_size) return;
    throw Error(place, "constant data holds " + std::to_string(data_size) + " bytes but " +
                           ToString(tensor.type) + " " + ShapeToString(tensor.shape) +
                           " needs " + (needed ? std::to_string(*needed) : "more than 2^62"));
  }

  std::vector<int32_t> ReadTensorIndices(const flatbuffers::Vector<int32_t>* indices,
                                         const std::string& place, bool allow_omitted) const {
    std::vector<int32_t> result = ToVector(indices);
    for (int32_t index : result) {
      if (allow_omitted && index == kNoTensor) continue;
      if (index < 0 || static_cast<size_t>(index) >= graph_.tensors.size()) {
        throw Error(place, "tensor index " + std::to_string(index) + " is out of range (" +
                               std::to_string(graph_.tensors.size()) + " tensors)");
      }
    }
    return result;
  }

  Op ReadOp(const fb::Operator& file_op, int32_t index) {
    std::string place = source_ + ": op " + std::to_string(index);
    const auto* codes = model_.operator_codes();
    const uint32_t code_index = file_op.opcode_index();
    if (codes == nullptr || code_index >= codes->size()) {
      throw Error(place, "opcode index " + std::to_string(code_index) + " is out of range (" +
                             std::to_string(codes == nullptr ? 0 : codes->size()) +
                             " operator codes)");
    }
    const fb::OperatorCode& code = *codes->Get(code_index);
    // TFLite's rule: old files only fill the byte field, new files fill both (the byte one
    // saturated at 127), so the larger of the two is the op.
    const int32_t builtin = std::max<int32_t>(code.deprecated_builtin_code(),
                                              static_cast<int32_t>(code.builtin_code()));
    if (builtin == static_cast<int32_t>(fb::BuiltinOperator::CUSTOM)) {
      const auto* custom_code = code.custom_code();
      const std::string custom = custom_code == nullptr ? "" : custom_code->str();
      throw Error(place + " (custom " + Quoted(custom) + ")", CustomOpRefusal(custom));
    }
    place += " (" + DescribeBuiltinCode(builtin) + ")";
    const OpDescriptor* descriptor = FindOp(static_cast<OpType>(builtin));
    if (descriptor == nullptr) {
      throw Error(place,
                  "operator is not supported by harness (supported: " + SupportedOpList() + ")");
    }
    if (code.version() < 1) {
      throw Error(place, "op version " + std::to_string(code.version()) + " is invalid");
    }
    Op op;
    op.type = *descriptor->type;
    op.version = code.version();
    op.inputs = ReadTensorIndices(file_op.inputs(), place + ": inputs", true);
    op.outputs = ReadTensorIndices(file_op.outputs(), place + ": outputs", false);
    op.options = (*descriptor->read_options)(file_op, place);
    CheckNoLegacyUint8(graph_, op, *descriptor, place);
    return op;
  }

  const fb::Model& model_;
  const flatbuffers::Vector<flatbuffers::Offset<fb::Buffer>>* buffers_;  // may be null
  std::span<const uint8_t> bytes_;
  const std::string& source_;
  Graph graph_;
  // File buffer index -> index in graph_.buffers (-1: empty), kNotYetCopied before first use.
  // Tensors sharing a file buffer share the graph buffer.
  std::vector<int32_t> buffer_map_;
};

std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  std::error_code status;
  if (!std::filesystem::exists(path, status)) {
    throw Error(path, "cannot open model: no such file");
  }
  if (!std::filesystem::is_regular_file(path, status)) {
    throw Error(path, "cannot open model: not a regular file");
  }
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) throw Error(path, std::string("cannot open model: ") + std::strerror(errno));
  const std::streamoff size = file.tellg();
  if (size < 0) throw Error(path, "cannot read model size");
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  file.seekg(0);
  if (!bytes.empty() &&
      !file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    throw Error(path, "cannot read model");
  }
  return bytes;
}

}  // namespace

Graph LoadTflite(std::span<const uint8_t> bytes, const std::string& source) {
  // flatbuffers reads scalars in place, so it needs the buffer aligned as it was written; a
  // span from an arbitrary place is first copied to fresh (16-byte aligned) storage.
  std::vector<uint8_t> aligned_copy;
  if (reinterpret_cast<uintptr_t>(bytes.data()) % 16 != 0) {
    aligned_copy.assign(bytes.begin(), bytes.end());
    bytes = aligned_copy;
  }
  Verify(bytes, source);
  const fb::Model& model = *fb::GetModel(bytes.data());
  return ModelReader(model, bytes, source).Read();
}

Graph LoadTfliteFile(const std::string& path) {
  const std::vector<uint8_t> bytes = ReadFileBytes(path);
  return LoadTflite(bytes, path);
}

}  // namespace harness::model
