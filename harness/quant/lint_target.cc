#include "harness/quant/lint_target.h"

namespace harness::quant {

LintTarget LintTarget::Esp32S3() {
  using model::DataType;
  using model::OpType;
  LintTarget target;
  target.name = "esp32-s3";
  target.ops = {OpType::kAdd,      OpType::kAveragePool2D, OpType::kConcatenation,
                OpType::kConv2D,   OpType::kDepthwiseConv2D, OpType::kDequantize,
                OpType::kFullyConnected, OpType::kLogistic, OpType::kMaxPool2D,
                OpType::kMul,      OpType::kRelu,          OpType::kRelu6,
                OpType::kReshape,  OpType::kSoftmax,       OpType::kTanh,
                OpType::kPad,      OpType::kMean,          OpType::kQuantize,
                OpType::kHardSwish};
  target.types = {DataType::kFloat32, DataType::kInt8, DataType::kInt16, DataType::kInt32,
                  DataType::kInt64};
  target.runs_hybrid_ops = false;
  target.float_ops_are_slow = true;
  return target;
}

std::optional<LintTarget> FindLintTarget(const std::string& name) {
  if (name == "esp32-s3") return LintTarget::Esp32S3();
  return std::nullopt;
}

std::string KnownLintTargets() { return "esp32-s3"; }

}  // namespace harness::quant
