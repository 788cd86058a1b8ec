#include "harness/quant/op_version.h"

#include "harness/model/op_registry.h"

namespace harness::quant {

int32_t ExpectedOpVersion(const model::Graph& graph, const model::Op& op) {
  const model::OpDescriptor* descriptor = model::FindOp(op.type);
  return descriptor == nullptr ? 0 : (**descriptor->version)(graph, op);
}

}  // namespace harness::quant
