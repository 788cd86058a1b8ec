#include "harness/model/op_registry.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include "harness/common/error.h"
#include "harness/model/builtin_names.h"

namespace harness::model {
namespace {

// Filled during static initialization; a function-local static so that it exists before the
// first registration, whatever the order the op files are initialized in.
std::map<int32_t, const OpDescriptor*>& Table() {
  static std::map<int32_t, const OpDescriptor*> table;
  return table;
}

}  // namespace

OpRegistration::OpRegistration(const OpDescriptor& descriptor) {
  const auto code = static_cast<int32_t>(*descriptor.type);
  if (!Table().emplace(code, &descriptor).second) {
    std::fprintf(stderr, "harness: two descriptors register builtin op %d (%s)\n", code,
                 *descriptor.name);
    std::abort();
  }
}

const OpDescriptor* FindOp(OpType type) {
  const auto found = Table().find(static_cast<int32_t>(type));
  return found == Table().end() ? nullptr : found->second;
}

const OpDescriptor& GetOp(OpType type) {
  if (const OpDescriptor* descriptor = FindOp(type)) return *descriptor;
  throw Error(DescribeBuiltinCode(static_cast<int32_t>(type)),
              "operator is not supported by harness (supported: " + RegisteredOpNames() + ")");
}

std::vector<const OpDescriptor*> RegisteredOps() {
  std::vector<const OpDescriptor*> ops;
  for (const auto& [code, descriptor] : Table()) ops.push_back(descriptor);
  return ops;
}

std::string RegisteredOpNames() {
  std::string names;
  for (const auto& [code, descriptor] : Table()) {
    if (!names.empty()) names += ", ";
    names += *descriptor->name;
  }
  return names;
}

}  // namespace harness::model
