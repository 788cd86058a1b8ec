#include "harness/suite/target.h"

#include <algorithm>
#include <array>

namespace harness::suite {
namespace {

constexpr std::array<const char*, 3> kElementTypeNames = {"int8", "int16", "float32"};

// The builtins TFLite-Micro's MicroMutableOpResolver can register, sorted (byte order) so
// "valid ops are ..." messages read well. Custom ops (CIRCULAR_BUFFER,
// TFLite_Detection_PostProcess, ETHOSU) are not builtins and are left out.
constexpr auto kTfLiteMicroOps = std::to_array<const char*>({
    "ABS",
    "ADD",
    "ADD_N",
    "ARG_MAX",
    "ARG_MIN",
    "ASSIGN_VARIABLE",
    "AVERAGE_POOL_2D",
    "BATCH_TO_SPACE_ND",
    "BROADCAST_ARGS",
    "BROADCAST_TO",
    "CALL_ONCE",
    "CAST",
    "CEIL",
    "CONCATENATION",
    "CONV_2D",
    "COS",
    "CUMSUM",
    "DEPTHWISE_CONV_2D",
    "DEPTH_TO_SPACE",
    "DEQUANTIZE",
    "DIV",
    "ELU",
    "EQUAL",
    "EXP",
    "EXPAND_DIMS",
    "FILL",
    "FLOOR",
    "FLOOR_DIV",
    "FLOOR_MOD",
    "FULLY_CONNECTED",
    "GATHER",
    "GATHER_ND",
    "GREATER",
    "GREATER_EQUAL",
    "HARD_SWISH",
    "IF",
    "L2_NORMALIZATION",
    "L2_POOL_2D",
    "LEAKY_RELU",
    "LESS",
    "LESS_EQUAL",
    "LOG",
    "LOGICAL_AND",
    "LOGICAL_NOT",
    "LOGICAL_OR",
    "LOGISTIC",
    "LOG_SOFTMAX",
    "MAXIMUM",
    "MAX_POOL_2D",
    "MEAN",
    "MINIMUM",
    "MIRROR_PAD",
    "MUL",
    "NEG",
    "NOT_EQUAL",
    "PACK",
    "PAD",
    "PADV2",
    "PRELU",
    "QUANTIZE",
    "READ_VARIABLE",
    "REDUCE_MAX",
    "RELU",
    "RELU6",
    "RESHAPE",
    "RESIZE_BILINEAR",
    "RESIZE_NEAREST_NEIGHBOR",
    "ROUND",
    "RSQRT",
    "SELECT_V2",
    "SHAPE",
    "SIN",
    "SLICE",
    "SOFTMAX",
    "SPACE_TO_BATCH_ND",
    "SPACE_TO_DEPTH",
    "SPLIT",
    "SPLIT_V",
    "SQRT",
    "SQUARE",
    "SQUARED_DIFFERENCE",
    "SQUEEZE",
    "STRIDED_SLICE",
    "SUB",
    "SUM",
    "SVDF",
    "TANH",
    "TRANSPOSE",
    "TRANSPOSE_CONV",
    "UNIDIRECTIONAL_SEQUENCE_LSTM",
    "UNPACK",
    "VAR_HANDLE",
    "WHILE",
    "ZEROS_LIKE",
});

Target MakeEsp32S3() {
  Target target;
  target.name = "esp32-s3";
  target.sram_bytes = 512 * 1024;
  target.flash_bytes = 8 * 1024 * 1024;
  for (const char* op : kTfLiteMicroOps) target.ops.emplace_back(op);
  target.types = {ElementType::kInt8, ElementType::kInt16, ElementType::kFloat32};
  target.slow_types = {ElementType::kFloat32};
  return target;
}

const std::vector<Target>& BuiltinTargets() {
  static const std::vector<Target> targets = {MakeEsp32S3()};
  return targets;
}

bool Contains(const std::vector<ElementType>& types, ElementType type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

}  // namespace

const char* ToString(ElementType type) {
  return kElementTypeNames[static_cast<size_t>(type)];
}

std::span<const char* const> ElementTypeNames() { return kElementTypeNames; }

bool Target::SupportsOp(std::string_view op) const {
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

bool Target::SupportsType(ElementType type) const { return Contains(types, type); }

bool Target::IsSlow(ElementType type) const { return Contains(slow_types, type); }

std::span<const char* const> TfLiteMicroOpNames() { return kTfLiteMicroOps; }

const Target* FindBuiltinTarget(std::string_view name) {
  for (const Target& target : BuiltinTargets()) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

std::vector<std::string> BuiltinTargetNames() {
  std::vector<std::string> names;
  for (const Target& target : BuiltinTargets()) names.push_back(target.name);
  return names;
}

}  // namespace harness::suite
