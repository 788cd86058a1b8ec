#pragma once
// The graph IR: what a .tflite file holds once loaded, in plain value types that the runtime
// executes and the quantizer rewrites. Enum values are TFLite's own (schema version 3), so a
// value read from a file needs no translation table.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace harness::model {

// TFLite TensorType values.
enum class DataType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kInt16 = 7,
  kInt8 = 9,
};

// TFLite BuiltinOperator values of the ops the harness runs.
enum class OpType : int32_t {
  kAdd = 0,
  kAveragePool2D = 1,
  kConcatenation = 2,
  kConv2D = 3,
  kDepthwiseConv2D = 4,
  kDequantize = 6,
  kFullyConnected = 9,
  kLogistic = 14,
  kMaxPool2D = 17,
  kMul = 18,
  kRelu = 19,
  kRelu6 = 21,
  kReshape = 22,
  kSoftmax = 25,
  kTanh = 28,
  kPad = 34,
  kMean = 40,
  kQuantize = 114,
  kHardSwish = 117,
};

// TFLite ActivationFunctionType and Padding values.
enum class Activation : int8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4 };
enum class Padding : int8_t { kSame = 0, kValid = 1 };

struct Conv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  Activation activation = Activation::kNone;
  int32_t dilation_w = 1, dilation_h = 1;
};

struct DepthwiseConv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t depth_multiplier = 1;
  Activation activation = Activation::kNone;
  int32_t dilation_w = 1, dilation_h = 1;
};

struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  bool keep_num_dims = false;
  bool asymmetric_quantize_inputs = false;  // hybrid kernels only
};

struct Pool2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t filter_width = 1, filter_height = 1;
  Activation activation = Activation::kNone;
};

struct AddOptions {
  Activation activation = Activation::kNone;
};

struct MulOptions {
  Activation activation = Activation::kNone;
};

struct SoftmaxOptions {
  float beta = 1.0f;
};

struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
};

struct ReshapeOptions {
  std::vector<int32_t> new_shape;
};

struct ReducerOptions {
  bool keep_dims = false;
};

using OpOptions =
    std::variant<std::monostate, Conv2DOptions, DepthwiseConv2DOptions, FullyConnectedOptions,
                 Pool2DOptions, AddOptions, MulOptions, SoftmaxOptions, ConcatenationOptions,
                 ReshapeOptions, ReducerOptions>;

// Affine quantization: real = scale * (q - zero_point). One entry per tensor, or one per slice
// along `quantized_dimension` (per-axis weights).
struct Quantization {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;

  bool empty() const { return scales.empty(); }
  bool per_axis() const { return scales.size() > 1; }
};

struct Tensor {
  std::string name;
  DataType type = DataType::kFloat32;
  std::vector<int32_t> shape;
  // Index into Graph::buffers of constant data, or -1 for an activation (no data in the file).
  int32_t buffer = -1;
  Quantization quantization;

  bool is_constant() const { return buffer >= 0; }
};

inline constexpr int32_t kNoTensor = -1;  // an omitted optional input, as in TFLite

struct Op {
  OpType type = OpType::kAdd;
  int32_t version = 1;
  std::vector<int32_t> inputs;   // tensor indices, kNoTensor for an omitted optional input
  std::vector<int32_t> outputs;  // tensor indices
  OpOptions options;
};

// Subgraph 0 of a model. Ops are stored in execution order.
struct Graph {
  std::vector<Tensor> tensors;
  std::vector<std::vector<uint8_t>> buffers;  // constant data, little-endian as in the file
  std::vector<Op> ops;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::string description;
  // The file the graph was loaded from, for messages about it ("model.tflite: op 3 ..."); empty
  // for a graph built in memory.
  std::string source;

  const Tensor& tensor(int32_t index) const { return tensors.at(static_cast<size_t>(index)); }
  Tensor& tensor(int32_t index) { return tensors.at(static_cast<size_t>(index)); }
  // The constant bytes of a tensor; empty for an activation.
  const std::vector<uint8_t>& data(int32_t tensor_index) const;
  // Adds a buffer and returns its index.
  int32_t AddBuffer(std::vector<uint8_t> bytes);
};

// Names for messages and tables.
const char* ToString(DataType type);
const char* ToString(OpType type);
const char* ToString(Activation activation);
std::optional<OpType> OpTypeFromBuiltinCode(int32_t code);  // nullopt: not an op we run
int64_t ElementCount(const std::vector<int32_t>& shape);
size_t ElementSize(DataType type);
std::string ShapeToString(const std::vector<int32_t>& shape);

}  // namespace harness::model
