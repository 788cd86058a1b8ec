#pragma once
// The graph IR: what a .tflite file holds once loaded, in plain value types that the runtime
// executes and the quantizer rewrites. Enum values are TFLite's own (schema version 3), so a
// value read from a file needs no translation table.

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
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

// A TFLite BuiltinOperator value. The type is open: every builtin code is a valid OpType, and an
// op needs no enumerator here (its descriptor names it, see op_descriptor.h); the enumerators
// below are short names for the ops the rest of the code mentions.
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
  bool operator==(const Conv2DOptions&) const = default;
};

struct DepthwiseConv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t depth_multiplier = 1;
  Activation activation = Activation::kNone;
  int32_t dilation_w = 1, dilation_h = 1;
  bool operator==(const DepthwiseConv2DOptions&) const = default;
};

struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  bool keep_num_dims = false;
  bool asymmetric_quantize_inputs = false;  // hybrid kernels only
  bool operator==(const FullyConnectedOptions&) const = default;
};

struct Pool2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 1, stride_h = 1;
  int32_t filter_width = 1, filter_height = 1;
  Activation activation = Activation::kNone;
  bool operator==(const Pool2DOptions&) const = default;
};

struct AddOptions {
  Activation activation = Activation::kNone;
  bool operator==(const AddOptions&) const = default;
};

struct MulOptions {
  Activation activation = Activation::kNone;
  bool operator==(const MulOptions&) const = default;
};

struct SoftmaxOptions {
  float beta = 1.0f;
  bool operator==(const SoftmaxOptions&) const = default;
};

struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
  bool operator==(const ConcatenationOptions&) const = default;
};

struct ReshapeOptions {
  std::vector<int32_t> new_shape;
  bool operator==(const ReshapeOptions&) const = default;
};

struct ReducerOptions {
  bool keep_dims = false;
  bool operator==(const ReducerOptions&) const = default;
};

// An op's builtin options: empty, or one options struct of the op's own kind (the structs above,
// or one declared next to an op's descriptor). Access is checked: asking for another kind
// gives nullptr (get_if) or an error (get).
class OpOptions {
 public:
  OpOptions() = default;
  OpOptions(std::monostate) {}  // NOLINT: "no options", as TFLite writes NONE
  template <class T>
  requires(!std::same_as<std::decay_t<T>, OpOptions> &&
           !std::same_as<std::decay_t<T>, std::monostate> &&
           std::equality_comparable<std::decay_t<T>>)
      OpOptions(T value)  // NOLINT: implicit, like the variant it replaced
      : held_(std::make_unique<Held<std::decay_t<T>>>(std::move(value))) {}
  OpOptions(const OpOptions& other) : held_(other.held_ ? other.held_->Clone() : nullptr) {}
  OpOptions& operator=(const OpOptions& other) {
    if (this != &other) held_ = other.held_ ? other.held_->Clone() : nullptr;
    return *this;
  }
  OpOptions(OpOptions&&) noexcept = default;
  OpOptions& operator=(OpOptions&&) noexcept = default;

  bool empty() const { return held_ == nullptr; }
  template <class T>
  const T* get_if() const {
    const auto* held = dynamic_cast<const Held<T>*>(held_.get());
    return held != nullptr ? &held->value : nullptr;
  }
  template <class T>
  T* get_if() {
    auto* held = dynamic_cast<Held<T>*>(held_.get());
    return held != nullptr ? &held->value : nullptr;
  }
  // Throws harness::Error when the options are of another kind or empty.
  template <class T>
  const T& get() const {
    if (const T* value = get_if<T>()) return *value;
    ThrowWrongKind();
  }

  bool operator==(const OpOptions& other) const {
    if (empty() || other.empty()) return empty() == other.empty();
    return held_->Equals(*other.held_);
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual std::unique_ptr<Base> Clone() const = 0;
    virtual bool Equals(const Base& other) const = 0;
  };
  template <class T>
  struct Held final : Base {
    explicit Held(T v) : value(std::move(v)) {}
    std::unique_ptr<Base> Clone() const override { return std::make_unique<Held>(value); }
    bool Equals(const Base& other) const override {
      const auto* same = dynamic_cast<const Held*>(&other);
      return same != nullptr && same->value == value;
    }
    T value;
  };
  [[noreturn]] static void ThrowWrongKind();

  std::unique_ptr<Base> held_;
};

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
const char* ToString(OpType type);  // the builtin's public name, whether harness runs it or not
const char* ToString(Activation activation);
int64_t ElementCount(const std::vector<int32_t>& shape);
size_t ElementSize(DataType type);
std::string ShapeToString(const std::vector<int32_t>& shape);

}  // namespace harness::model
