#include "harness/quant/lint_target.h"

#include "harness/model/op_registry.h"

namespace harness::quant {

LintTarget LintTarget::Esp32S3() {
  using model::DataType;
  LintTarget target;
  target.name = "esp32-s3";
  // TFLite-Micro registers every op harness runs (tests/suite checks this against its op
  // list), so the op table is the target's op set.
  for (const model::OpDescriptor* op : model::RegisteredOps()) target.ops.insert(*op->type);
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
