#include "harness/runtime/ops/int_constant.h"

#include <cstring>
#include <string>

namespace harness::runtime::ops {

std::vector<int64_t> ReadIntConstant(const OpContext& ctx, size_t i, const char* role,
                                     bool int64_allowed) {
  const model::Tensor& t = ctx.input(i);
  const bool int64 = t.type == model::DataType::kInt64;
  if (t.type != model::DataType::kInt32 && !(int64 && int64_allowed)) {
    throw ctx.Fail(std::string(role) + " tensor '" + t.name + "' has type " +
                   model::ToString(t.type) + ", expected INT32" +
                   (int64_allowed ? " or INT64" : ""));
  }
  const std::vector<uint8_t>& bytes = ctx.ConstantData(i, role);
  const size_t size = int64 ? sizeof(int64_t) : sizeof(int32_t);
  std::vector<int64_t> values(bytes.size() / size);
  for (size_t k = 0; k < values.size(); ++k) {
    if (int64) {
      std::memcpy(&values[k], bytes.data() + k * size, size);
    } else {
      int32_t v = 0;
      std::memcpy(&v, bytes.data() + k * size, size);
      values[k] = v;
    }
  }
  return values;
}

}  // namespace harness::runtime::ops
